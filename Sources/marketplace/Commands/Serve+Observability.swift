import Foundation
import Logging
import MarketplaceHTTP
import Metrics
import Prometheus
import ServiceLifecycle

/// The server's logging and metrics from the environment: MARKETPLACE_LOG_LEVEL (trace, debug,
/// info (default), notice, warning, error, critical), MARKETPLACE_LOG_FORMAT (text (default) or
/// json: one JSON object per line), MARKETPLACE_METRICS (admin (default): /metrics for callers
/// with finance:read; public: for anyone; off: no /metrics and nothing recorded).
extension Serve {
    static func logLevel() throws(SettingError) -> Logger.Level {
        let text = ProcessInfo.processInfo.environment["MARKETPLACE_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: text) else {
            throw SettingError("MARKETPLACE_LOG_LEVEL", "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
        }
        return level
    }

    static func logFormat() throws(SettingError) -> String {
        let format = ProcessInfo.processInfo.environment["MARKETPLACE_LOG_FORMAT"] ?? "text"
        guard format == "text" || format == "json" else { throw SettingError("MARKETPLACE_LOG_FORMAT", "must be text or json, not \(format)") }
        return format
    }

    static func metricsSetting() throws(SettingError) -> String {
        let setting = ProcessInfo.processInfo.environment["MARKETPLACE_METRICS"] ?? "admin"
        guard ["admin", "public", "off"].contains(setting) else { throw SettingError("MARKETPLACE_METRICS", "must be admin, public or off, not \(setting)") }
        return setting
    }

    /// Bootstraps swift-log and swift-metrics for this process (once) and answers what the
    /// router needs.
    static func bootstrapObservability() throws(SettingError) -> Observability {
        let level = try logLevel()
        let json = try logFormat() == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let metrics = try metricsSetting()
        guard metrics != "off" else { return Observability(registry: nil, requestLogLevel: .info) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return Observability(registry: registry, metricsPublic: metrics == "public", requestLogLevel: .info)
    }
}

/// Tells readiness a shutdown began, the moment the group starts shutting down, so a load
/// balancer stops sending traffic while connections drain.
struct ShutdownNotice: Service {
    let readiness: Readiness

    func run() async throws {
        try? await gracefulShutdown()
        readiness.beginShutdown()
    }
}

/// One JSON object per log line: time, level, label, message and the metadata (strings).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = ["time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
                                        "label": label, "message": event.message.description]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[key] = value.description }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }
}
