import ReservoirCore

extension Components {
    /// The body of every failure (`ErrorBody`): `{"error": {"code", "field", "message"}}`.
    static let error = Component("Error", .object(required: ["error": errorDetail.ref]))

    static let errorDetail = Component("ErrorDetail", .object(
        required: [
            "code": .cases(ReservoirError.Code.allCases.map(\.rawValue) + [ErrorBody.internalCode])
                .described("Stable machine-readable kind of the error"),
            "message": .string().described("One sentence for a person"),
        ],
        optional: ["field": .string().described("The request field, parameter or header at fault")]))
}
