import SQLKit

/// The audit page lists who acted in a tenant and finds its last verification on every view, and
/// filters by action: indexes that answer those from the tenant's slice instead of its whole trail.
enum M0029_IndexAuditReaders {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(index: "audit_events_tenant_actor").on("audit_events")
            .column("tenant_id").column("actor_id").column("actor_login").run()
        try await sql.create(index: "audit_events_tenant_action").on("audit_events")
            .column("tenant_id").column("action").column("seq").run()
    }
}
