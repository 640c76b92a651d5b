/// Why a Slurm call failed: a stable `code`, a sentence, and the Slurm-side detail when there is one.
///
/// The services layer maps every `SlurmError` to `ReservoirError(.unavailable)` except `.rejected`,
/// which means Slurm refused the request itself (bad account, QOS, node) and will refuse it again.
public struct SlurmError: Error, Equatable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The engine's configuration is incomplete or unreadable.
        public static let configuration = Code("configuration")
        /// slurmrestd or slurmctld could not be reached, or answered with a transport error.
        public static let unreachable = Code("unreachable")
        /// Slurm understood the request and refused it (the `errors` array of a REST reply).
        public static let rejected = Code("rejected")
        /// A reply did not have the shape v0.0.38 documents.
        public static let malformed = Code("malformed")
        /// A CLI tool (`sacctmgr`, `scontrol`, `sacct`) exited non-zero.
        public static let command = Code("command")

        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "slurm \(code): \(message)" }
}
