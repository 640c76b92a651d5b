import ReservoirCore

/// The hourly GPU-demand series of forecast-backtest.md, derived from any openb pod list.
///
/// Per pod: `units = num_gpu · gpu_milli / 1000`, `start = scheduled_time` or `creation_time` when the pod
/// was never scheduled (it is demand all the same). For absolute trace hour H (t = 3600·H):
/// `gpuInUse[H]` sums units over pods with `start ≤ t < deletion_time` (an instant sample) and
/// `gpuArrived[H]` sums units over pods created in hour H.
///
/// Window: pod lists hold only pods alive at or after the earliest deletion time, so before that instant
/// `gpuInUse` is an artifact. The series starts at the first day boundary at or after the earliest deletion
/// and ends at the last complete hour (the hour before the one holding the latest timestamp). For the
/// default trace that is trace hours 2784…3583, the 800 hours of the shared CSV.
public struct OpenbDemandSeries: Hashable, Sendable {
    /// Absolute trace hour of index 0.
    public var firstHour: Int
    public var gpuInUse: [Double]
    public var gpuArrived: [Double]

    /// What a pod demands, in the units the series sums: GPUs (the protocol's series), CPU cores, memory
    /// (GiB) or the pod itself (a count): the pod list's other columns, series the forecaster was never
    /// tuned on (`EvaluationSet` reports the CPU ones and develops on memory and pods). With a resource
    /// other than `.gpu`, `gpuInUse`/`gpuArrived` hold that resource in use/arrived; the window is the same.
    public enum Resource: String, Sendable, CaseIterable {
        case gpu, cpu, memory, pods

        func units(_ pod: OpenbTrace.PodRow) -> Double {
            switch self {
            case .gpu: Double(pod.numGPU * pod.gpuMilli) / 1000
            case .cpu: Double(pod.cpuMilli) / 1000
            case .memory: Double(pod.memoryMiB) / 1024
            case .pods: 1
            }
        }
    }

    public static func derive(from pods: [OpenbTrace.PodRow], resource: Resource = .gpu) throws(ForecastError) -> OpenbDemandSeries {
        struct Pod { var units: Double; var creation: Int; var start: Int; var deletion: Int }
        var rows: [Pod] = []
        for p in pods {
            guard let creation = p.creationTime, let deletion = p.deletionTime else {
                throw ForecastError(.invalidInput, "pod \(p.name) has no creation_time/deletion_time; this pod list has no times")
            }
            rows.append(Pod(units: resource.units(p), creation: creation,
                            start: p.scheduledTime ?? creation, deletion: deletion))
        }
        guard let earliestDeletion = rows.map(\.deletion).min(),
              let latest = rows.map({ max($0.deletion, $0.creation, $0.start) }).max() else {
            throw ForecastError(.insufficientHistory, "the pod list is empty")
        }
        let firstHour = (earliestDeletion + 86_399) / 86_400 * 24
        let lastHour = latest / 3600 - 1
        guard lastHour >= firstHour else { throw ForecastError(.insufficientHistory, "the trace spans less than one day") }
        let count = lastHour - firstHour + 1
        var inUseDelta = [Double](repeating: 0, count: count + 1)
        var arrived = [Double](repeating: 0, count: count)
        for p in rows where p.units > 0 {
            // Hours H with start ≤ 3600·H < deletion: H from ceil(start/3600) to ceil(deletion/3600) − 1.
            let from = max((p.start + 3599) / 3600, firstHour), to = min((p.deletion + 3599) / 3600 - 1, lastHour)
            if from <= to {
                inUseDelta[from - firstHour] += p.units
                inUseDelta[to - firstHour + 1] -= p.units
            }
            let h = p.creation / 3600
            if h >= firstHour, h <= lastHour { arrived[h - firstHour] += p.units }
        }
        var inUse: [Double] = []
        var running = 0.0
        for i in 0..<count {
            running += inUseDelta[i]
            inUse.append(running)
        }
        return OpenbDemandSeries(firstHour: firstHour, gpuInUse: inUse, gpuArrived: arrived)
    }

    /// The CSV of forecast-backtest.md: `hour_index,gpu_in_use,gpu_arrived`, values to two decimals.
    public var csv: String {
        var out = "hour_index,gpu_in_use,gpu_arrived\n"
        for i in gpuInUse.indices {
            out += "\(i),\(Self.format(gpuInUse[i])),\(Self.format(gpuArrived[i]))\n"
        }
        return out
    }

    /// Two decimals without trailing zeros (`28.36`, `15.0`), the shared CSV's spelling.
    static func format(_ v: Double) -> String {
        let cents = Int((v * 100).rounded())
        let sign = cents < 0 ? "-" : ""
        let a = abs(cents)
        let fraction = a % 100
        if fraction == 0 { return "\(sign)\(a / 100).0" }
        return fraction % 10 == 0 ? "\(sign)\(a / 100).\(fraction / 10)" : "\(sign)\(a / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
