import CoreMetrics
import Foundation
import Logging
import Metrics
import Prometheus
import ReservoirServices

/// The process-wide Prometheus registry; swift-metrics may be bootstrapped only once per process,
/// so servers started by tests in one process share it.
public enum Observability {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                                   .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]
        MetricsSystem.bootstrap(DescribedMetricsFactory(prometheus: factory, help: MetricNames.allHelp))
        return registry
    }()
}

/// The Prometheus factory with `# HELP` text: swift-metrics has no place for help, and the registry
/// refuses one name registered with two texts, so every metric named in `help` is made here, with
/// its text, and everything else (and every destroy) goes to the plain factory.
struct DescribedMetricsFactory: MetricsFactory {
    let prometheus: PrometheusMetricsFactory
    let help: [String: String]

    private func descriptor(_ label: String) -> MetricNameDescriptor? {
        help[label].map { MetricNameDescriptor(metricName: label, unitName: "", helpText: $0) }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard let d = descriptor(label) else { return prometheus.makeCounter(label: label, dimensions: dimensions) }
        return prometheus.registry.makeCounter(descriptor: d, labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        guard let d = descriptor(label) else { return prometheus.makeFloatingPointCounter(label: label, dimensions: dimensions) }
        return prometheus.registry.makeCounter(descriptor: d, labels: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        guard let d = descriptor(label) else { return prometheus.makeMeter(label: label, dimensions: dimensions) }
        return prometheus.registry.makeGauge(descriptor: d, labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard let d = descriptor(label) else { return prometheus.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate) }
        guard aggregate else { return prometheus.registry.makeGauge(descriptor: d, labels: dimensions) }
        let buckets = prometheus.valueHistogramBuckets[label] ?? prometheus.defaultValueHistogramBuckets
        return prometheus.registry.makeValueHistogram(descriptor: d, labels: dimensions, buckets: buckets)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard let d = descriptor(label) else { return prometheus.makeTimer(label: label, dimensions: dimensions) }
        let buckets = prometheus.durationHistogramBuckets[label] ?? prometheus.defaultDurationHistogramBuckets
        return prometheus.registry.makeDurationHistogram(descriptor: d, labels: dimensions, buckets: buckets)
    }

    func destroyCounter(_ handler: any CounterHandler) { prometheus.destroyCounter(handler) }
    func destroyMeter(_ handler: any MeterHandler) { prometheus.destroyMeter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { prometheus.destroyFloatingPointCounter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { prometheus.destroyRecorder(handler) }
    func destroyTimer(_ handler: any TimerHandler) { prometheus.destroyTimer(handler) }
}

/// Structured logs: one JSON object per line on stderr, metadata flattened with dotted keys.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [
            "time": ISO8601DateFormatter().string(from: Date()), "level": "\(event.level)", "logger": label, "message": "\(event.message)",
        ]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[k] = "\(v)" }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
