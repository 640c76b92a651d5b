/// How requests and their grants are named. A request becomes at most one grant, so the grant's id is
/// the request's number under another prefix (`req-000042` → `grant-000042`): a reviewer's approval can
/// draft the grant inside the request's transaction without asking the store for a second number.
extension RequestID {
    /// The id of the `number`-th request (`req-000042`).
    public static func numbered(_ number: Int64) -> RequestID {
        RequestID("req-" + zeroPadded(number))
    }

    /// The id of the grant this request becomes when approved.
    public var grantID: GrantID {
        GrantID("grant-" + (rawValue.hasPrefix("req-") ? String(rawValue.dropFirst(4)) : rawValue))
    }

    private static func zeroPadded(_ number: Int64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
