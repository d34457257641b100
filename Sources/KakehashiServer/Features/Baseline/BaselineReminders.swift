import KakehashiCore
import SQLKit

/// Approved exceptions coming to their end: the person who asked and the tenant's deciders hear
/// of it once, `noticeDays` ahead, so the exception is renewed or the finding fixed in time.
struct BaselineReminders: Reminders {
    let database: AppDatabase
    let notifier: Notifier
    var noticeDays = 14

    func scan(today: LocalDate) async throws {
        let notifier = self.notifier
        let horizon = today.adding(days: noticeDays).iso
        struct Ending: Decodable { let id: String; let tenantId: String; let systemId: String; let control: String; let expires: String
            let requestedBy: String; let code: String; let name: String }
        // Looked for without the write lock: most scans find nothing.
        let ending = try await database.read { sql in
            try await sql.raw("""
                SELECT x.id, x.tenant_id, x.system_id, x.control, x.expires, x.requested_by, s.code, s.name
                FROM baseline_exceptions x JOIN systems s ON s.id = x.system_id
                WHERE x.status = 'approved' AND x.expires >= \(bind: today.iso) AND x.expires <= \(bind: horizon)
                """).all(decoding: Ending.self, with: .snake)
        }
        guard !ending.isEmpty else { return }
        try await database.transaction { sql in
            for e in ending {
                let deciders = try await ExceptionDeciders.people(of: e.tenantId, on: sql)
                try await notifier.notify([e.requestedBy] + deciders, of: .exceptionExpiring,
                                          params: ["control": e.control, "system": "\(e.code) \(e.name)", "due": e.expires],
                                          link: "/portfolio/systems/\(e.systemId)/baseline", dedupeKey: "exception_expiring:\(e.id):\(e.expires)", on: sql)
            }
        }
    }
}
