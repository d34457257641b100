import KakehashiCore
import SQLKit

/// All SQL of the system catalog. Every read takes the tenants the caller may read.
struct PortfolioRepository: Sendable {
    struct ListFilter: Sendable, Equatable {
        var tenantId: String?
        /// The owner unit and every unit below it (a bureau's systems).
        var unitIds: [String]?
        var zone: String?
        var hosting: String?
        var confidentiality: Int?
        var personalNumber: Bool?
        /// Substring of the code or name (already lower-cased).
        var text: String?
        /// Systems by the end of their support, as of a day.
        var support: SupportFilter?
    }

    struct SupportFilter: Sendable, Equatable {
        enum When: String, Sendable, CaseIterable { case ended, withinYear = "year", endedOrWithinYear = "soon" }
        let when: When
        let today: LocalDate
    }

    /// Systems of the readable tenants matching the filter, by tenant and code.
    func list(_ filter: ListFilter, tenants: TenantReach, limit: Int, on sql: any SQLDatabase) async throws -> [CatalogSystem] {
        let query = sql.select().column("*").from("systems")
        apply(filter, tenants: tenants, to: query)
        return try await query.orderBy("tenant_id").orderBy("code").limit(limit)
            .all(decoding: CatalogSystem.self, with: .snake)
    }

    /// One page of the catalog list in the order asked, with how many systems match in all.
    func page(_ filter: ListFilter, tenants: TenantReach, order: SQLQueryString, limit: Int, offset: Int,
              on sql: any SQLDatabase) async throws -> [CatalogSystem] {
        let query = sql.select().column("*").from("systems")
        apply(filter, tenants: tenants, to: query)
        return try await query.orderBy(order).limit(limit).offset(offset)
            .all(decoding: CatalogSystem.self, with: .snake)
    }

    func count(_ filter: ListFilter, tenants: TenantReach, on sql: any SQLDatabase) async throws -> Int {
        let query = sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from("systems")
        apply(filter, tenants: tenants, to: query)
        return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// The earliest end of support among each system's components (the one that ends first).
    static let firstEndOfSupport = """
        (SELECT MIN(sc.end_of_life) FROM system_components sc
          WHERE sc.system_id = systems.id AND sc.end_of_life IS NOT NULL)
        """

    /// Interfaces a system consumes or provides.
    static let interfaceCount = """
        (SELECT COUNT(*) FROM system_interfaces si WHERE si.consumer_id = systems.id OR si.provider_id = systems.id)
        """

    func firstEndsOfSupport(of ids: [String], on sql: any SQLDatabase) async throws -> [String: LocalDate] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { let systemId: String; let firstEnd: String? }
        let rows = try await sql.raw("""
            SELECT system_id, MIN(end_of_life) AS first_end FROM system_components
            WHERE system_id IN \(SQLBind.group(ids)) AND end_of_life IS NOT NULL GROUP BY system_id
            """).all(decoding: Row.self, with: .snake)
        let pairs = rows.compactMap { row in row.firstEnd.flatMap(LocalDate.init(iso:)).map { (row.systemId, $0) } }
        return Dictionary(pairs, uniquingKeysWith: { a, _ in a })
    }

    private func apply(_ filter: ListFilter, tenants: TenantReach, to query: SQLSelectBuilder) {
        query.within(tenants)
        if let tenant = filter.tenantId { query.where("tenant_id", .equal, tenant) }
        if let units = filter.unitIds { query.where("owner_unit_id", .in, units) }
        if let zone = filter.zone { query.where("network_zone", .equal, zone) }
        if let hosting = filter.hosting { query.where("hosting", .equal, hosting) }
        if let level = filter.confidentiality { query.where("confidentiality", .equal, level) }
        if let flag = filter.personalNumber { query.where("personal_number", .equal, flag) }
        if let text = filter.text {
            let pattern = "%" + SearchEngine.escapeLike(text) + "%"
            query.where(SQLQueryString("(LOWER(code) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(name) LIKE \(bind: pattern) ESCAPE '\\')"))
        }
        if let support = filter.support {
            let today = support.today.iso, yearAhead = SupportHorizon.yearAhead(of: support.today).iso
            let end = SQLQueryString("\(unsafeRaw: Self.firstEndOfSupport)")
            switch support.when {
            case .ended: query.where(SQLQueryString("\(end) < \(bind: today)"))
            case .withinYear: query.where(SQLQueryString("\(end) >= \(bind: today) AND \(end) <= \(bind: yearAhead)"))
            case .endedOrWithinYear: query.where(SQLQueryString("\(end) <= \(bind: yearAhead)"))
            }
        }
    }

    /// A system of the given tenants.
    func find(_ id: String, tenants: TenantReach, on sql: any SQLDatabase) async throws -> CatalogSystem? {
        let query = sql.select().column("*").from("systems").where("id", .equal, id)
        query.within(tenants)
        return try await query.first(decoding: CatalogSystem.self, with: .snake)
    }

    func systems(ids: [String], tenants: TenantReach, on sql: any SQLDatabase) async throws -> [CatalogSystem] {
        guard !ids.isEmpty else { return [] }
        let query = sql.select().column("*").from("systems").where("id", .in, ids)
        query.within(tenants)
        return try await query.all(decoding: CatalogSystem.self, with: .snake)
    }

