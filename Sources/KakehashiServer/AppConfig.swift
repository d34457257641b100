import Configuration
import Foundation
import Logging
import SystemPackage

/// Every setting, read once: flags, then environment, then `.env`, then defaults.
/// `ProcessInfo.processInfo.environment` is read nowhere else.
public struct AppConfig: Sendable {
    var databaseURL: DatabaseURL
    var databaseURLText: String
    var databaseSchema: String?
    var dataDirectory: String
    var host: String
    var port: Int
    var logLevel: Logger.Level
    var secureCookies: Bool
    var trustProxy: Bool
    var sessionIdleMinutes: Int
    var sessionAbsoluteHours: Int
    var bcryptCost: UInt8
    var attachmentMaxBytes: Int
    /// nil when no SMTP server is configured: notifications stay in the app.
    var smtp: SMTPSettings?
    var publicURL: String
    var mailIntervalSeconds: Int
    /// The Ed25519 key that signs audit checkpoints — outside the database, backed up separately.
    var auditKeyFile: String
    /// Where signed checkpoints are appended (outside the database).
    var auditCheckpointDirectory: String
    /// How often `serve` signs the chain's head when it has moved (0: only on demand).
    var auditCheckpointMinutes: Int
    /// A syslog collector that receives every checkpoint too (nil: the directory only).
    var auditCheckpointSyslog: AuditCheckpointSyslog?
    /// System administrators sign in with an authenticator code too (`KAKEHASHI_ADMIN_TOTP`,
    /// `required` by default; `serve --demo` makes it `optional` unless set).
    var adminSecondFactorRequired = true
    /// How identity providers are reached; tests put a provider of their own here.
    var oidcTransport: (any OIDCTransport)?

    public init(reader: ConfigReader) throws {
        dataDirectory = reader.string(forKey: "kakehashi.data.dir", default: "./kakehashi-data")
        databaseURLText = reader.string(forKey: "database.url", default: "sqlite:\(dataDirectory)/kakehashi.sqlite")
        databaseURL = try DatabaseURL(databaseURLText)
        databaseSchema = reader.string(forKey: "database.schema")
        host = reader.string(forKey: "kakehashi.host", default: "127.0.0.1")
        port = Self.int(reader, "kakehashi.port") ?? 8080
        logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        // Secure cookies are not sent over plain http; on a loopback address (development) they are off by default.
        secureCookies = Self.bool(reader, "kakehashi.cookie.secure") ?? !loopback
        trustProxy = Self.bool(reader, "kakehashi.trust.proxy") ?? false
        sessionIdleMinutes = max(1, Self.int(reader, "kakehashi.session.idle.minutes") ?? 30)
        sessionAbsoluteHours = max(1, Self.int(reader, "kakehashi.session.absolute.hours") ?? 12)
        attachmentMaxBytes = min(200, max(1, Self.int(reader, "kakehashi.attachment.max.mb") ?? 20)) << 20
        if let smtpHost = reader.string(forKey: "smtp.host"), !smtpHost.isEmpty {
            var smtp = SMTPSettings(host: smtpHost, from: reader.string(forKey: "smtp.from", default: "kakehashi@localhost"))
            smtp.port = Self.int(reader, "smtp.port") ?? 25
            let tls = reader.string(forKey: "smtp.tls", default: "optional")
            guard let mode = SMTPSettings.TLSMode(rawValue: tls) else {
                throw ConfigError.invalid(key: "SMTP_TLS", value: tls, expected: "off, optional or required")
            }
            smtp.tls = mode
            smtp.verifyCertificate = Self.bool(reader, "smtp.tls.verify") ?? true
            smtp.username = reader.string(forKey: "smtp.username")
            smtp.password = reader.string(forKey: "smtp.password", isSecret: true)
            self.smtp = smtp
        }
        publicURL = reader.string(forKey: "kakehashi.public.url", default: "http://\(Self.shownHost(host)):\(port)")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        mailIntervalSeconds = max(1, Self.int(reader, "kakehashi.mail.interval.seconds") ?? 5)
        bcryptCost = UInt8(clamping: min(16, max(4, Self.int(reader, "kakehashi.bcrypt.cost") ?? 12)))
        auditKeyFile = reader.string(forKey: "kakehashi.audit.key.file", default: "\(dataDirectory)/audit-signing.key")
        auditCheckpointDirectory = reader.string(forKey: "kakehashi.audit.checkpoint.dir", default: "\(dataDirectory)/audit-checkpoints")
        auditCheckpointMinutes = max(0, Self.int(reader, "kakehashi.audit.checkpoint.minutes") ?? 60)
        if let syslog = reader.string(forKey: "kakehashi.audit.checkpoint.syslog"), !syslog.isEmpty {
            guard let collector = AuditCheckpointSyslog(address: syslog) else {
                throw ConfigError.invalid(key: "KAKEHASHI_AUDIT_CHECKPOINT_SYSLOG", value: syslog,
                                          expected: "udp://HOST:PORT")
            }
            auditCheckpointSyslog = collector
        }
        switch reader.string(forKey: "kakehashi.admin.totp", default: "required") {
        case "required": adminSecondFactorRequired = true
        case "optional": adminSecondFactorRequired = false
        case let other:
            throw ConfigError.invalid(key: "KAKEHASHI_ADMIN_TOTP", value: other, expected: "required or optional")
        }
    }

    // Every value is read as text and parsed here, so flags, environment and `.env` behave alike.
    private static func int(_ reader: ConfigReader, _ key: ConfigKey) -> Int? {
        reader.string(forKey: key).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    private static func bool(_ reader: ConfigReader, _ key: ConfigKey) -> Bool? {
        switch reader.string(forKey: key)?.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }

    /// Flags (as config keys) over the environment over `.env` in the working directory.
    public static func reader(flags: [String: String] = [:]) async throws -> ConfigReader {
        let values = Dictionary(uniqueKeysWithValues: flags.map { (AbsoluteConfigKey(stringLiteral: $0.key), ConfigValue(.string($0.value), isSecret: false)) })
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: FilePath(".env"), allowMissing: true),
        ])
    }

    /// Settings that cannot be used as given.
    enum ConfigError: Error, CustomStringConvertible {
        case invalid(key: String, value: String, expected: String)
        var description: String {
            switch self {
            case .invalid(let key, let value, let expected): "\(key)=\(value) is not valid; expected \(expected)"
            }
        }
    }

    /// The host to print in URLs (a wildcard address is shown as localhost).
    public var displayHost: String { Self.shownHost(host) }

    private static func shownHost(_ host: String) -> String { ["0.0.0.0", "::"].contains(host) ? "localhost" : host }

    var logger: Logger {
        var logger = Logger(label: "kakehashi")
        logger.logLevel = logLevel
        return logger
    }

    var attachments: AttachmentService.Setup {
        .init(store: AttachmentStore(dataDirectory: dataDirectory), policy: AttachmentPolicy(maximumBytes: attachmentMaxBytes))
    }

    var sessionStore: SessionStore {
        SessionStore(idleTimeout: TimeInterval(sessionIdleMinutes * 60), absoluteTimeout: TimeInterval(sessionAbsoluteHours * 3600))
    }
}
