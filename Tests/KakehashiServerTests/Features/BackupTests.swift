import Foundation
@testable import KakehashiServer
import SQLKit
import Testing
import ZIPFoundation

/// `kakehashi backup create | verify` and `kakehashi restore`: the demo goes through a backup and
/// comes back row for row and file for file — on the same engine, and on the PostgreSQL pass
/// across to SQLite and back — and every kind of bad backup or target is refused with exit 2.
@Suite struct BackupTests {
    @Test func theDemoComesBackRowForRowAndFileForFile() async throws {
        let source = try TestEnvironment()
        let work = Self.scratch()
        defer { Task { await source.cleanUp() }; try? FileManager.default.removeItem(at: work) }
        _ = try await Maintenance.prepareForServe(source.config, demo: true)
        let taken = try await Maintenance.backupCreate(source.config, directory: work.path)
        #expect(taken.files > 0 && taken.rows > 1_000 && taken.auditRecords > 0)
        let manifest = try BackupReader(URL(fileURLWithPath: taken.file)).manifest
        #expect(try Maintenance.backupVerify(file: taken.file).rows == taken.rows)

        let target = try TestEnvironment()
        defer { Task { await target.cleanUp() } }
        let restored = try await Maintenance.restore(target.config, file: taken.file)
        #expect(restored.rows == taken.rows)
        let before = try await DatabaseSnapshot.take(source)
        let after = try await DatabaseSnapshot.take(target)
        #expect(after.changed(since: before).filter(Self.isCopied) == [])
        #expect(try await Maintenance.verifyAudit(target.config).code == 0)
        try Self.expectFiles(of: manifest, in: target.config.dataDirectory)
        // The search index is rebuilt: what was found before is found after.
        let found = try await target.db { db in
            try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM search_documents").first(decodingColumn: "n", as: Int.self)
            }
        }
        #expect((found ?? 0) > 0)

