import Crypto
import Foundation
import JWTKit

/// The relying party's half of OpenID Connect: the provider's metadata and signing keys (cached,
/// keys fetched again when a token names one we do not have), the code exchange, and the ID token's
/// checks — signature, issuer, audience, nonce, and times with a few minutes of clock skew.
actor OIDCClient {
    struct Metadata: Codable, Sendable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksUri: String
        var userinfoEndpoint: String?
        var endSessionEndpoint: String?
        var codeChallengeMethodsSupported: [String]?
    }

    /// Why a sign-in at the provider did not become a session (each is audited by its raw value).
    enum Failure: String, Error, Sendable {
        case unreachable = "provider_unreachable"
        case badMetadata = "provider_metadata_invalid"
        case exchangeRefused = "code_exchange_refused"
        case tokenInvalid = "id_token_invalid"
        case unknownKey = "id_token_unknown_key"
        case wrongIssuer = "id_token_wrong_issuer"
        case wrongAudience = "id_token_wrong_audience"
        case expired = "id_token_expired"
        case wrongNonce = "id_token_wrong_nonce"
        case userinfoRefused = "userinfo_refused"
    }

    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var nbf: NotBeforeClaim?
        var nonce: String?
        var azp: String?
        var email: String?
        var emailVerified: BoolClaim?
        var name: String?
        var preferredUsername: String?

        enum CodingKeys: String, CodingKey {
            case iss, sub, aud, exp, iat, nbf, nonce, azp, email, name
            case emailVerified = "email_verified"
            case preferredUsername = "preferred_username"
        }

        /// The checks that need the sign-in's context are made by `OIDCClient.verify`.
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    /// What a verified ID token says about the person.
    struct Identity: Sendable {
        var issuer: String
        var subject: String
        var email: String?
        var emailVerified: Bool
        var name: String?
        var preferredUsername: String?
        var groups: [String]
        var idToken: String
    }

    static let clockSkew: TimeInterval = 300
    static let metadataLifetime: TimeInterval = 3600

    private let transport: any OIDCTransport
    private var metadata: [String: (Metadata, Date)] = [:]
    private var keys: [String: JWTKeyCollection] = [:]

    init(transport: any OIDCTransport = HTTPTransport()) {
        self.transport = transport
    }

    // MARK: Metadata and keys

    func metadata(issuer: String, now: Date = Date()) async throws -> Metadata {
        if let (cached, at) = metadata[issuer], now.timeIntervalSince(at) < Self.metadataLifetime { return cached }
        let url = issuer.trimmingSuffix("/") + "/.well-known/openid-configuration"
        let found: Metadata = try await fetchJSON(url)
        // OpenID Connect Discovery §4.3: the document is the issuer's own, or it is not used.
        guard found.issuer == issuer, Self.isAcceptableEndpoint(found.authorizationEndpoint, issuer: issuer),
            Self.isAcceptableEndpoint(found.tokenEndpoint, issuer: issuer),
            Self.isAcceptableEndpoint(found.jwksUri, issuer: issuer)
        else { throw Failure.badMetadata }
        metadata[issuer] = (found, now)
        return found
    }

    /// The provider's keys; fetched again when `refresh` (a token named a key we do not have). Each
    /// such fetch needs a sign-in begun here and a state of ours, so a stranger cannot make many.
    private func keyCollection(issuer: String, refresh: Bool) async throws -> JWTKeyCollection {
        if let cached = keys[issuer], !refresh { return cached }
        let jwksURL = try await metadata(issuer: issuer).jwksUri
        let response = try await get(jwksURL)
        guard response.status == 200, let text = String(data: response.body, encoding: .utf8) else {
            throw Failure.badMetadata
        }
        let collection = JWTKeyCollection()
        do { try await collection.add(jwksJSON: text) } catch { throw Failure.badMetadata }
        keys[issuer] = collection
        return collection
    }

    /// Forgets what is cached for an issuer (its registration changed).
    func forget(issuer: String) {
        metadata[issuer] = nil
        keys[issuer] = nil
    }

    // MARK: The flow

    /// The URL the browser is sent to, with PKCE's S256 challenge for `verifier`.
    func authorizationURL(
        issuer: String, clientId: String, redirectURI: String, state: String, nonce: String, verifier: String,
        loginHint: String?
    ) async throws -> String {
        let found = try await metadata(issuer: issuer)
        var pairs = [
            ("response_type", "code"), ("client_id", clientId), ("redirect_uri", redirectURI),
            ("scope", "openid email profile"), ("state", state), ("nonce", nonce),
            ("code_challenge", Self.challenge(for: verifier)), ("code_challenge_method", "S256"),
        ]
        if let loginHint, !loginHint.isEmpty { pairs.append(("login_hint", loginHint)) }
        return FormEncoding.url(found.authorizationEndpoint, adding: pairs)
    }

    /// Trades the code for tokens and checks the ID token; `groupsClaim` names where groups are.
    func redeem(
        code: String, issuer: String, clientId: String, clientSecret: String, redirectURI: String,
        verifier: String, nonce: String, groupsClaim: String?, now: Date = Date()
    ) async throws -> Identity {
        let found = try await metadata(issuer: issuer)
        let response: OIDCResponse
        do {
            response = try await transport.postForm(
                found.tokenEndpoint,
                form: [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                    ("code_verifier", verifier),
                ], basic: (clientId, clientSecret))
        } catch { throw Failure.unreachable }
        struct Tokens: Decodable {
            var id_token: String?
            var access_token: String?
        }
        guard response.status == 200, let tokens = try? JSONDecoder().decode(Tokens.self, from: response.body),
            let idToken = tokens.id_token
        else { throw Failure.exchangeRefused }
        var identity = try await verify(
            idToken, issuer: issuer, clientId: clientId, nonce: nonce,
            groupsClaim: groupsClaim, now: now)
        if let endpoint = found.userinfoEndpoint, let accessToken = tokens.access_token {
            try await addUserInfo(from: endpoint, accessToken: accessToken, groupsClaim: groupsClaim, to: &identity)
        }
        return identity
    }

    /// OpenID Connect Core §5.3: with the code flow most providers put e-mail, name and groups in
    /// the UserInfo answer rather than the ID token. It must be about the same subject (§5.3.2).
    private func addUserInfo(
        from endpoint: String, accessToken: String, groupsClaim: String?, to identity: inout Identity
    ) async throws {
        let response: OIDCResponse
        do { response = try await transport.get(endpoint, bearer: accessToken) } catch { throw Failure.unreachable }
        guard response.status == 200,
            let info = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            info["sub"] as? String == identity.subject
        else { throw Failure.userinfoRefused }
        if let email = info["email"] as? String {
            identity.email = email.lowercased()
            identity.emailVerified = (info["email_verified"] as? Bool) ?? (info["email_verified"] as? String == "true")
        }
        identity.name = info["name"] as? String ?? identity.name
        identity.preferredUsername = info["preferred_username"] as? String ?? identity.preferredUsername
        if let groups = Self.groups(in: info, claim: groupsClaim) { identity.groups = groups }
    }

    func verify(
        _ idToken: String, issuer: String, clientId: String, nonce: String, groupsClaim: String?, now: Date = Date()
    ) async throws -> Identity {
        let claims = try await verifiedClaims(idToken, issuer: issuer)
        guard claims.iss.value == issuer else { throw Failure.wrongIssuer }
        guard claims.aud.value.contains(clientId), claims.aud.value.count == 1 || claims.azp == clientId else {
            throw Failure.wrongAudience
        }
        guard claims.exp.value.addingTimeInterval(Self.clockSkew) > now,
            claims.iat.value.addingTimeInterval(-Self.clockSkew) <= now,
            claims.nbf.map({ $0.value.addingTimeInterval(-Self.clockSkew) <= now }) ?? true
        else { throw Failure.expired }
        guard let said = claims.nonce, Secrets.equal(said, nonce) else { throw Failure.wrongNonce }
        return Identity(
            issuer: issuer, subject: claims.sub.value, email: claims.email?.lowercased(),
            emailVerified: claims.emailVerified?.value ?? false, name: claims.name,
            preferredUsername: claims.preferredUsername, groups: Self.groups(in: idToken, claim: groupsClaim),
            idToken: idToken)
    }

    /// The signature checked against the provider's keys; when they do not verify it (a new `kid`
    /// after a rotation, or a key jwt-kit fell back to), the keys are fetched again once.
    private func verifiedClaims(_ idToken: String, issuer: String) async throws -> Claims {
        var failure = Failure.tokenInvalid
        for refresh in [false, true] {
            let collection = try await keyCollection(issuer: issuer, refresh: refresh)
            do {
                return try await collection.verify(idToken, as: Claims.self)
            } catch let error as JWTError where error.errorType == .unknownKID || error.errorType == .noKeyProvided {
                failure = .unknownKey
            } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
                failure = .tokenInvalid
            } catch {
                throw Failure.tokenInvalid
            }
        }
        throw failure
    }

    // MARK: Helpers

    static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URL
    }

    /// The groups claim of a verified ID token (none when it has none).
    static func groups(in idToken: String, claim: String?) -> [String] {
        let parts = idToken.split(separator: ".")
        guard parts.count == 3, let data = Data(base64URL: String(parts[1])),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        return groups(in: object, claim: claim) ?? []
    }

    /// The groups claim as an array of strings or a single one; nil when absent.
    static func groups(in claims: [String: Any], claim: String?) -> [String]? {
        switch claims[claim ?? "groups"] {
        case let list as [Any]: return list.compactMap { $0 as? String }
        case let one as String: return [one]
        default: return nil
        }
    }

    /// HTTPS, or plain HTTP to this machine (a provider on loopback for tests and single hosts).
    static func isAcceptableEndpoint(_ url: String, issuer: String) -> Bool {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else { return false }
        if parts.scheme == "https" { return true }
        return parts.scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    }

    private func get(_ url: String) async throws -> OIDCResponse {
        do { return try await transport.get(url, bearer: nil) } catch { throw Failure.unreachable }
    }

    private func fetchJSON<T: Decodable>(_ url: String) async throws -> T {
        let response = try await get(url)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard response.status == 200, let value = try? decoder.decode(T.self, from: response.body) else {
            throw Failure.badMetadata
        }
        return value
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
