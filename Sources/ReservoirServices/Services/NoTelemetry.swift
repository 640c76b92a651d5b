import ReservoirCore
import ReservoirStore

/// A telemetry reader with nothing in it, for a store that keeps no telemetry: the autoscaler then
/// holds every service (`noSignal`) and views estimate utilization from traffic.
struct NoTelemetry: TelemetryReader {
    func utilization(_ query: UtilizationQuery) throws -> [UtilizationPoint] { [] }
}
