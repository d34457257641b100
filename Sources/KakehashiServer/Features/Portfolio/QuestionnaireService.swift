import Foundation
import KakehashiCore
import SQLKit

/// The questionnaires people assess with: the ones Kakehashi ships (Resources/Questionnaires) and
/// those imported as YAML, ours or Konveyor's. Every version is kept, so an old assessment still
/// reads with the questions it was answered against.
struct QuestionnaireService: Sendable {
    let repository = AssessmentRepository()

    /// The most YAML one import may hold.
    static let maxBytes = 1 << 20

    /// The shipped questionnaires, read and checked once.
    static let shipped: [(questionnaire: Questionnaire, source: String)] = {
        guard let directory = Bundle.module.resourcePath.map({ $0 + "/Questionnaires" }),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name in
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8),
                  let read = try? QuestionnaireReader.read(text) else { return nil }
            return (read.questionnaire, text)
        }
    }()

    static var standardId: String { shipped.first?.questionnaire.id ?? "kkh-migration-standard" }

    enum ImportOutcome: Sendable {
        case imported(StoredQuestionnaire)
        case unchanged(StoredQuestionnaire)
        case failed([QuestionnaireReader.Issue])
    }

    /// Every questionnaire's newest version, the shipped ones included even before first use.
    func newest(on sql: any SQLDatabase) async throws -> [StoredQuestionnaire] {
        var byId: [String: StoredQuestionnaire] = [:]
        for q in try await repository.questionnaires(on: sql) where (byId[q.id]?.version ?? 0) < q.version { byId[q.id] = q }
        for (q, source) in Self.shipped where (byId[q.id]?.version ?? 0) < q.version { byId[q.id] = Self.stored(q, format: .kakehashi, source: source, by: nil) }
        return byId.values.sorted { ($0.id != Self.standardId ? 1 : 0, $0.title) < ($1.id != Self.standardId ? 1 : 0, $1.title) }
    }

    /// A stored version (the newest when none is named), falling back to a shipped one not yet stored.
    func find(_ id: String, version: Int? = nil, on sql: any SQLDatabase) async throws -> (stored: StoredQuestionnaire, questionnaire: Questionnaire)? {
        let fromDatabase = try await repository.questionnaire(id, version: version, on: sql)
        let shipped = Self.shipped.first { $0.questionnaire.id == id && (version == nil || $0.questionnaire.version == version) }
        if let shipped, (fromDatabase?.version ?? 0) < shipped.questionnaire.version {
            return (Self.stored(shipped.questionnaire, format: .kakehashi, source: shipped.source, by: nil), shipped.questionnaire)
        }
        guard let fromDatabase, let q = Self.decode(fromDatabase) else { return nil }
        return (fromDatabase, q)
    }

    /// Stores a questionnaire version if it is not stored yet (a shipped one on first use).
    func ensureStored(_ q: StoredQuestionnaire, on sql: any SQLDatabase) async throws {
        if try await repository.questionnaire(q.id, version: q.version, on: sql) == nil { try await repository.insert(q, on: sql) }
    }

    /// Reads, checks and stores YAML. Konveyor's files have no version: a changed one becomes the
    /// next version. Ours must raise `version` to change a stored questionnaire; a shipped one only
    /// a system administrator may revise.
    func importYAML(_ text: String, actor: Principal, on sql: any SQLDatabase) async throws -> ImportOutcome {
        var read: (questionnaire: Questionnaire, format: QuestionnaireReader.Format)
        do { read = try QuestionnaireReader.read(text) } catch { return .failed(error.issues) }
        let latest = try await find(read.questionnaire.id, on: sql)
        if let latest {
            var same = read.questionnaire
            same.version = latest.questionnaire.version
            if same == latest.questionnaire { return .unchanged(latest.stored) }
            if read.format == .konveyor {
                read.questionnaire.version = latest.questionnaire.version + 1
            } else if read.questionnaire.version <= latest.questionnaire.version {
                return .failed([.init(path: "version", code: "version_exists",
                                      args: ["version": String(read.questionnaire.version), "latest": String(latest.questionnaire.version)])])
            }
            // Questionnaires are shared by every tenant, and the newest version is everyone's default: only a
            // system administrator revises the shipped ones, and only the tenant that made one revises it.
            if let refusal = try await Self.revisionRefusal(latest.stored, id: read.questionnaire.id, actor: actor, on: sql) {
                return .failed([.init(path: "id", code: refusal, args: ["id": read.questionnaire.id])])
            }
            try await ensureStored(latest.stored, on: sql)
        }
        let stored = Self.stored(read.questionnaire, format: read.format, source: text, by: actor.id)
        try await repository.insert(stored, on: sql)
        try await AuditLog.record("questionnaire.imported", tenantId: nil, actor: .init(actor), targetType: "questionnaire",
                                  targetId: "\(stored.id)@\(stored.version)", after: ["title": stored.title, "format": stored.format], on: sql)
        return .imported(stored)
    }

    /// Why this person may not revise the questionnaire (nil: they may). A system administrator
    /// revises any; otherwise only people of the tenant whose member stored it, never a shipped one.
    static func revisionRefusal(_ latest: StoredQuestionnaire, id: String, actor: Principal, on sql: any SQLDatabase) async throws -> String? {
        if actor.isSystemAdmin { return nil }
        if shipped.contains(where: { $0.questionnaire.id == id }) { return "reserved_id" }
        guard let creator = latest.createdBy, let owner = try await DirectoryRepository().person(id: creator, on: sql),
              owner.tenantId == actor.person.tenantId else { return "not_owner" }
        return nil
    }

    static func stored(_ q: Questionnaire, format: QuestionnaireReader.Format, source: String, by person: String?) -> StoredQuestionnaire {
        let json = (try? JSONEncoder.sorted.encode(q)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return StoredQuestionnaire(id: q.id, version: q.version, title: q.title.ja, format: format.rawValue, definition: json, source: source,
                                   questionCount: q.questions.count, createdBy: person, createdAt: Timestamp.now())
    }

    static func decode(_ stored: StoredQuestionnaire) -> Questionnaire? {
        try? JSONDecoder().decode(Questionnaire.self, from: Data(stored.definition.utf8))
    }
}
