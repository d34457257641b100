import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How Kakehashi talks to an identity provider: discovery, keys and the token endpoint. Tests put a
/// provider of their own behind it; the server uses `HTTPTransport`.
protocol OIDCTransport: Sendable {
    func get(_ url: String, bearer: String?) async throws -> OIDCResponse
    func postForm(_ url: String, form: [(String, String)], basic: (user: String, password: String)?) async throws
        -> OIDCResponse
}

struct OIDCResponse: Sendable {
    var status: Int
    var body: Data
}

/// The provider could not be reached or did not answer in time.
struct OIDCUnreachable: Error, CustomStringConvertible {
    let url: String
    let reason: String
    var description: String { "\(url): \(reason)" }
}

/// Over the network, through AsyncHTTPClient's shared client: ten seconds per request and at most
/// one megabyte of answer, so a provider that hangs or floods does not hold a sign-in.
struct HTTPTransport: OIDCTransport {
    var timeout: TimeAmount = .seconds(10)
    static let maxBody = 1 << 20

    func get(_ url: String, bearer: String?) async throws -> OIDCResponse {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer " + bearer) }
        return try await send(request)
    }

    func postForm(_ url: String, form: [(String, String)], basic: (user: String, password: String)?) async throws
        -> OIDCResponse
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        if let basic {
            // RFC 6749 §2.3.1: each part form-encoded before the Basic encoding.
            let pair = FormEncoding.encode(basic.user) + ":" + FormEncoding.encode(basic.password)
            request.headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        }
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> OIDCResponse {
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: Self.maxBody)
            return OIDCResponse(status: Int(response.status.code), body: Data(buffer.readableBytesView))
        } catch {
            throw OIDCUnreachable(url: request.url, reason: String(describing: error))
        }
    }
}

/// application/x-www-form-urlencoded, as OAuth 2.0 writes its requests and query strings.
enum FormEncoding {
    private static let unreserved = CharacterSet(
        charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// `url` with the pairs added to its query.
    static func url(_ url: String, adding pairs: [(String, String)]) -> String {
        url + (url.contains("?") ? "&" : "?") + encode(pairs)
    }
}
