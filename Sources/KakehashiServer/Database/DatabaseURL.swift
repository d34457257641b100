import Foundation

/// A parsed `DATABASE_URL`: `sqlite:PATH` or `postgres://user:pass@host:port/db[?sslmode=require]`.
enum DatabaseURL: Equatable, Sendable {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, password: String?, database: String, requireTLS: Bool)

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(_ text: String) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw Invalid(description: "DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./kakehashi-data/kakehashi.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
              let parts = URLComponents(string: text), let host = parts.host, !host.isEmpty else {
            throw Invalid(description: "DATABASE_URL must be sqlite:PATH or postgres://user:pass@host:port/db (got \(text.prefix(40)))")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        guard !database.isEmpty else { throw Invalid(description: "DATABASE_URL: name the database after the host, e.g. postgres://u:p@127.0.0.1:5432/kakehashi") }
        let sslmode = parts.queryItems?.first { $0.name == "sslmode" }?.value
        self = .postgres(
            host: host, port: parts.port ?? 5432,
            user: parts.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres",
            password: parts.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
            database: database,
            requireTLS: sslmode == "require" || sslmode == "verify-full"
        )
    }
}
