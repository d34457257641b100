import Foundation

/// An uploaded file kept between the check and the commit of an import (an hour at most), so the
/// desk officer chooses columns and commits without sending it again. Each file is the uploader's:
/// its name carries their id, and nobody else's id finds it.
struct ImportStash: Sendable {
    let directory: String
    static let lifetime: TimeInterval = 3_600

    func put(_ bytes: [UInt8], personId: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        sweep()
        let token = UUID().uuidString.lowercased()
        try Data(bytes).write(to: url(token, personId: personId), options: .atomic)
        return token
    }

    func get(_ token: String, personId: String) -> [UInt8]? {
        guard UUID(uuidString: token) != nil else { return nil }
        let file = url(token.lowercased(), personId: personId)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            let modified = attributes[.modificationDate] as? Date, Date().timeIntervalSince(modified) < Self.lifetime
        else { return nil }
        return (try? Data(contentsOf: file)).map { [UInt8]($0) }
    }

    func remove(_ token: String, personId: String) {
        guard UUID(uuidString: token) != nil else { return }
        try? FileManager.default.removeItem(at: url(token.lowercased(), personId: personId))
    }

    private func url(_ token: String, personId: String) -> URL {
        let safe = personId.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return URL(fileURLWithPath: directory).appendingPathComponent("\(safe)--\(token).upload")
    }

    /// Files older than their lifetime go.
    private func sweep() {
        let folder = URL(fileURLWithPath: directory)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let file = folder.appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate]
                as? Date,
                Date().timeIntervalSince(modified) > Self.lifetime
            {
                try? FileManager.default.removeItem(at: file)
            }
        }
    }
}
