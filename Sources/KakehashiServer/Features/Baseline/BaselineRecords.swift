import KakehashiCore
import SQLKit

/// A file of a system checked by the baseline: a design record, a template or a plan.
struct BaselineFile: Codable, Sendable, Equatable {
    var id: String
    var systemId: String
    var name: String
    /// `cloudformation`, `terraform` or `sdr`.
    var format: String
    var content: String
    var size: Int
    var uploadedBy: String
    var uploadedAt: String
}

/// One run of the baseline over a system's files, with its report (JSON of `BaselineCheck.Report`).
struct BaselineRun: Codable, Sendable, Equatable {
    var id: String
    var systemId: String
    var ranBy: String
    var ranAt: String
    var passed: Int
    var failed: Int
    var excepted: Int
    var skipped: Int
    var errors: Int
    var report: String
}

/// SQL of baseline files and runs. Callers check that the system is readable first.
struct BaselineRepository: Sendable {
    func files(of systemId: String, on sql: any SQLDatabase) async throws -> [BaselineFile] {
        try await sql.select().column("*").from("baseline_files").where("system_id", .equal, systemId).orderBy("name")
            .all(decoding: BaselineFile.self, with: .snake)
    }

    /// Adds the file, or replaces the one of the same name.
    func put(_ file: BaselineFile, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "baseline_files").where("system_id", .equal, file.systemId).where("name", .equal, file.name).run()
        try await sql.insert(into: "baseline_files").model(file, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func delete(_ id: String, of systemId: String, on sql: any SQLDatabase) async throws -> BaselineFile? {
        let found = try await sql.select().column("*").from("baseline_files").where("id", .equal, id).where("system_id", .equal, systemId)
            .first(decoding: BaselineFile.self, with: .snake)
        if found != nil { try await sql.delete(from: "baseline_files").where("id", .equal, id).run() }
        return found
    }

    func runs(of systemId: String, limit: Int = 20, on sql: any SQLDatabase) async throws -> [BaselineRun] {
        try await sql.select().column("*").from("baseline_runs").where("system_id", .equal, systemId)
            .orderBy("ran_at", .descending).orderBy("id", .descending).limit(limit).all(decoding: BaselineRun.self, with: .snake)
    }

    func run(_ id: String, of systemId: String, on sql: any SQLDatabase) async throws -> BaselineRun? {
        try await sql.select().column("*").from("baseline_runs").where("id", .equal, id).where("system_id", .equal, systemId)
            .first(decoding: BaselineRun.self, with: .snake)
    }

    /// The newest run of each system of the given tenants.
    func latestRuns(tenants: TenantReach, on sql: any SQLDatabase) async throws -> [BaselineRun] {
        try await NewestPerSystem.query("baseline_runs", time: "ran_at", tenants: tenants, on: sql)
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("r"))).all(decoding: BaselineRun.self, with: .snake)
    }

    func insert(_ run: BaselineRun, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "baseline_runs").model(run, keyEncodingStrategy: .convertToSnakeCase).run()
    }
}
