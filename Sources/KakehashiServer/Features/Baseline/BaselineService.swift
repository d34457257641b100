import Foundation
import KakehashiCore
import SQLKit

/// A system's files checked by the security baseline, in the server: those who keep the tenant's
/// catalog upload or replace the design record and IaC files and run the baseline; every run is
/// kept with its report; readers of the catalog see them.
struct BaselineService: Sendable {
    let database: AppDatabase
    let library: BaselineLibrary
    let repository = BaselineRepository()

    /// The most one uploaded file may hold.
    static let maxBytes = 2 << 20
    static let extensions = [".json", ".yaml", ".yml", ".template"]

    /// The shipped baseline, loaded once for the process; a mistake in it stops the server from starting.
    static let shipped = Result { () throws(BaselineLoadError) in try BaselineLibrary.shipped() }

    /// Checks that the file is a design record, template or plan that reads, then stores it under its name.
    /// `english` picks the language of the reader's reason when the file does not read.
    func upload(
        _ systemId: String, name raw: String, bytes: [UInt8], english: Bool, principal: Principal
    ) async throws -> BaselineFile {
        let file = try Self.checked(
            systemId, name: (raw as NSString).lastPathComponent, bytes: bytes, english: english,
            by: principal.id)
        try await store([file], systemId: systemId, principal: principal)
        return file
    }

    /// Several files at once, as a pipeline sends them: every one must read, or none is stored.
    /// Names keep their folders (`templates/app.yaml`), so files of the same name in two folders stay apart.
    func upload(
        _ systemId: String, files: [(name: String, bytes: [UInt8])], english: Bool, principal: Principal
    ) async throws -> [BaselineFile] {
        var checked: [BaselineFile] = []
        var errors: [FieldError] = []
        for (index, f) in files.enumerated() {
            let name = Self.relativeName(f.name)
            switch Result(catching: { () throws(AppError) in
                try Self.checked(systemId, name: name, bytes: f.bytes, english: english, by: principal.id)
            }) {
            case .success(let file): checked.append(file)
            case .failure(.invalid(let found)):
                errors += found.map {
                    FieldError(
                        field: "files[\(index)]", code: $0.code, args: $0.args.merging(["file": name]) { a, _ in a })
                }
            case .failure(let other): throw other
            }
        }
        if Set(checked.map(\.name)).count < checked.count {
            errors.append(FieldError(field: "files", code: "baseline_file_twice"))
        }
        guard errors.isEmpty else { throw AppError.invalid(errors) }
        try await store(checked, systemId: systemId, principal: principal)
        return checked
    }

    /// A path as a stored name: forward slashes, no leading `./` or `/`, no `..` or empty parts, at most
    /// 200 characters.
    static func relativeName(_ path: String) -> String {
        let parts = path.replacingOccurrences(of: "\\", with: "/").split(separator: "/")
            .filter { $0 != "." && $0 != ".." && !$0.isEmpty }
        return String(parts.joined(separator: "/").suffix(200))
    }

