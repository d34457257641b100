import ArgumentParser
import Foundation
import KakehashiServer

/// `kakehashi backup create | verify`: one file holding the database and the attachment files.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up the database and attachment files into one file, or check one.",
        subcommands: [Create.self, Verify.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write kakehashi-backup-<time>.zip while the server keeps serving (one consistent moment).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The directory to write the backup into.") var to = "./kakehashi-backups"

        func run() async throws {
            let config = try await perform { try await common.config() }
            let report = try await perform { try await Maintenance.backupCreate(config, directory: to) }
            say(report.file)
            say(summary(report, verb: "written"))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a backup against its manifest without a database; exit 2 naming what is damaged.")
        @Argument(help: "The backup file.") var file: String

        func run() async throws {
            let report = try await perform { try Maintenance.backupVerify(file: file) }
            print(summary(report, verb: "intact"))
        }
    }
}

/// `kakehashi restore FILE`: into the empty database and data directory the options name.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty database and data directory (either engine), then check it.",
        discussion: """
            Exit 0: restored, audit chain and row counts per table and tenant match the backup.
            Exit 1: restored rows do not match the backup. Exit 2: the backup is damaged or from a newer
            release, or the target is not empty; nothing was changed.
            """)
    @OptionGroup var common: CommonOptions
    @Argument(help: "The backup file.") var file: String

    func run() async throws {
        let config = try await perform { try await common.config() }
        let report = try await perform { try await Maintenance.restore(config, file: file) }
        print(summary(report, verb: "restored"))
    }
}

private func summary(_ report: Maintenance.BackupReport, verb: String) -> String {
    let size = report.bytes > 0 ? String(format: ", %.1f MB", Double(report.bytes) / 1_048_576) : ""
    return "\(verb): \(report.tables) tables, \(report.rows) rows, \(report.files) files, "
        + "\(report.auditRecords) audit records\(size) in \(String(format: "%.1f", report.seconds)) s"
}
