import Foundation
import Instrumentation
import OTel
import ServiceLifecycle

/// Tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT names a collector: a span per request
/// (Hummingbird's TracingMiddleware, with its route, status and `Request-Id`), batched and sent
/// over OTLP/HTTP by swift-otel's exporter, which runs as a service beside the server and
/// flushes what it holds when the group shuts down. OTEL_EXPORTER_OTLP_PROTOCOL picks
/// `http/protobuf` (the default) or `http/json`; this build has no gRPC exporter. swift-otel reads
/// its other OTEL_* settings itself (OTEL_SERVICE_NAME, OTEL_BSP_SCHEDULE_DELAY, headers, TLS).
extension Serve {
    /// The protocols the OTLP/HTTP exporter speaks.
    static let tracingProtocols = ["http/protobuf", "http/json"]

    /// The collector's base URL (spans go to `<endpoint>/v1/traces`); nil: tracing is off.
    static func tracingEndpoint() throws(SettingError) -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let endpoint = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !endpoint.isEmpty else { return nil }
        try checkURL(endpoint, "OTEL_EXPORTER_OTLP_ENDPOINT")
        if let wire = environment["OTEL_EXPORTER_OTLP_PROTOCOL"], !tracingProtocols.contains(wire) {
            throw SettingError("OTEL_EXPORTER_OTLP_PROTOCOL", "must be \(tracingProtocols.joined(separator: " or ")) (no gRPC in this build), not \(wire)")
        }
        return endpoint
    }

    /// Bootstraps swift-distributed-tracing with swift-otel's OTLP/HTTP tracer (once per process)
    /// and answers the exporter's service, for the server's service group; nil when tracing is off.
    /// Only traces: logs and metrics keep their own backends (the log handler, Prometheus).
    static func bootstrapTracing() throws(SettingError) -> (any Service)? {
        guard try tracingEndpoint() != nil else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "marketplace"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.diagnosticLogLevel = .warning
        do {
            let backend = try OTel.makeTracingBackend(configuration: configuration)
            InstrumentationSystem.bootstrap(backend.factory)
            return backend.service
        } catch {
            throw SettingError("OTEL_EXPORTER_OTLP_ENDPOINT", "the OTLP exporter: \(error)")
        }
    }
}
