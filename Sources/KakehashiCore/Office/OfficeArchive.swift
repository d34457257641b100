import Foundation
import ZIPFoundation

/// An Office Open XML file (.docx, .xlsx) opened for reading its parts, with what can go wrong
/// said precisely: not a zip, a password-protected or old binary (.doc/.xls) file — both are OLE
/// compound files —, a part missing, or parts that expand past a budget (a zip bomb stops there).
public struct OfficeArchive {
    public enum Failure: Error, Equatable, Sendable {
        case empty
        /// An OLE compound file: a password-protected Office file, or the old .doc/.xls format.
        case protectedOrLegacy
        case notOffice
        case missingPart(String)
        case tooLarge(limit: Int)
    }

    let archive: Archive
    private(set) var budget: Int

    public init(_ data: Data, budget: Int = 64 << 20) throws(Failure) {
        guard !data.isEmpty else { throw .empty }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { throw .protectedOrLegacy }
        guard data.starts(with: [0x50, 0x4B]), let archive = try? Archive(data: data, accessMode: .read) else { throw .notOffice }
        self.archive = archive
        self.budget = budget
    }

    public func has(_ path: String) -> Bool { archive[path] != nil }

    /// The paths of the files in the archive that `wanted` picks, in numeric order (sheet2 before sheet10).
    public func paths(_ wanted: (String) -> Bool) -> [String] {
        archive.filter { $0.type == .file && wanted($0.path) }.map(\.path)
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
    }

    /// The bytes of one part; each read counts against the budget.
    public mutating func part(_ path: String) throws(Failure) -> [UInt8] {
        guard let entry = archive[path] else { throw .missingPart(path) }
        var bytes: [UInt8] = []
        var left = budget
        do {
            _ = try archive.extract(entry, skipCRC32: true) { chunk in
                left -= chunk.count
                guard left >= 0 else { throw Stop() }
                bytes.append(contentsOf: chunk)
            }
        } catch {
            if left < 0 { throw .tooLarge(limit: budget) }
            throw .notOffice
        }
        budget = left
        return bytes
    }

    struct Stop: Error {}
}
