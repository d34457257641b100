import SQLKit

/// What a backup needs to know of the schema, read from the database itself on either engine:
/// its tables, their columns and the kind of value each holds, and which table a table's
/// foreign keys point at (so a restore inserts parents first).
struct TableCatalog: Sendable {
    enum Kind: String, Codable, Sendable { case integer, real, boolean, text, blob }

    struct Column: Codable, Sendable, Equatable {
        let name: String
        let kind: Kind
    }

    struct Table: Sendable {
        let name: String
        let columns: [Column]
        /// Tables this one references, itself excluded.
        let parents: Set<String>
        /// A column referencing this same table, and the column it references (org_units.parent_id → id).
        let selfReference: (column: String, references: String)?

        var hasTenant: Bool { columns.contains { $0.name == "tenant_id" } }
    }

    /// Tables a backup leaves out: the migration ledger (the manifest names the migrations) and
    /// the search index, which is derived from the records and rebuilt after a restore.
    static func isCopied(_ table: String) -> Bool {
        table != "schema_migrations" && !table.hasPrefix("search_") && !table.hasPrefix("sqlite_")
    }

    let tables: [Table]

    static func read(on sql: any SQLDatabase) async throws -> TableCatalog {
        sql.dialect.name == "postgresql" ? try await readPostgres(sql) : try await readSQLite(sql)
    }

    /// The tables in an order where every table comes after the tables it references.
    func parentsFirst() throws -> [Table] {
        var placed: Set<String> = []
        var ordered: [Table] = []
        var left = tables
        while !left.isEmpty {
            let ready = left.filter { $0.parents.isSubset(of: placed) }
            guard !ready.isEmpty else {
                throw BackupError.unsupportedSchema("foreign keys form a cycle among \(left.map(\.name).sorted())")
            }
            ordered += ready
            placed.formUnion(ready.map(\.name))
            left.removeAll { placed.contains($0.name) }
        }
        return ordered
    }

    private static func kind(declared: String) throws -> Kind {
        let type = declared.uppercased()
        if type.contains("INT") || type == "BIGSERIAL" { return .integer }
        if type.contains("BOOL") { return .boolean }
        if type.contains("DOUB") || type.contains("REAL") || type.contains("FLOA") { return .real }
        if type.contains("TEXT") || type.contains("CHAR") { return .text }
        if type.contains("BLOB") || type == "BYTEA" { return .blob }
        throw BackupError.unsupportedSchema("a column of type \(declared) cannot be backed up")
    }

    private static func readSQLite(_ sql: any SQLDatabase) async throws -> TableCatalog {
        struct Name: Decodable { let name: String }
        struct Info: Decodable { let name: String; let type: String }
        struct Key: Decodable { let table: String; let from: String; let to: String? }
        let names = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
            .all(decoding: Name.self).map(\.name).filter(isCopied)
        var tables: [Table] = []
        for name in names {
            let info = try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: name)) ORDER BY cid")
                .all(decoding: Info.self)
            let keys = try await sql
                .raw("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(\(bind: name))")
                .all(decoding: Key.self)
            let selfKey = keys.first { $0.table == name }
            let columns = try info.map { Column(name: $0.name, kind: try kind(declared: $0.type)) }
            tables.append(Table(name: name, columns: columns,
                                parents: Set(keys.map(\.table).filter { $0 != name && isCopied($0) }),
                                selfReference: selfKey.map { ($0.from, $0.to ?? "id") }))
        }
        return TableCatalog(tables: tables)
    }

    private static func readPostgres(_ sql: any SQLDatabase) async throws -> TableCatalog {
        struct Info: Decodable { let tableName: String; let columnName: String; let dataType: String }
        struct Key: Decodable { let tableName: String; let parent: String; let column: String; let references: String }
        let columns = try await sql.raw("""
            SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position
            """).all(decoding: Info.self, with: .snake)
        let keys = try await sql.raw("""
            SELECT cl.relname AS table_name, pcl.relname AS parent, a.attname AS column, pa.attname AS references
            FROM pg_constraint k
            JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
            JOIN pg_class pcl ON pcl.oid = k.confrelid
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
            JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
            WHERE k.contype = 'f' AND n.nspname = current_schema()
            """).all(decoding: Key.self, with: .snake)
        let byTable = Dictionary(grouping: columns, by: \.tableName)
        let tables = try byTable.keys.sorted().filter(isCopied).map { name in
            let own = keys.filter { $0.tableName == name }
            let selfKey = own.first { $0.parent == name }
            return Table(name: name, columns: try byTable[name, default: []].map {
                                Column(name: $0.columnName, kind: try kind(declared: $0.dataType))
                            },
                         parents: Set(own.map(\.parent).filter { $0 != name && isCopied($0) }),
                         selfReference: selfKey.map { ($0.column, $0.references) })
        }
        return TableCatalog(tables: tables)
    }
}
