/// A domain error: a stable machine-readable `code`, the offending `field` when there is one,
/// and a sentence for a person. The HTTP shell maps codes to statuses; the core never sees HTTP.
public struct ReservoirError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Open-ended set of error kinds (a struct, so new codes never break a `switch`).
    public struct Code: Hashable, Sendable, CustomStringConvertible, CaseIterable {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The input is malformed or out of range; `field` names what.
        public static let invalidArgument = Code("invalid_argument")
        /// A referenced object (pool, model, tenant, job…) does not exist.
        public static let notFound = Code("not_found")
        /// The object already exists.
        public static let alreadyExists = Code("already_exists")
        /// The operation is not valid in the object's current state.
        public static let conflict = Code("conflict")
        /// No credentials, or credentials that match nobody.
        public static let unauthenticated = Code("unauthenticated")
        /// Authenticated, but the role or tenant does not allow it.
        public static let permissionDenied = Code("permission_denied")
        /// The request can never be satisfied by this reservoir (e.g. larger than any node).
        public static let unsatisfiable = Code("unsatisfiable")
        /// Something outside our control failed (engine, disk).
        public static let unavailable = Code("unavailable")

        /// Every code, for the API document's error schema.
        public static let allCases: [Code] = [invalidArgument, notFound, alreadyExists, conflict, unauthenticated, permissionDenied, unsatisfiable, unavailable]

        public var description: String { rawValue }
    }

    public let code: Code
    public let field: String?
    public let message: String

    public init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public static func invalid(_ field: String, _ message: String) -> ReservoirError {
        ReservoirError(.invalidArgument, field: field, message)
    }

    public static func notFound(_ field: String, _ message: String) -> ReservoirError {
        ReservoirError(.notFound, field: field, message)
    }

    public var description: String {
        if let field { return "\(code): \(field): \(message)" }
        return "\(code): \(message)"
    }
}
