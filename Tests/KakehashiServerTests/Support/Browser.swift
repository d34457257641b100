import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A minimal browser over the router test client: keeps cookies, reads the CSRF token from
/// the last page, and posts forms the way a browser would.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastBody = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        /// The body as sent (for files).
        var bytes = Data()
        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(uri, method: .get, headers: extra, body: nil)
    }

    /// Posts a form with the current CSRF token (unless `csrf` is given, or nil to omit it).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: String?? = .none) async throws -> Page {
        var all = fields
        let token: String? = switch csrf { case .none: csrfToken; case .some(let value): value }
        if let token { all.append(("_csrf", token)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// A file for `upload`.
    struct File: Sendable {
        let field: String
        let name: String
        let type: String
        let data: Data
    }

    /// Posts a `multipart/form-data` form with files, as a browser's file input does.
    @discardableResult
    func upload(_ uri: String, _ fields: [(String, String)] = [], files: [File]) async throws -> Page {
        let boundary = "----KakehashiTest\(UUID().uuidString)"
        var body = Data()
        func part(_ disposition: String, type: String? = nil, _ content: Data) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; \(disposition)\r\n".utf8))
            if let type { body.append(Data("Content-Type: \(type)\r\n".utf8)) }
            body.append(Data("\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        for (name, value) in fields + [("_csrf", csrfToken ?? "")] { part("name=\"\(name)\"", Data(value.utf8)) }
        for file in files { part("name=\"\(file.field)\"; filename=\"\(file.name)\"", type: file.type, file.data) }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try await send(uri, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(bytes: body))
    }

    var csrfToken: String? {
        guard let range = lastBody.range(of: "name=\"_csrf\" value=\"") else { return cookies["kkh_csrf"] }
        return String(lastBody[range.upperBound...].prefix { $0 != "\"" })
    }

    @discardableResult
    func signIn(_ login: String, password: String) async throws -> Page {
        try await get("/signin")
        return try await post("/signin", [("login", login), ("password", password)])
    }

    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    private func send(_ uri: String, method: HTTPRequest.Method, headers extra: HTTPFields, body: ByteBuffer?) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if field.value.contains("Max-Age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
        }
        let text = String(buffer: response.body)
        if response.headers[.contentType]?.hasPrefix("text/html") == true { lastBody = text }
        return Page(status: response.status, headers: response.headers, body: text, bytes: Data(response.body.readableBytesView))
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension TestClientProtocol {
    /// A JSON API call with a bearer token.
    func api(_ uri: String, method: HTTPRequest.Method = .get, token: String?, json: String? = nil) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response.status, String(buffer: response.body), response.headers)
    }
}
