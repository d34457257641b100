import ArgumentParser
import Foundation
import KakehashiCore
import KakehashiServer

/// `kakehashi`: serve the application and run its maintenance jobs (README, "The command").
@main
struct Kakehashi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kakehashi",
        abstract: "架け橋 — the support desk, directory and platform server of Tokyo's digital services.",
        subcommands: [Serve.self, Migrate.self, TenantCommand.self, UserCommand.self, TokenCommand.self,
                      SCIMTokenCommand.self, IdentityProviderCommand.self,
                      AuditCommand.self, SearchCommand.self, BackupCommand.self,
                      RestoreCommand.self, PlanWaves.self, Check.self,
                      ReviewSpec.self, CheckEstimate.self])

    /// A usage error (an unknown option, a missing or malformed argument) exits 2, as every other
    /// refusal of bad input does, not ArgumentParser's 64; help and the commands' own codes are kept.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Settings every command accepts; each overrides its environment variable.
struct CommonOptions: ParsableArguments {
    @Option(help: "sqlite:PATH or postgres://user:pass@host:port/db (env DATABASE_URL)")
    var databaseURL: String?

    @Option(help: "Where the SQLite file and generated files live (env KAKEHASHI_DATA_DIR, default ./kakehashi-data)")
    var dataDir: String?

    func config(_ extra: [String: String] = [:]) async throws -> AppConfig {
        var flags = extra
        if let databaseURL { flags["database.url"] = databaseURL }
        if let dataDir { flags["kakehashi.data.dir"] = dataDir }
        return try AppConfig(reader: try await AppConfig.reader(flags: flags))
    }
}

/// Runs a maintenance job, turning its failure into a message and an exit code.
func perform<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let failure as Maintenance.Failure {
        FileHandle.standardError.write(Data("kakehashi: \(failure.description)\n".utf8))
        throw ExitCode(failure.exitCode)
    } catch let error as any CustomStringConvertible where !(error is ExitCode) {
        FileHandle.standardError.write(Data("kakehashi: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

/// Today in Tokyo (UTC+9, no daylight saving).
func tokyoToday() -> LocalDate {
    LocalDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 + 9 * 3600) / 86_400))
}

