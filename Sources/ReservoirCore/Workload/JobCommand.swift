/// What a job runs, as its submitter wrote it: exactly one of an argv (`argv`) or a shell script
/// (`script`), plus arguments, environment, working directory and, optionally, a container image.
///
/// Engines render it their own way (Slurm: the batch script, see `SlurmJobScript`); the simulator only
/// names it in its synthetic log. A job without a command is still valid: it only holds its devices
/// for its declared runtime (the simulator's and the demo's jobs).
///
/// The environment is stored with the job and shown to everyone who may read the job: it is for
/// settings, not for secrets.
public struct JobCommand: Codable, Hashable, Sendable {
    /// The program and its first arguments, run directly (no shell).
    public var argv: [String]?
    /// A script; without a `#!` line it runs under bash.
    public var script: String?
    /// Arguments appended to `argv`, or passed to the script as `$1…`.
    public var args: [String]
    public var env: [String: String]
    /// Absolute path on the nodes; nil: the engine's jobs directory.
    public var workingDirectory: String?
    /// OCI image reference, e.g. `nvcr.io/nvidia/pytorch:24.01-py3`.
    public var image: String?

    public init(
        argv: [String]? = nil, script: String? = nil, args: [String] = [], env: [String: String] = [:],
        workingDirectory: String? = nil, image: String? = nil
    ) {
        self.argv = argv
        self.script = script
        self.args = args
        self.env = env
        self.workingDirectory = workingDirectory
        self.image = image
    }

    /// Size bounds, in UTF-8 bytes, so a submission cannot grow a job record (and every engine request
    /// rendered from it) without limit.
    public enum Limits {
        public static let scriptBytes = 65_536
        /// `argv` and `args` together.
        public static let arguments = 256
        public static let argumentBytes = InputLimits.textBytes
        /// As many as any other map a submission may hold.
        public static let envEntries = InputLimits.entries
        public static let envNameBytes = 128
        public static let envValueBytes = InputLimits.textBytes
        public static let pathBytes = 1_024
        public static let imageBytes = 512
    }

    /// Names the engines set themselves; a submission may not override them.
    public static let reservedEnvPrefixes = ["SLURM_", "RESERVOIR_"]

    /// The words a person reads for this command: the argv and args, or the script's first line.
    public var summary: String {
        if let argv { return (argv + args).joined(separator: " ") }
        let first = (script ?? "").split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return "script" + (first.isEmpty ? "" : " (\(first.prefix(80)))")
    }

    /// Rejects malformed commands, naming the submission field (`command`, `script`, `args`, `env.NAME`,
    /// `workingDirectory`, `image`) and the limit.
    public func validate() throws(ReservoirError) {
        switch (argv, script) {
        case (nil, nil): throw .invalid("command", "give a command (an argv list) or a script")
        case (.some, .some): throw .invalid("script", "give either command or script, not both")
        case (let argv?, nil):
            guard let first = argv.first, !first.isEmpty else { throw .invalid("command", "must start with a non-empty program name") }
            try Self.check(argv, field: "command")
        case (nil, let script?):
            guard !script.isEmpty, script.utf8.count <= Limits.scriptBytes else {
                throw .invalid("script", "must be 1–\(Limits.scriptBytes) bytes (it is \(script.utf8.count))")
            }
            guard !script.utf8.contains(0) else { throw .invalid("script", "must not contain NUL") }
        }
        try Self.check(args, field: "args")
        let count = (argv?.count ?? 0) + args.count
        guard count <= Limits.arguments else {
            throw .invalid("args", "command and args together take at most \(Limits.arguments) entries (they have \(count))")
        }
        guard env.count <= Limits.envEntries else { throw .invalid("env", "at most \(Limits.envEntries) entries (it has \(env.count))") }
        for (name, value) in env {
            guard Self.isEnvName(name) else {
                throw .invalid("env", "\(name.prefix(40).debugDescription) is not a variable name ([A-Za-z_][A-Za-z0-9_]*, at most \(Limits.envNameBytes) bytes)")
            }
            if let prefix = Self.reservedEnvPrefixes.first(where: { name.hasPrefix($0) }) {
                throw .invalid("env.\(name)", "names starting with \(prefix) are set by the engine")
            }
            guard value.utf8.count <= Limits.envValueBytes, !value.utf8.contains(0) else {
                throw .invalid("env.\(name)", "must be at most \(Limits.envValueBytes) bytes, without NUL")
            }
        }
        if let dir = workingDirectory {
            guard dir.hasPrefix("/"), dir.utf8.count <= Limits.pathBytes, !dir.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalid("workingDirectory", "must be an absolute path of at most \(Limits.pathBytes) bytes, without control characters")
            }
        }
        if let image {
            let allowed = image.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._-/:@+".unicodeScalars.contains($0)) }
            guard !image.isEmpty, image.utf8.count <= Limits.imageBytes, allowed, image.first?.isLetter == true || image.first?.isNumber == true else {
                throw .invalid("image", "must be an image reference (letters, digits and ._-/:@+, at most \(Limits.imageBytes) bytes)")
            }
        }
    }

    private static func check(_ words: [String], field: String) throws(ReservoirError) {
        guard words.count <= Limits.arguments else { throw .invalid(field, "at most \(Limits.arguments) entries (it has \(words.count))") }
        for (i, word) in words.enumerated() {
            guard word.utf8.count <= Limits.argumentBytes, !word.utf8.contains(0) else {
                throw .invalid("\(field)[\(i)]", "must be at most \(Limits.argumentBytes) bytes, without NUL")
            }
        }
    }

    private static func isEnvName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= Limits.envNameBytes else { return false }
        func word(_ c: Unicode.Scalar) -> Bool { c == "_" || ("A"..."Z").contains(c) || ("a"..."z").contains(c) }
        return word(first) && name.unicodeScalars.allSatisfy { word($0) || ("0"..."9").contains($0) }
    }
}
