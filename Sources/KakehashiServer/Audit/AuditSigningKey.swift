import Crypto
import Foundation

/// The Ed25519 key that signs the audit chain's head. It lives in a file outside the database
/// (`KAKEHASHI_AUDIT_KEY_FILE`, created with mode 0600 on first use, PKCS#8 PEM so that `openssl`
/// reads it), so a database writer who recomputes the chain cannot sign the result. Its public half
/// is written beside it (`<file>.pub`, SubjectPublicKeyInfo PEM) for auditors.
struct AuditSigningKey: Sendable {
    /// The 32 bytes of the private key (swift-crypto's key type is not Sendable), checked when read.
    private let raw: Data

    init(privateKey: Curve25519.Signing.PrivateKey) { raw = privateKey.rawRepresentation }

    // The bytes were a valid key when this value was made.
    var privateKey: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: raw) }

    var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// The first 16 hex digits of the public key's SHA-256: which key signed a checkpoint.
    var keyId: String { Self.keyId(of: publicKey) }

    static func keyId(of key: Curve25519.Signing.PublicKey) -> String {
        String(Secrets.sha256Hex(key.rawRepresentation.base64EncodedString()).prefix(16))
    }

    enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): "the audit signing key \(path) cannot be used: \(reason)"
            }
        }
    }

    // DER prefixes of RFC 8410 Ed25519 keys: PKCS#8 private key and SubjectPublicKeyInfo.
    private static let privatePrefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                                 0x04, 0x22, 0x04, 0x20]
    private static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// Reads the key, or creates it (0600) with its public half when the file does not exist.
    static func loadOrCreate(_ path: String) throws -> AuditSigningKey {
        if FileManager.default.fileExists(atPath: path) { return try load(path) }
        let key = AuditSigningKey(privateKey: Curve25519.Signing.PrivateKey())
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let pem = pemBlock("PRIVATE KEY", privatePrefix + [UInt8](key.privateKey.rawRepresentation))
        guard FileManager.default.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure.unreadable(path: path, reason: "it could not be created")
        }
        try Data(publicPEM(key.publicKey).utf8).write(to: URL(fileURLWithPath: path + ".pub"))
        return key
    }

    static func load(_ path: String) throws -> AuditSigningKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure.unreadable(path: path, reason: "it cannot be read")
        }
        guard let der = derBytes(text), der.count == privatePrefix.count + 32, Array(der.prefix(privatePrefix.count)) == privatePrefix,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)) else {
            throw Failure.unreadable(path: path, reason: "it is not an Ed25519 private key in PEM")
        }
        return AuditSigningKey(privateKey: key)
    }

    /// A public key from its PEM (the `.pub` file an auditor is given).
    static func publicKey(pem text: String) -> Curve25519.Signing.PublicKey? {
        guard let der = derBytes(text), der.count == publicPrefix.count + 32, Array(der.prefix(publicPrefix.count)) == publicPrefix
        else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
    }

    static func publicPEM(_ key: Curve25519.Signing.PublicKey) -> String {
        pemBlock("PUBLIC KEY", publicPrefix + [UInt8](key.rawRepresentation))
    }

    private static func pemBlock(_ label: String, _ der: [UInt8]) -> String {
        "-----BEGIN \(label)-----\n\(Data(der).base64EncodedString(options: [.lineLength64Characters]))\n-----END \(label)-----\n"
    }

    private static func derBytes(_ pem: String) -> [UInt8]? {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body).map { [UInt8]($0) }
    }
}