        // A document the database references but the disk has lost stops the backup, naming it.
        let lost = try #require(manifest.files.first)
        try FileManager.default.removeItem(at: URL(fileURLWithPath: source.config.dataDirectory)
            .appendingPathComponent(lost.path))
        let stopped = await Self.failure {
            _ = try await Maintenance.backupCreate(source.config, directory: work.appendingPathComponent("lost").path)
        }
        #expect(stopped?.exitCode == 2)
        #expect(stopped?.description.contains(lost.sha256) == true)
        let leftBehind = (try? FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("lost").path))
        #expect(leftBehind ?? [] == [], "a stopped backup leaves no file")

        guard TestEnvironment.engine == "postgres" else { return }
        // PostgreSQL → SQLite → PostgreSQL: the table files of each backup are the same bytes.
        let embedded = try Self.sqliteEnvironment()
        defer { Task { await embedded.cleanUp() } }
        _ = try await Maintenance.restore(embedded.config, file: taken.file)
        let fromSQLite = try await Maintenance.backupCreate(embedded.config,
                                                            directory: work.appendingPathComponent("s").path)
        let back = try TestEnvironment()
        defer { Task { await back.cleanUp() } }
        _ = try await Maintenance.restore(back.config, file: fromSQLite.file)
        let fromBack = try await Maintenance.backupCreate(back.config, directory: work.appendingPathComponent("p").path)
        for file in [fromSQLite.file, fromBack.file] {
            let other = try BackupReader(URL(fileURLWithPath: file)).manifest
            #expect(Self.tableHashes(other) == Self.tableHashes(manifest))
            #expect(other.auditHead == manifest.auditHead)
        }
        #expect(try await DatabaseSnapshot.take(back).changed(since: before).filter(Self.isCopied) == [])
    }

    @Test func damagedTruncatedAndForeignFilesAreRefusedAndChangeNothing() async throws {
        let (source, backup, work) = try await Self.smallBackup()
        defer { Task { await source.cleanUp() }; try? FileManager.default.removeItem(at: work) }
        let original = try Data(contentsOf: backup)
        let bad: [(name: String, says: String, make: (URL) throws -> Void)] = [
            ("altered-row", "does not match its SHA-256", { try Self.rewrite(backup, to: $0) { path, data in
                guard path == "tables/tenants.jsonl" else { return data }
                let text = String(decoding: data, as: UTF8.self)
                let altered = Data(text.replacingOccurrences(of: "千代田区", with: "八王子区").utf8)
                #expect(altered != data)
                return altered
            } }),
            ("missing-table", "is missing", { try Self.rewrite(backup, to: $0) { path, data in
                path == "tables/role_grants.jsonl" ? nil : data
            } }),
            ("extra-entry", "not in its manifest", {
                try Self.rewrite(backup, to: $0, adding: ("notes.txt", Data("x".utf8))) { $1 }
            }),
            ("truncated", "not a complete .zip", { try original.prefix(original.count / 2).write(to: $0) }),
            ("random-bytes", "not a complete .zip", {
                try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }).write(to: $0)
            }),
            ("foreign-zip", "has no manifest.json", { url in
                let archive = try Archive(url: url, accessMode: .create)
                try BackupWriter.add(Data("hello".utf8), as: "readme.txt", to: archive)
            }),
            ("foreign-manifest", "not a Kakehashi manifest", { try Self.rewrite(backup, to: $0) { path, data in
                path == BackupManifest.fileName ? Data(#"{"kind":"something-else"}"#.utf8) : data
            } }),
        ]
        for item in bad {
            let file = work.appendingPathComponent("\(item.name).zip")
            try item.make(file)
            let verified = Self.failure { _ = try Maintenance.backupVerify(file: file.path) }
            #expect(verified?.exitCode == 2, "\(item.name)")
            #expect(verified?.description.contains(item.says) == true,
                    "\(item.name): \(verified?.description ?? "accepted")")
            let target = try TestEnvironment()
            defer { Task { await target.cleanUp() } }
            let restored = await Self.failure { _ = try await Maintenance.restore(target.config, file: file.path) }
            #expect(restored?.exitCode == 2, "\(item.name)")
            #expect(!FileManager.default.fileExists(atPath: target.config.dataDirectory),
                    "\(item.name) touched the target")
        }
    }

    @Test func aTargetThatHoldsAnythingIsRefused() async throws {
        let (source, backup, work) = try await Self.smallBackup()
        defer { Task { await source.cleanUp() }; try? FileManager.default.removeItem(at: work) }
        let before = try await DatabaseSnapshot.take(source)
        let intoItself = await Self.failure { _ = try await Maintenance.restore(source.config, file: backup.path) }
        #expect(intoItself?.exitCode == 2)
        #expect(intoItself?.description.contains("not empty") == true)
        #expect(try await DatabaseSnapshot.take(source) == before)

        // An empty database beside a data directory that already holds a file.
        let target = try TestEnvironment()
        defer { Task { await target.cleanUp() } }
        let stray = AttachmentStore(dataDirectory: target.config.dataDirectory)
        _ = try stray.save(Data("a file from another instance".utf8))
        let beside = await Self.failure { _ = try await Maintenance.restore(target.config, file: backup.path) }
        #expect(beside?.exitCode == 2)
        #expect(beside?.description.contains("attachment files") == true)
    }

    @Test func restoredRowsThatDoNotMatchTheManifestAreRolledBackWithExit1() async throws {
        let (source, backup, work) = try await Self.smallBackup()
        defer { Task { await source.cleanUp() }; try? FileManager.default.removeItem(at: work) }
        // Whole as an archive (verify passes), but its per-tenant counts of people are wrong.
        let miscounted = work.appendingPathComponent("miscounted.zip")
        try Self.rewrite(backup, to: miscounted) { path, data in
            guard path == BackupManifest.fileName else { return data }
            var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            var tables = object["tables"] as? [[String: Any]] ?? []
            guard let index = tables.firstIndex(where: { $0["name"] as? String == "people" }) else {
                throw CocoaError(.fileReadCorruptFile)
            }
            var counts = tables[index]["rowsByTenant"] as? [String: Int] ?? [:]
            let tenants = counts.keys.sorted()
            guard tenants.count >= 2 else { throw CocoaError(.fileReadCorruptFile) }
            counts[tenants[0], default: 0] += 1
            counts[tenants[1], default: 0] -= 1
            tables[index]["rowsByTenant"] = counts
            object["tables"] = tables
            return try JSONSerialization.data(withJSONObject: object)
        }
        #expect(try Maintenance.backupVerify(file: miscounted.path).tables > 0)
        let target = try TestEnvironment()
        defer { Task { await target.cleanUp() } }
        let refused = await Self.failure { _ = try await Maintenance.restore(target.config, file: miscounted.path) }
        #expect(refused?.exitCode == 1)
        #expect(refused?.description.contains("people") == true)
        let people = try await target.db { db in
            try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM people").first(decodingColumn: "n", as: Int.self)
            }
        }
        #expect(people == 0, "the transaction was rolled back")
        // Nothing half-done is left in the way: the same target takes the good backup.
        #expect(try await Maintenance.restore(target.config, file: backup.path).rows > 0)

        let absent = Self.failure { _ = try Maintenance.backupVerify(file: work.appendingPathComponent("none.zip").path) }
        #expect(absent?.exitCode == 2)
        #expect(absent?.description.contains("no file") == true)
    }

    @Test func aBackupFromANewerReleaseIsRefusedWithWhatToDo() async throws {
        let (source, backup, work) = try await Self.smallBackup()
        defer { Task { await source.cleanUp() }; try? FileManager.default.removeItem(at: work) }
        let newer = work.appendingPathComponent("newer.zip")
        try Self.rewrite(backup, to: newer) { path, data in
            guard path == BackupManifest.fileName else { return data }
            var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            object["migrations"] = (object["migrations"] as? [String] ?? []) + ["M0999_FromTheFuture"]
            return try JSONSerialization.data(withJSONObject: object)
        }
        #expect(try Maintenance.backupVerify(file: newer.path).tables > 0)   // whole, only newer
        let target = try TestEnvironment()
        defer { Task { await target.cleanUp() } }
        let refused = await Self.failure { _ = try await Maintenance.restore(target.config, file: newer.path) }
        #expect(refused?.exitCode == 2)
        #expect(refused?.description.contains("M0999_FromTheFuture") == true)
        #expect(refused?.description.contains("newer Kakehashi") == true)
        #expect(!FileManager.default.fileExists(atPath: target.config.dataDirectory))
    }

    @Test func aBackupOfAnOlderSchemaIsRestoredThenMigratedForward() async throws {
        let source = try TestEnvironment()
        let work = Self.scratch()
        defer { Task { await source.cleanUp() }; try? FileManager.default.removeItem(at: work) }
        let backup = try await source.db { db in
            try await OldSchemaFixture.build(db)
            return try await BackupWriter(database: db, dataDirectory: source.config.dataDirectory).create(in: work)
        }
        #expect(backup.manifest.schemaVersion == OldSchemaFixture.migrationCount)
        let target = try TestEnvironment()
        defer { Task { await target.cleanUp() } }
        _ = try await Maintenance.restore(target.config, file: backup.file.path)
        try await target.db { db in
            #expect(try await Migrator(database: db).status().pending.isEmpty)
            try await db.read { sql in
                let consultation = try await sql.select().column("*").from("consultations")
                    .where("id", .equal, OldSchemaFixture.consultation).first(decoding: Consultation.self, with: .snake)
                #expect(consultation?.title == "旧版で受け付けた相談")
                #expect(try await DirectoryRepository().person(login: "old-requester", on: sql)?.active == true)
            }
        }
    }

    // MARK: - helpers

    /// The tables a backup copies (the migration ledger holds when each migration ran, here and there).
    static func isCopied(_ table: String) -> Bool { TableCatalog.isCopied(table) }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-backup-test-\(UUID().uuidString)")
    }

    /// A SQLite environment on the PostgreSQL pass too (the target of a move between engines).
    static func sqliteEnvironment() throws -> TestEnvironment {
        let file = scratch().appendingPathExtension("sqlite")
        return try TestEnvironment(extra: ["database.url": "sqlite:\(file.path)"])
    }

    /// The two-tenant fixture with one attachment, backed up.
    static func smallBackup() async throws -> (TestEnvironment, URL, URL) {
        let source = try TestEnvironment()
        let work = scratch()
        try await source.db { db in
            try await Migrator(database: db).run()
            _ = try await Fixture.seed(db)
        }
        _ = try AttachmentStore(dataDirectory: source.config.dataDirectory).save(Data("添付".utf8))
        let report = try await Maintenance.backupCreate(source.config, directory: work.path)
        return (source, URL(fileURLWithPath: report.file), work)
    }

    static func tableHashes(_ manifest: BackupManifest) -> [String: String] {
        Dictionary(uniqueKeysWithValues: manifest.tables.map { ($0.name, $0.sha256) })
    }

    static func expectFiles(of manifest: BackupManifest, in dataDirectory: String) throws {
        for file in manifest.files {
            let data = try Data(contentsOf: URL(fileURLWithPath: dataDirectory).appendingPathComponent(file.path))
            #expect(AttachmentStore.hash(data) == file.sha256, "\(file.path)")
        }
    }

    /// A copy of `backup` with each entry passed through `change` (nil drops it).
    static func rewrite(_ backup: URL, to copy: URL, adding extra: (String, Data)? = nil,
                        _ change: (String, Data) throws -> Data?) throws {
        let source = try Archive(url: backup, accessMode: .read)
        let target = try Archive(url: copy, accessMode: .create)
        var entries: [(String, Data)] = []
        for entry in source {
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            if let changed = try change(entry.path, data) { entries.append((entry.path, changed)) }
        }
        if let extra { entries.append(extra) }
        for (path, data) in entries {
            try BackupWriter.add(data, as: path, to: target)
        }
    }

    static func failure(_ body: () throws -> Void) -> Maintenance.Failure? {
        do { try body() } catch let failure as Maintenance.Failure { return failure } catch { return nil }
        return nil
    }

    static func failure(_ body: () async throws -> Void) async -> Maintenance.Failure? {
        do { try await body() } catch let failure as Maintenance.Failure { return failure } catch { return nil }
        return nil
    }
}
