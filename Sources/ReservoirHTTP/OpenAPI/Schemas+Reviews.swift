import ReservoirCore
import ReservoirServices

extension Components {
    static let reviews = [reviewInput, termChanges]

    static let reviewInput = Component("ReviewInput", .input(
        required: [
            "verdict": Schema.cases(ReviewVerdict.self).described("approve | approve-with-changes (with `changes`) | reject"),
            "reason": Schema.text(minLength: 1).described("Why; kept in the request's history and told to the applicant"),
        ],
        optional: ["changes": termChanges.ref]))

    static let termChanges = Component("TermChanges", .input(
        required: [:],
        optional: [
            "gpus": Schema.integer(1...Bounds.whatIfGPUs.upperBound).described("Fewer GPUs than asked"),
            "durationHours": Schema.number(Bounds.requestHours).described("A window no longer than asked, hours"),
            "model": Schema.symbol.described("Another catalog GPU model"),
            "pool": Schema.identifier.described("Another pool that has the model"),
        ],
        minProperties: 1))
}