/// Unbuffered stdout: `serve` runs for hours behind pipes, and its lines must appear at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate the database and serve the application.")

    @OptionGroup var common: CommonOptions
    @Flag(help: "Load the deterministic demo data (once) and print the demo sign-in accounts.")
    var demo = false
    @Option(help: "With --demo: years of support-desk history to generate (1–20; more than 1 is for benchmarks).")
    var demoYears = 1
    @Option(help: "Address to listen on (env KAKEHASHI_HOST)") var host: String?
    @Option(help: "Port to listen on; 0 picks a free one (env KAKEHASHI_PORT)") var port: Int?

    func run() async throws {
        var flags: [String: String] = [:]
        if let host { flags["kakehashi.host"] = host }
        if let port { flags["kakehashi.port"] = String(port) }
        guard (1...20).contains(demoYears) else { throw ValidationError("--demo-years must be between 1 and 20") }
        // The demo's accounts are printed for anyone to try; its administrator may skip the code.
        if demo && ProcessInfo.processInfo.environment["KAKEHASHI_ADMIN_TOTP"] == nil {
            flags["kakehashi.admin.totp"] = "optional"
        }
        let config = try await perform { try await common.config(flags) }
        let loaded = try await perform { try await Maintenance.prepareForServe(config, demo: demo, demoYears: demoYears) }
        if demo {
            say(loaded ? "デモデータを読み込みました / demo data loaded" : "デモデータは読み込み済みです / demo data already present")
            say("デモ用アカウント / demo sign-in accounts (password: \(DemoData.password)):")
            for account in DemoData.accounts {
                say("  \(account.login.padding(toLength: 14, withPad: " ", startingAt: 0)) \(account.name)  \(account.description)")
            }
        }
        let host = config.displayHost
        let app = try await buildApplication(config: config) { port in
            // stdout may be a pipe (CI, scripts): write the line unbuffered.
            FileHandle.standardOutput.write(Data("Kakehashi listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")
    @OptionGroup var common: CommonOptions
    @Flag(help: "Print the SQL the pending migrations would run; change nothing.") var dryRun = false

    func run() async throws {
        let config = try await perform { try await common.config() }
        for line in try await perform({ try await Maintenance.migrate(config, dryRun: dryRun) }) { print(line) }
    }
}

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tenant", abstract: "Manage tenants.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a tenant (with a root org unit).")
        @OptionGroup var common: CommonOptions
        @Option(help: "`tokyo` or a 6-digit 全国地方公共団体コード") var id: String
        @Option(help: "Japanese name, e.g. 千代田区") var name: String
        @Option(help: "metropolis, specialWard, city, town or village") var kind: String
        @Option(help: "English name") var nameEn: String?

        func run() async throws {
            let config = try await perform { try await common.config() }
            print(try await perform { try await Maintenance.addTenant(config, id: id, name: name, kind: kind, nameEn: nameEn) })
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage people.",
                                                    subcommands: [Add.self, Deactivate.self, ResetTOTP.self,
                                                                  BreakGlassCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person; prints the new person's id.")
        @OptionGroup var common: CommonOptions
        @Option var login: String
        @Option(help: "Display name, e.g. 山田 花子") var name: String
        @Option(help: "Tenant id: tokyo or a 全国地方公共団体コード") var tenant: String
        @Option(help: "requester, deskOfficer, specialist:TEAM, platformEngineer, tenantAdmin, auditor, systemAdmin (repeatable)")
        var role: [String] = []
        @Option(help: "Org unit id (default: the tenant's root unit)") var unit: String?
        @Flag(help: "Read the password from standard input (first line).") var passwordStdin = false

        func run() async throws {
            let config = try await perform { try await common.config() }
            let password = passwordStdin ? readLine(strippingNewline: true) : nil
            if passwordStdin && (password ?? "").isEmpty {
                FileHandle.standardError.write(Data("kakehashi: --password-stdin given but standard input had no password\n".utf8))
                throw ExitCode(2)
            }
            print(try await perform {
                try await Maintenance.addUser(config, login: login, name: name, tenant: tenant, roles: role, unit: unit, password: password)
            })
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deactivate a leaver: their sessions, API tokens and platform grants end at once.")
        @OptionGroup var common: CommonOptions
        @Option var login: String

        func run() async throws {
            let config = try await perform { try await common.config() }
            print(try await perform { try await Maintenance.deactivateUser(config, login: login) })
        }
    }

    struct ResetTOTP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-totp", abstract: "Remove a person's authenticator key (a lost or replaced phone).")
        @OptionGroup var common: CommonOptions
        @Option var login: String

        func run() async throws {
            let config = try await perform { try await common.config() }
            try await perform { try await Maintenance.resetSecondFactor(config, login: login) }
            print("reset \(login): the next sign-in sets up a new key where one is required")
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bearer token; prints only the token.")
        @OptionGroup var common: CommonOptions
        @Option var login: String
        @Option var name: String = "cli"

        func run() async throws {
            let config = try await perform { try await common.config() }
            print(try await perform { try await Maintenance.createToken(config, login: login, name: name) })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke one of a person's tokens by id.")
        @OptionGroup var common: CommonOptions
        @Option var login: String
        @Option var id: String

        func run() async throws {
            let config = try await perform { try await common.config() }
            try await perform { try await Maintenance.revokeToken(config, login: login, id: id) }
            print("revoked \(id)")
        }
    }
}

struct SCIMTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scim-token", abstract: "Tokens for a tenant's identity provider (SCIM provisioning).",
        subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a SCIM bearer token; prints only the token.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Tenant id: tokyo or a 全国地方公共団体コード") var tenant: String
        @Option var name: String = "idp"

        func run() async throws {
            let config = try await perform { try await common.config() }
            print(try await perform { try await Maintenance.createSCIMToken(config, tenant: tenant, name: name) })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a tenant's SCIM token by id.")
        @OptionGroup var common: CommonOptions
        @Option var tenant: String
        @Option var id: String

        func run() async throws {
            let config = try await perform { try await common.config() }
            try await perform { try await Maintenance.revokeSCIMToken(config, tenant: tenant, id: id) }
            print("revoked \(id)")
        }
    }
}

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "The search index.", subcommands: [Reindex.self, DemoCorpus.self])

    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild the search index from the records and attachment files.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = try await perform { try await common.config() }
            let count = try await perform { try await Maintenance.reindexSearch(config) }
            print("indexed \(count) documents")
        }
    }

    struct DemoCorpus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo-corpus", abstract: "For benchmarks: add generated Japanese documents to the index of a demo database.")
        @OptionGroup var common: CommonOptions
        @Option(help: "How many documents") var documents: Int = 300_000

        func run() async throws {
            let config = try await perform { try await common.config() }
            let count = try await perform { try await Maintenance.loadSearchCorpus(config, documents: max(1, min(documents, 2_000_000))) }
            print("added \(count) documents")
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit trail.",
                                                    subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the hash chain (and, with --checkpoints, against the signed heads); exit 1 naming the first broken record.")
        @OptionGroup var common: CommonOptions
        @Option(help: "A directory of signed checkpoints (KAKEHASHI_AUDIT_CHECKPOINT_DIR's files).")
        var checkpoints: String?
        @Option(name: .customLong("public-key"), help: "The signing key's public half (PEM); default: the signing key's.")
        var publicKey: String?

        func run() async throws {
            let config = try await perform { try await common.config() }
            let (code, message) = try await perform { try await Maintenance.verifyAudit(config, checkpoints: checkpoints, publicKeyFile: publicKey) }
            print(message)
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the chain's head now and append the checkpoint.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = try await perform { try await common.config() }
            let written = try await perform { try await Maintenance.checkpointAudit(config) }
            print(written ?? "nothing to sign: the chain's head is already signed (or the chain is empty)")
        }
    }
}