    private static func checked(
        _ systemId: String, name: String, bytes: [UInt8], english: Bool, by personId: String
    ) throws(AppError) -> BaselineFile {
        let name = String(name.prefix(200))
        var errors: [FieldError] = []
        if name.isEmpty || !Self.extensions.contains(where: name.lowercased().hasSuffix) {
            errors.append(
                FieldError(
                    field: "file", code: "baseline_file_type", args: ["types": Self.extensions.joined(separator: " ")]))
        } else if bytes.isEmpty {
            errors.append(FieldError(field: "file", code: "attachment_empty"))
        } else if bytes.count > Self.maxBytes {
            errors.append(FieldError(field: "file", code: "attachment_too_large", args: ["max": "2"]))
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        let document: IaCDocument
        switch BaselineCheck.read(.init(path: name, bytes: bytes, named: true), english: english) {
        case .success(let found?): document = found
        case .success(nil): throw .invalid([FieldError(field: "file", code: "baseline_file_unknown")])
        case .failure(let error):
            throw .invalid([
                error.line.map {
                    FieldError(
                        field: "file", code: "baseline_file_unreadable_at",
                        args: ["reason": error.message, "line": String($0)])
                }
                    ?? FieldError(field: "file", code: "baseline_file_unreadable", args: ["reason": error.message])
            ])
        }
        return BaselineFile(
            id: UUIDs.make(), systemId: systemId, name: name, format: document.format.rawValue,
            content: String(decoding: bytes, as: UTF8.self), size: bytes.count, uploadedBy: personId,
            uploadedAt: Timestamp.now())
    }

    private func store(_ files: [BaselineFile], systemId: String, principal: Principal) async throws {
        let access = PortfolioAccess(principal: principal)
        let repository = self.repository
        try await database.transaction { sql in
            guard
                let system = try await PortfolioRepository().find(systemId, tenants: access.readableTenantIds, on: sql)
            else { throw AppError.notFound }
            guard access.mayEdit(system.tenantId) else { throw AppError.forbidden }
            for file in files {
                try await repository.put(file, on: sql)
                try await AuditLog.record(
                    "baseline.file_uploaded", tenantId: system.tenantId, actor: .init(principal), targetType: "system",
                    targetId: systemId, after: ["file": file.name, "format": file.format, "size": String(file.size)],
                    on: sql)
            }
        }
    }

    func remove(_ systemId: String, file id: String, principal: Principal) async throws {
        let access = PortfolioAccess(principal: principal)
        let repository = self.repository
        try await database.transaction { sql in
            guard
                let system = try await PortfolioRepository().find(systemId, tenants: access.readableTenantIds, on: sql)
            else { throw AppError.notFound }
            guard access.mayEdit(system.tenantId) else { throw AppError.forbidden }
            guard let removed = try await repository.delete(id, of: systemId, on: sql) else { throw AppError.notFound }
            try await AuditLog.record(
                "baseline.file_removed", tenantId: system.tenantId, actor: .init(principal), targetType: "system",
                targetId: systemId,
                before: ["file": removed.name], on: sql)
        }
    }

    /// Runs every rule over the system's files and keeps the run.
    func run(_ systemId: String, principal: Principal) async throws -> BaselineRun {
        let access = PortfolioAccess(principal: principal)
        let repository = self.repository
        let library = self.library
        // Read, check on HeavyWork's threads (no lock held while the rules run), then record.
        let (system, files, exceptions) = try await database.read { sql in
            guard
                let system = try await PortfolioRepository().find(systemId, tenants: access.readableTenantIds, on: sql)
            else {
                throw AppError.notFound
            }
            guard access.mayEdit(system.tenantId) else { throw AppError.forbidden }
            let files = try await repository.files(of: systemId, on: sql)
            guard !files.isEmpty else { throw AppError.invalid([FieldError(field: "form", code: "baseline_no_files")]) }
            return (system, files, try await repository.exceptions(of: systemId, on: sql).compactMap(\.engine))
        }
        let report = try await HeavyWork.shared.run {
            BaselineCheck.run(
                files.map { .init(path: $0.name, bytes: Array($0.content.utf8), named: true) },
                rules: library.rules, catalog: library.catalog, exceptions: exceptions, today: TokyoDate.today(),
                english: false)
        }
        return try await database.transaction { sql in
            let s = report.summary
            let run = BaselineRun(
                id: UUIDs.make(), systemId: systemId, ranBy: principal.id, ranAt: Timestamp.now(), passed: s.passed,
                failed: s.failed,
                excepted: s.excepted, skipped: s.skipped, errors: s.errors, report: BaselineReport.json(report))
            try await repository.insert(run, on: sql)
            try await AuditLog.record(
                "baseline.run", tenantId: system.tenantId, actor: .init(principal), targetType: "system",
                targetId: systemId,
                after: ["passed": String(s.passed), "failed": String(s.failed), "errors": String(s.errors)], on: sql)
            return run
        }
    }

    static func report(_ run: BaselineRun) -> BaselineCheck.Report? {
        try? JSONDecoder().decode(BaselineCheck.Report.self, from: Data(run.report.utf8))
    }
}
