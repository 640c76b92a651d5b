extension ReclamationRecord {
    /// GPU-hours freed by taking `gpuMilli` back at `time` from something held until `endsAt` (nil: no
    /// fixed term, counted as `openEndedHours`): what it gave up, never negative (taken back at or after
    /// its end, it freed nothing more).
    public static func freedGPUHours(gpuMilli: Int, endsAt: Double?, at time: Double) -> Double {
        let hours = endsAt.map { max(0, $0 - time) / 3600 } ?? openEndedHours
        return Double(gpuMilli) / 1000 * hours
    }
}
