import Crypto
import Foundation
import JWTKit

@testable import KakehashiServer

/// OpenID Connect providers for router tests, reached through `OIDCTransport` instead of the
/// network: discovery, JWKS (keys that rotate) and a token endpoint that checks the PKCE verifier
/// against the challenge of the authorization request and hands out the ID token the test minted.
final class FakeIdentityProviders: OIDCTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var providers: [String: Provider] = [:]
    /// Set to make every request fail as if the provider were down.
    var down = false

    final class Provider: @unchecked Sendable {
        let issuer: String
        let clientId: String
        fileprivate(set) var keys: [(kid: String, key: ES256PrivateKey)] = []
        fileprivate var codes: [String: (idToken: String, challenge: String)] = [:]
        fileprivate(set) var tokenRequests = 0

        init(issuer: String, clientId: String) {
            self.issuer = issuer
            self.clientId = clientId
            rotate()
        }

        /// A new signing key; the old one leaves the JWKS.
        func rotate() { keys = [("k\(keys.count + 1)-\(UUID().uuidString.prefix(6))", ES256PrivateKey())] }

        var metadata: String {
            """
            {"issuer":"\(issuer)","authorization_endpoint":"\(issuer)/authorize","token_endpoint":"\(issuer)/token",
             "jwks_uri":"\(issuer)/jwks","end_session_endpoint":"\(issuer)/logout",
             "code_challenge_methods_supported":["S256"]}
            """
        }

        var jwks: String {
            let entries = keys.map { kid, key in
                let (x, y) = key.publicKey.parameters!
                return #"{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"\#(kid)","x":"\#(x)","y":"\#(y)"}"#
            }
            return #"{"keys":[\#(entries.joined(separator: ","))]}"#
        }
    }

    struct Claims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int
        var iat: Int
        var nonce: String?
        var email: String?
        var email_verified: Bool?
        var name: String?
        var preferred_username: String?
        var groups: [String]?

        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    @discardableResult
    func add(issuer: String, clientId: String = "kakehashi") -> Provider {
        let provider = Provider(issuer: issuer, clientId: clientId)
        lock.withLock { providers[issuer] = provider }
        return provider
    }

    /// Signs `claims` with the provider's current key (or `key`, to forge one) and keeps it for `code`.
    func mint(
        _ claims: Claims, at provider: Provider, code: String, challenge: String,
        key: ES256PrivateKey? = nil, kid: String? = nil
    ) async throws {
        let signers = JWTKeyCollection()
        let current = provider.keys[0]
        await signers.add(ecdsa: key ?? current.key, kid: JWKIdentifier(string: kid ?? current.kid))
        let token = try await signers.sign(claims, kid: JWKIdentifier(string: kid ?? current.kid))
        lock.withLock { provider.codes[code] = (token, challenge) }
    }

    private func provider(for url: String) -> Provider? {
        lock.withLock { providers.values.first { url.hasPrefix($0.issuer + "/") } }
    }

    func get(_ url: String, bearer: String?) async throws -> OIDCResponse {
        guard !down, let provider = provider(for: url) else { throw OIDCUnreachable(url: url, reason: "down") }
        if url.hasSuffix("/.well-known/openid-configuration") {
            return .init(status: 200, body: Data(provider.metadata.utf8))
        }
        if url.hasSuffix("/jwks") { return .init(status: 200, body: Data(lock.withLock { provider.jwks }.utf8)) }
        return .init(status: 404, body: Data())
    }

    func postForm(_ url: String, form: [(String, String)], basic: (user: String, password: String)?) async throws
        -> OIDCResponse
    {
        guard !down, let provider = provider(for: url), url.hasSuffix("/token") else {
            throw OIDCUnreachable(url: url, reason: "down")
        }
        let fields = Dictionary(form, uniquingKeysWith: { a, _ in a })
        let pending = lock.withLock { () -> (idToken: String, challenge: String)? in
            provider.tokenRequests += 1
            return provider.codes.removeValue(forKey: fields["code"] ?? "")
        }
        let verifier = fields["code_verifier"] ?? ""
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64URL
        guard let pending, basic?.user == provider.clientId, pending.challenge == challenge,
            fields["grant_type"] == "authorization_code"
        else { return .init(status: 400, body: Data(#"{"error":"invalid_grant"}"#.utf8)) }
        return .init(
            status: 200,
            body: Data(#"{"access_token":"a","token_type":"Bearer","id_token":"\#(pending.idToken)"}"#.utf8))
    }
}
