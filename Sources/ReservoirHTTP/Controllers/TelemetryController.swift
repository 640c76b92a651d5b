import Hummingbird
import ReservoirCore
import ReservoirServices

/// Device samples in, utilization series of devices and of the work on them out.
struct TelemetryController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/telemetry/samples", "Report device samples (node agents, operators): all valid or none stored; a device and minute already held is counted as a duplicate", action: .reportTelemetry,
                body: .decoded(Components.telemetrySamples), answers: .ok(Components.telemetryIngestReceipt), errors: [.forbidden, .notFound]
            ) { r, c, p in
                let report = try await Coding.decode(TelemetrySamples.self, from: r, context: c)
                return try Coding.json(try await reservoir.telemetry.offloaded { try $0.ingest(report.samples, by: p) })
            },
            APIRoute(.get, "/v1/utilization", "GPU utilization and memory over time of a device, node, pool, model, tenant, job, service or the whole reservoir, with its daily peak and mean and 7- and 30-day means (scope, id; since, until: Unix seconds, a duration ago such as 7d, or ISO 8601; resolution)", action: .readUtilization,
                query: [
                    QueryParameter("scope", .cases(UtilizationScopeKind.self), "What to read (default reservoir)"),
                    QueryParameter("id", .string(maxBytes: InputLimits.symbolBytes, minLength: 1), "The device, node, pool, model, tenant, job or service (every scope but reservoir)"),
                    .pointInTime("since", "Start (default a day before until)"), .pointInTime("until", "End (default now)"),
                    QueryParameter("resolution", .cases(TelemetryResolution.self), "Bucket width (default: minute up to 6 hours, hour up to 14 days, day beyond)"),
                ],
                answers: .ok(Components.utilizationReport), errors: [.forbidden, .notFound]
            ) { r, _, p in
                let scope = try UtilizationScope(kind: try r.query("scope", oneOf: UtilizationScopeKind.self) ?? .reservoir, id: r.query("id"))
                let now = reservoir.now()
                let until = try r.pointInTime("until", now: now) ?? now
                let since = try r.pointInTime("since", now: now) ?? max(0, until - 86_400)
                let resolution = try r.query("resolution", oneOf: TelemetryResolution.self) ?? .suited(since: since, until: until)
                let query = UtilizationQuery(scope: scope, since: since, until: until, resolution: resolution)
                return try Coding.json(try await reservoir.telemetry.offloaded { try $0.utilization(query, by: p) })
            },
        ]
    }
}

/// The body of `POST /v1/telemetry/samples`.
struct TelemetrySamples: Codable {
    var samples: [DeviceSample]
}
