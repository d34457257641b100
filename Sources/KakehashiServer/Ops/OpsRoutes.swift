import Hummingbird
import KakehashiAPI
import Metrics
import Prometheus

/// Health, readiness, metrics and the API document: for load balancers, monitoring and clients.
struct OpsRoutes: Sendable {
    let database: AppDatabase
    /// The attachment store, reported unwritable (full or read-only disk) as not ready.
    let store: AttachmentStore

    /// Request counts and latencies from Hummingbird's `MetricsMiddleware` land here.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        router.get("/readyz", use: ready)
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: Self.registry.emitToBuffer())))
        }
        router.get("/api/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try APIDocument.yaml())))
        }
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        var problems: [String] = []
        // A PostgreSQL server that has gone away (no TCP answer in half a second) is "not ready" at once;
        // one that answers gets a few seconds for the query, so a busy machine is not reported down.
        var answers = true
        if let server = database.server { answers = await server.answers() }
        if answers {
            answers = (try? await Deadline.run(within: .seconds(5), orThrow: .requestTimeout) { [database] in await database.ping() }) ?? false
        }
        if !store.isWritable() { problems.append("attachment store is not writable") }
        if !answers {
            problems.append("database does not answer")
        } else if let status = try? await Migrator(database: database).status(), !status.pending.isEmpty {
            problems.append("pending migrations: \(status.pending.joined(separator: ", "))")
        } else if (try? await Migrator(database: database).status()) == nil {
            problems.append("migration ledger unreadable or newer than this build")
        }
        let text = problems.isEmpty ? "ready\n" : problems.joined(separator: "\n") + "\n"
        return Response(status: problems.isEmpty ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
