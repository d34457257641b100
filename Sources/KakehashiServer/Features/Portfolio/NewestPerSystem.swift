import SQLKit

/// Each system's newest row of a history table (assessments, decisions, baseline runs): the row no
/// other row of the same system follows in time (ties broken by id), for systems of the given tenants.
enum NewestPerSystem {
    /// `SELECT <columns of r> FROM <table> r JOIN systems s …` with the newest-row condition; add columns and decode.
    static func query(_ table: String, time: String, tenants: TenantReach, on sql: any SQLDatabase) -> SQLSelectBuilder {
        let query = sql.select()
            .from(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("systems"), as: SQLIdentifier("s")), on: SQLColumn("id", table: "s"), .equal, SQLColumn("system_id", table: "r"))
            .where(SQLQueryString("NOT EXISTS (SELECT 1 FROM \(ident: table) n WHERE n.system_id = r.system_id AND (n.\(ident: time) > r.\(ident: time) OR (n.\(ident: time) = r.\(ident: time) AND n.id > r.id)))"))
        query.within(tenants, column: "s.tenant_id")
        return query
    }
}
