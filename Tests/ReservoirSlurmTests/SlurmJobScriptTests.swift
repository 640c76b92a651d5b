import Foundation
import ReservoirCore
import ReservoirEngine
import Testing

@testable import ReservoirSlurm

/// The batch script rendered from a job's command, its environment and exit codes, without a cluster.
/// Rendered scripts are also run by a local bash, so what is asserted is what Slurm would run.
@Suite struct SlurmJobScriptTests {
    @Test("a command is exec'd word by word, single-quoted: no word is split or expanded")
    func commandIsQuoted() throws {
        let command = JobCommand(argv: ["python", "train.py"], args: ["--name", "it's $HOME; rm -rf /"])
        let script = SlurmJobScript.render(command, job: "job-000007")
        #expect(script.hasPrefix("#!/bin/bash\n"))
        #expect(script.contains(#"exec 'python' 'train.py' '--name' 'it'\''s $HOME; rm -rf /'"#), "\(script)")
        #expect(!script.contains("cd --"), "no working directory given: Slurm's is used")

        let echo = try runBash(SlurmJobScript.render(JobCommand(argv: ["printf", "%s|"], args: ["a b", "it's", "$HOME"]), job: "j"))
        #expect(echo.output == "a b|it's|$HOME|")
        #expect(echo.status == 0)
    }

    @Test("a script runs verbatim with its args; its exit code is the job's")
    func scriptRunsWithArgs() throws {
        let command = JobCommand(script: "echo hello $1\necho \"$2\" >&2\nexit 3\n", args: ["world", "to stderr"])
        let run = try runBash(SlurmJobScript.render(command, job: "job-1"))
        #expect(run.status == 3)
        #expect(run.output == "hello world\nto stderr\n")
    }

    @Test("a script with its own #! line chooses its interpreter; a line equal to the here-document marker is kept")
    func scriptWithShebangAndMarker() throws {
        let text = "#!/bin/sh\necho RESERVOIR_SCRIPT_END\ncat <<'X'\nRESERVOIR_SCRIPT_END\nX\n"
        let rendered = SlurmJobScript.render(JobCommand(script: text), job: "j")
        #expect(rendered.contains("<<'RESERVOIR_SCRIPT_END_1'"), "\(rendered)")
        let run = try runBash(rendered)
        #expect(run.status == 0)
        #expect(run.output == "RESERVOIR_SCRIPT_END\nRESERVOIR_SCRIPT_END\n")
    }

    @Test("a working directory that cannot be entered fails the job, saying so")
    func workingDirectory() throws {
        let good = try runBash(SlurmJobScript.render(JobCommand(argv: ["pwd"], workingDirectory: "/tmp"), job: "j"))
        #expect(good.output == "/tmp\n")
        let bad = try runBash(SlurmJobScript.render(JobCommand(argv: ["pwd"], workingDirectory: "/no/such/dir"), job: "j"))
        #expect(bad.status == 1)
        #expect(bad.output.contains("reservoir: cannot enter working directory /no/such/dir"), "\(bad.output)")
    }

    @Test("an image runs the program through pyxis' srun --container-image")
    func image() {
        let command = SlurmJobScript.render(JobCommand(argv: ["nvidia-smi"], image: "nvcr.io/nvidia/pytorch:24.01-py3"), job: "j")
        #expect(command.contains("exec srun --container-image='nvcr.io/nvidia/pytorch:24.01-py3' 'nvidia-smi'"), "\(command)")
        let script = SlurmJobScript.render(JobCommand(script: "nvidia-smi", image: "ubuntu:24.04"), job: "j")
        #expect(script.contains(#"srun --container-image='ubuntu:24.04' --container-mounts="$__reservoir_script:$__reservoir_script" "$__reservoir_script""#), "\(script)")
    }

    @Test("the environment is PATH and RESERVOIR_JOB, then the submission's (which may set PATH)")
    func environment() {
        #expect(SlurmJobScript.environment(nil, job: "j1") == ["PATH": SlurmJobScript.defaultPath, "RESERVOIR_JOB": "j1"])
        let env = SlurmJobScript.environment(JobCommand(argv: ["x"], env: ["PATH": "/opt/bin", "EPOCHS": "3"]), job: "j1")
        #expect(env == ["PATH": "/opt/bin", "EPOCHS": "3", "RESERVOIR_JOB": "j1"])
    }

    @Test("exit codes: REST's wait status and sacct's code:signal read the same way")
    func exitCodes() {
        #expect(SlurmMapping.exitCode(waitStatus: 768) == 3)
        #expect(SlurmMapping.exitCode(waitStatus: 0) == 0)
        #expect(SlurmMapping.exitCode(waitStatus: 9) == 137)
        #expect(SlurmMapping.exitCode(waitStatus: nil) == nil)
        #expect(SlurmMapping.waitStatus(sacct: "3:0") == 768)
        #expect(SlurmMapping.waitStatus(sacct: "0:9") == 9)
        #expect(SlurmMapping.waitStatus(sacct: "") == nil)
    }

    @Test("a failed Slurm job's event carries its exit code and Slurm's reason")
    func failedEventCarriesExitCode() {
        var tracker = SlurmEventTracker()
        let running = SlurmJob(job_id: 5, name: "reservoir.j", job_state: "RUNNING", start_time: 100)
        #expect(tracker.observe("j", running, now: 101).map(\.kind) == [.started])
        let failed = SlurmJob(job_id: 5, name: "reservoir.j", job_state: "FAILED", state_reason: "NonZeroExitCode", start_time: 100, end_time: 110, exit_code: 768)
        let events = tracker.observe("j", failed, now: 111)
        #expect(events.count == 1)
        #expect(events.first?.kind == .failed)
        #expect(events.first?.exitCode == 3)
        #expect(events.first?.message == "NonZeroExitCode")
    }

    /// Runs `script` with bash in a temporary directory; stdout and stderr together, as Slurm's output file.
    private func runBash(_ script: String) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-script-test-\(UUID().uuidString).sh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
