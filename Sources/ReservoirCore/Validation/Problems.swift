extension ReservoirError {
    /// Throws one error naming every problem of an input at once (the first alone when there is one),
    /// so a client fixes a form in one round trip; returns when `problems` is empty.
    public static func throwAll(_ problems: [ReservoirError]) throws(ReservoirError) {
        guard let first = problems.first else { return }
        guard problems.count > 1 else { throw first }
        throw ReservoirError(
            .invalidArgument, field: problems.compactMap(\.field).joined(separator: ", "),
            problems.map { "\($0.field ?? "body"): \($0.message)" }.joined(separator: "; "))
    }
}
