import ReservoirCore
import ReservoirEngine

/// The batch script, environment and exit code of a job with a command: pure, so unit-tested alone.
///
/// The script is always bash. It enters the working directory (failing the job if it cannot, where
/// Slurm itself would silently fall back to `/tmp`), then:
/// - `command`: `exec`s the argv and args, each single-quoted, so no word is ever re-split or expanded;
/// - `script`: writes the user's script verbatim to a temporary file through a quoted here-document
///   (so its own `#!` line chooses the interpreter; without one it runs under bash) and runs it with the
///   args as `$1…`, removing the file when it ends.
/// With an `image`, the program runs through `srun --container-image=…` (the pyxis plugin, as on most
/// GPU clusters); on a Slurm without pyxis srun refuses the option and the job fails with that message
/// in its output.
/// The environment is Slurm's `environment` object (not `export` lines), so values never pass through
/// a shell; the job's exit status is the program's.
enum SlurmJobScript {
    /// The default `PATH`, unless the submission sets its own.
    static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    static func render(_ command: JobCommand, job: JobID) -> String {
        var lines = ["#!/bin/bash", "# Reservoir job \(job.rawValue), rendered from its submission (docs/SLURM.md)."]
        if let dir = command.workingDirectory {
            lines.append("cd -- \(quote(dir)) || { echo \(quote("reservoir: cannot enter working directory \(dir)")) >&2; exit 1; }")
        }
        let container = command.image.map { "srun --container-image=\(quote($0)) " } ?? ""
        let args = command.args.map(quote)
        if let argv = command.argv {
            lines.append("exec " + container + (argv.map(quote) + args).joined(separator: " "))
        } else {
            let script = command.script ?? ""
            let end = delimiter(for: script)
            // In a container the script file must be mounted to be seen.
            let runner = container.isEmpty ? "" : container + "--container-mounts=\"$__reservoir_script:$__reservoir_script\" "
            lines += [
                "__reservoir_script=$(mktemp \"${TMPDIR:-/tmp}/reservoir-script.XXXXXX\") || exit 1",
                "trap 'rm -f \"$__reservoir_script\"' EXIT",
                "cat > \"$__reservoir_script\" <<'\(end)'",
                script.hasSuffix("\n") ? String(script.dropLast()) : script,
                end,
                "chmod 700 \"$__reservoir_script\"",
                ([runner + "\"$__reservoir_script\""] + args).joined(separator: " "),
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The job's whole environment on Slurm (REST replaces it, it does not add to it): a default `PATH`,
    /// `RESERVOIR_JOB`, then the submission's variables (which may override `PATH`).
    static func environment(_ command: JobCommand?, job: JobID) -> [String: String] {
        var env = ["PATH": defaultPath, "RESERVOIR_JOB": job.rawValue]
        env.merge(command?.env ?? [:]) { _, submitted in submitted }
        return env
    }

    /// `'word'`, with embedded single quotes written as `'\''`: bash takes it literally.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A here-document end marker that is no line of `script`.
    static func delimiter(for script: String) -> String {
        let lines = Set(script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        var marker = "RESERVOIR_SCRIPT_END"
        var n = 0
        while lines.contains(marker) {
            n += 1
            marker = "RESERVOIR_SCRIPT_END_\(n)"
        }
        return marker
    }
}

extension SlurmMapping {
    /// The exit code in a raw wait status, as slurmrestd's `exit_code` reports it (768 → 3); a job
    /// killed by signal N exits 128+N, as a shell reports it.
    static func exitCode(waitStatus: Int?) -> Int? {
        guard let status = waitStatus, status >= 0 else { return nil }
        let signal = status & 0x7f
        return signal != 0 ? 128 + signal : (status >> 8) & 0xff
    }

    /// sacct's `ExitCode` (`code:signal`, e.g. `3:0`) as the wait status REST reports (768), so both
    /// sources read the same way.
    static func waitStatus(sacct: String) -> Int? {
        let parts = sacct.split(separator: ":").map { Int($0) }
        guard parts.count == 2, let code = parts[0], let signal = parts[1] else { return nil }
        return signal != 0 ? signal & 0x7f : (code & 0xff) << 8
    }
}
