import Foundation
import Hummingbird
import SQLKit

/// A saved filter of the consultation list.
struct SavedView: Codable, Sendable {
    var id: String
    var personId: String
    var name: String
    var query: String
    var createdAt: String
}

struct SavedViewRepository: Sendable {
    func views(of personId: String, on sql: any SQLDatabase) async throws -> [SavedView] {
        try await sql.select().column("*").from("saved_views").where("person_id", .equal, personId).orderBy("name")
            .all(decoding: SavedView.self, with: .snake)
    }

    func insert(_ view: SavedView, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "saved_views").model(view, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func delete(_ id: String, of personId: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.delete(from: "saved_views").where("id", .equal, id).where("person_id", .equal, personId).returning("id").all().count == 1
    }
}

/// 保存したビュー: anyone who reads the list may save its current filters under a name.
struct SavedViewRoutes: Sendable {
    let database: AppDatabase
    let repository = SavedViewRepository()
    static let maximumPerPerson = 20

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.post("/desk/views", use: save)
        router.post("/desk/views/{id}/delete", use: delete)
    }

    @Sendable func save(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: database)
        let f = context.form ?? FormData("")
        // The query is read and written back as the list does, so only known filters are kept.
        let submitted = FormData(f["query"])
        let query = ConsultationListQuery({ submitted.values[$0]?.first }, isDesk: access.isDeskOfficer).canonical
        let name = f["name"]
        let repository = self.repository
        // A refusal goes back to the list, with the name as typed and the reason by the field.
        func refuse(_ code: String) -> Response {
            let typed = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return .redirect(to: "/desk/consultations?\(query)&viewError=\(code)&viewName=\(typed)#save-view", type: .normal)
        }
        guard !name.isEmpty else { return refuse("required") }
        guard name.count <= 50 else { return refuse("view_name_too_long") }
        do {
            let saved = try await database.transaction { sql -> Bool in
                guard try await repository.views(of: principal.id, on: sql).count < Self.maximumPerPerson else { return false }
                try await repository.insert(SavedView(id: UUIDs.make(), personId: principal.id, name: name, query: query, createdAt: Timestamp.now()), on: sql)
                return true
            }
            guard saved else { return refuse("too_many_views") }
        } catch where AppDatabase.isUniqueViolation(error) {
            return refuse("view_name_taken")
        }
        return .redirect(to: "/desk/consultations?\(query)&done=view_saved", type: .normal)
    }

    @Sendable func delete(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        let repository = self.repository
        guard try await database.transaction({ sql in try await repository.delete(id, of: principal.id, on: sql) }) else { throw AppError.notFound }
        return .redirect(to: "/desk/consultations?done=view_deleted", type: .normal)
    }
}
