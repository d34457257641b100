import ArgumentParser
import Foundation
import KakehashiServer

/// `kakehashi idp`: a tenant's OpenID Connect provider and its group → role table.
struct IdentityProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idp", abstract: "A tenant's single sign-on (OpenID Connect provider).",
        subcommands: [Add.self, List.self, Remove.self, MapGroup.self, UnmapGroup.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register (or replace) a tenant's provider; prints the redirect URI to register there.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Tenant id: tokyo or a 全国地方公共団体コード") var tenant: String
        @Option(help: "The provider's issuer URL (https://…), as its discovery document names it") var issuer: String
        @Option var clientId: String
        @Flag(help: "Read the client secret from standard input (first line).") var clientSecretStdin = false
        @Option(help: "An e-mail domain whose people sign in here (repeatable)") var emailDomain: [String] = []
        @Option(help: "The ID token claim listing groups (default: groups)") var groupsClaim: String?
        @Flag(help: "A first sign-in may bind an existing account with the same verified e-mail.")
        var linkByEmail = false
        @Flag(help: "A first sign-in of someone unknown creates their account, with no roles.")
        var createAccounts = false
        @Flag(help: "Only break-glass accounts may still sign in with a password.") var noPasswords = false

        func run() async throws {
            let config = try await perform { try await common.config() }
            let secret = clientSecretStdin ? readLine(strippingNewline: true) ?? "" : ""
            guard clientSecretStdin, !secret.isEmpty else {
                FileHandle.standardError.write(
                    Data("kakehashi: give the client secret with --client-secret-stdin\n".utf8))
                throw ExitCode(2)
            }
            let options = Maintenance.ProviderOptions(
                issuer: issuer, clientId: clientId, clientSecret: secret, domains: emailDomain,
                groupsClaim: groupsClaim,
                linkByEmail: linkByEmail, createAccounts: createAccounts, passwordsAllowed: !noPasswords)
            for line in try await perform({ try await Maintenance.addIdentityProvider(config, tenant: tenant, options) }
            ) {
                print(line)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every tenant's provider and group table.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = try await perform { try await common.config() }
            for line in try await perform({ try await Maintenance.listIdentityProviders(config) }) { print(line) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a tenant's provider; its people keep their accounts and bindings.")
        @OptionGroup var common: CommonOptions
        @Option var tenant: String

        func run() async throws {
            let config = try await perform { try await common.config() }
            try await perform { try await Maintenance.removeIdentityProvider(config, tenant: tenant) }
            print("removed the identity provider of \(tenant)")
        }
    }

    struct MapGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map", abstract: "Give a role to the members of a provider group; prints the row's id.")
        @OptionGroup var common: CommonOptions
        @Option var tenant: String
        @Option(help: "The group's name as the provider sends it") var group: String
        @Option(help: "requester, deskOfficer, specialist:TEAM, platformEngineer, tenantAdmin or auditor")
        var role: String

        func run() async throws {
            let config = try await perform { try await common.config() }
            print(
                try await perform { try await Maintenance.mapGroup(config, tenant: tenant, group: group, role: role) })
        }
    }

    struct UnmapGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unmap", abstract: "Remove a row of the group table.")
        @OptionGroup var common: CommonOptions
        @Option var tenant: String
        @Option var id: String

        func run() async throws {
            let config = try await perform { try await common.config() }
            try await perform { try await Maintenance.unmapGroup(config, tenant: tenant, id: id) }
            print("unmapped \(id)")
        }
    }
}

/// `kakehashi user break-glass`: the local administrator kept for when the provider is down.
struct BreakGlassCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "break-glass",
        abstract: "Mark a local administrator as break-glass: password allowed, second factor required, "
            + "each sign-in reported.")
    @OptionGroup var common: CommonOptions
    @Option var login: String
    @Flag(help: "Remove the mark.") var off = false

    func run() async throws {
        let config = try await perform { try await common.config() }
        try await perform { try await Maintenance.markBreakGlass(config, login: login, on: !off) }
        print(off ? "\(login) is no longer a break-glass account" : "\(login) is a break-glass account")
    }
}
