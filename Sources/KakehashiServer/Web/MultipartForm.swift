import Foundation

/// A file sent in a `multipart/form-data` body.
struct UploadedFile: Sendable {
    let field: String
    /// The name the browser sent, without any folder part.
    let filename: String
    let declaredType: String
    let data: Data
}

/// A `multipart/form-data` body (RFC 7578): text fields become a `FormData`, file parts
/// `UploadedFile`s. The whole body is in memory; the caller bounds its size.
enum MultipartForm {
    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.utf8.count) ? value : nil
            }
        }
        return nil
    }

    static func parse(_ body: Data, boundary: String) throws(AppError) -> (FormData, [UploadedFile]) {
        let delimiter = Data("--\(boundary)".utf8)
        var form = FormData("")
        var files: [UploadedFile] = []
        var fields: [String: [String]] = [:]
        guard var cursor = body.range(of: delimiter)?.upperBound else { throw .malformed("multipart boundary missing") }
        let crlf = Data("\r\n".utf8)
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: crlf) else { throw .malformed("multipart delimiter not followed by a line break") }
            cursor += 2
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: cursor..<body.endIndex) else {
                throw .malformed("multipart part without headers")
            }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = body.range(of: crlf + delimiter, in: headerEnd.upperBound..<body.endIndex) else {
                throw .malformed("multipart part not terminated")
            }
            let content = body[headerEnd.upperBound..<next.lowerBound]
            cursor = next.upperBound
            let (name, filename, type) = Self.disposition(headers)
            guard let name else { continue }
            if let filename {
                // An empty file input still sends a part with an empty name; it means "no file".
                guard !filename.isEmpty || !content.isEmpty else { continue }
                files.append(UploadedFile(field: name, filename: filename, declaredType: type ?? "application/octet-stream", data: Data(content)))
            } else {
                guard let text = String(data: content, encoding: .utf8) else { throw .malformed("multipart field is not UTF-8") }
                fields[name, default: []].append(text)
            }
        }
        for (name, values) in fields { form.set(name, values) }
        return (form, files)
    }

    /// name, filename (folder parts removed) and content type of a part's headers.
    private static func disposition(_ headers: String) -> (String?, String?, String?) {
        var name: String?, filename: String?, type: String?
        for line in headers.components(separatedBy: "\r\n") {
            let lower = line.lowercased()
            if lower.hasPrefix("content-type:") {
                type = String(line.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces)
            } else if lower.hasPrefix("content-disposition:") {
                name = parameter("name", in: line)
                filename = parameter("filename", in: line).map { raw in
                    String(raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
                }
            }
        }
        return (name, filename, type)
    }

    /// A quoted parameter value (`name="…"`); browsers send UTF-8 names with `"` as %22.
    private static func parameter(_ key: String, in line: String) -> String? {
        guard let regex = try? Regex("(?i);\\s*\(key)=\"([^\"]*)\""), let match = line.firstMatch(of: regex) else { return nil }
        return match.output[1].substring.map { String($0).replacingOccurrences(of: "%22", with: "\"") }
    }
}
