import Hummingbird
import ReservoirCore
import ReservoirServices

/// Device resource profiles and the accuracy of per-job predictions.
struct ProfilesController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/profiles", "Device resource profiles by node and index (filter: pool, class)", action: .readInventory,
                query: [.id("pool", "Only devices of this pool"), QueryParameter("class", .cases(DeviceClass.self), "Only devices of this class")],
                answers: .page(of: Components.deviceProfile), errors: [.notFound]
            ) { r, _, p in
                let page = try r.page()
                let profiles = try reservoir.profiles.profiles(
                    pool: r.query("pool").map { PoolID($0) }, deviceClass: try r.query("class", oneOf: DeviceClass.self), by: p)
                return try Coding.page(Page(sorted: profiles, by: Self.key, for: page), for: r, page)
            },
            APIRoute(.get, "/v1/devices/{id}/profile", "One device's resource profile (the id is `<node>/gpu<index>`, its slash may be sent as %2F)",
                action: .readInventory, answers: .ok(Components.deviceProfile)
            ) { _, c, p in
                let raw = try c.parameter("id")
                return try Coding.json(try reservoir.profiles.profile(DeviceID(raw.removingPercentEncoding ?? raw), by: p))
            },
            APIRoute(.get, "/v1/predictions/accuracy", "How wrong runtime predictions were on the history of succeeded jobs (MAE, share too short), beside the tenant mean", action: .readPlans,
                query: [.time("since", "Only jobs submitted since then are scored (default: all)")], answers: .ok(Components.predictionAccuracy), errors: [.forbidden]
            ) { r, _, p in
                return try Coding.json(try reservoir.predictions.accuracy(since: try r.time("since"), by: p))
            },
        ]
    }

    /// Node, then the index zero-padded, so the keys sort as the profiles do.
    static func key(_ profile: DeviceProfile) -> [String] {
        let index = String(profile.index)
        return [profile.node.rawValue, String(repeating: "0", count: max(0, 6 - index.count)) + index]
    }
}