    /// code → id of one tenant's systems.
    func codes(in scope: TenantScope, on sql: any SQLDatabase) async throws -> [String: String] {
        struct Row: Decodable { let id: String; let code: String }
        let rows = try await sql.select().column("id").column("code").from("systems").where("tenant_id", .equal, scope.tenantId)
            .all(decoding: Row.self)
        return Dictionary(rows.map { ($0.code, $0.id) }, uniquingKeysWith: { a, _ in a })
    }

    func components(of systemId: String, on sql: any SQLDatabase) async throws -> [SystemComponent] {
        try await sql.select().column("*").from("system_components").where("system_id", .equal, systemId).orderBy("position")
            .all(decoding: SystemComponent.self, with: .snake)
    }

    func contracts(of systemId: String, on sql: any SQLDatabase) async throws -> [SystemContract] {
        try await sql.select().column("*").from("system_contracts").where("system_id", .equal, systemId).orderBy("position")
            .all(decoding: SystemContract.self, with: .snake)
    }

    /// Components and contracts of many systems at once (the cost comparison), by system id.
    func componentsAndContracts(of ids: [String], on sql: any SQLDatabase) async throws -> ([String: [SystemComponent]], [String: [SystemContract]]) {
        var components: [String: [SystemComponent]] = [:]
        var contracts: [String: [SystemContract]] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            for c in try await sql.select().column("*").from("system_components").where("system_id", .in, chunk)
                .all(decoding: SystemComponent.self, with: .snake) { components[c.systemId, default: []].append(c) }
            for c in try await sql.select().column("*").from("system_contracts").where("system_id", .in, chunk)
                .all(decoding: SystemContract.self, with: .snake) { contracts[c.systemId, default: []].append(c) }
            start += chunk.count
        }
        return (components, contracts)
    }

    /// Interfaces with the system at either end.
    func interfaces(touching systemId: String, on sql: any SQLDatabase) async throws -> [SystemInterface] {
        try await sql.select().column("*").from("system_interfaces")
            .where("consumer_id", .equal, systemId).orWhere("provider_id", .equal, systemId)
            .all(decoding: SystemInterface.self, with: .snake)
    }

    /// Interfaces among a set of systems (both ends in it).
    func interfaces(among ids: [String], on sql: any SQLDatabase) async throws -> [SystemInterface] {
        guard !ids.isEmpty else { return [] }
        return try await sql.select().column("*").from("system_interfaces")
            .where("consumer_id", .in, ids).where("provider_id", .in, ids).all(decoding: SystemInterface.self, with: .snake)
    }

    /// Interface counts per system (either end), for the list: of every system, or only of `ids` (one page).
    func interfaceCounts(in tenants: TenantReach, of ids: [String]? = nil,
                         on sql: any SQLDatabase) async throws -> [String: Int] {
        struct Row: Decodable { let id: String; let n: Int }
        var counts: [String: Int] = [:]
        if let ids, ids.isEmpty { return counts }
        for end in ["consumer_id", "provider_id"] {
            let query = sql.select().column(SQLAlias(SQLColumn(end), as: SQLIdentifier("id")))
                .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from("system_interfaces")
            query.within(tenants)
            if let ids { query.where(end, .in, ids) }
            for row in try await query.groupBy(end).all(decoding: Row.self) { counts[row.id, default: 0] += row.n }
        }
        return counts
    }

    // MARK: Writing

    func insert(_ system: CatalogSystem, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "systems").model(system, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ system: CatalogSystem, on sql: any SQLDatabase) async throws {
        try await sql.update("systems").set(model: system, keyEncodingStrategy: .convertToSnakeCase).where("id", .equal, system.id).run()
    }

    func replaceComponents(of systemId: String, with rows: [SystemComponent], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "system_components").where("system_id", .equal, systemId).run()
        guard !rows.isEmpty else { return }
        try await sql.insert(into: "system_components").models(rows, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func replaceContracts(of systemId: String, with rows: [SystemContract], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "system_contracts").where("system_id", .equal, systemId).run()
        guard !rows.isEmpty else { return }
        try await sql.insert(into: "system_contracts").models(rows, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func interface(consumer: String, provider: String, on sql: any SQLDatabase) async throws -> SystemInterface? {
        try await sql.select().column("*").from("system_interfaces").where("consumer_id", .equal, consumer).where("provider_id", .equal, provider)
            .first(decoding: SystemInterface.self, with: .snake)
    }

    func insert(_ interface: SystemInterface, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "system_interfaces").model(interface, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func update(_ interface: SystemInterface, on sql: any SQLDatabase) async throws {
        try await sql.update("system_interfaces").set(model: interface, keyEncodingStrategy: .convertToSnakeCase)
            .where("id", .equal, interface.id).run()
    }
}

/// "Within a year" for end of support: the same day next year.
enum SupportHorizon {
    static func yearAhead(of day: LocalDate) -> LocalDate {
        LocalDate(
            year: day.year + 1, month: day.month,
            day: min(day.day, LocalDate.daysIn(month: day.month, year: day.year + 1)))
            ?? day.adding(days: 365)
    }
}
