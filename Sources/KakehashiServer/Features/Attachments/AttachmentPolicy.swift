import Foundation

/// What may be attached: office documents, PDF, plain text and pictures, up to a size.
/// The type is decided by the file's extension and confirmed by its first bytes, never
/// by what the browser claims; what is served is the type decided here.
struct AttachmentPolicy: Sendable {
    let maximumBytes: Int
    /// Files on one consultation, its activities included.
    let maximumPerCase = 100

    struct FileType: Sendable {
        let contentType: String
        let signature: Signature
    }

    enum Signature: Sendable {
        case prefix([UInt8])
        /// Text: no NUL byte in the first 8 KiB.
        case text
    }

    static let types: [String: FileType] = {
        let zip = Signature.prefix([0x50, 0x4B, 0x03, 0x04])
        let ole = Signature.prefix([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        return [
            "pdf": FileType(contentType: "application/pdf", signature: .prefix(Array("%PDF-".utf8))),
            "docx": FileType(contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", signature: zip),
            "xlsx": FileType(contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", signature: zip),
            "pptx": FileType(contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", signature: zip),
            "doc": FileType(contentType: "application/msword", signature: ole),
            "xls": FileType(contentType: "application/vnd.ms-excel", signature: ole),
            "ppt": FileType(contentType: "application/vnd.ms-powerpoint", signature: ole),
            "txt": FileType(contentType: "text/plain; charset=utf-8", signature: .text),
            "md": FileType(contentType: "text/markdown; charset=utf-8", signature: .text),
            "csv": FileType(contentType: "text/csv", signature: .text),
            "png": FileType(contentType: "image/png", signature: .prefix([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])),
            "jpg": FileType(contentType: "image/jpeg", signature: .prefix([0xFF, 0xD8, 0xFF])),
            "jpeg": FileType(contentType: "image/jpeg", signature: .prefix([0xFF, 0xD8, 0xFF])),
        ]
    }()

    /// The extensions, for the form's hint and `accept` attribute.
    static var extensions: [String] { types.keys.sorted() }

    /// The file's clean name and served type, or the field errors that refuse it.
    func check(_ file: UploadedFile, field: String = "file") throws(AppError) -> (name: String, contentType: String) {
        let name = Self.cleanName(file.filename)
        let ext = (name as NSString).pathExtension.lowercased()
        guard !name.isEmpty, let type = Self.types[ext] else {
            throw .invalid([FieldError(field: field, code: "attachment_type", args: ["types": Self.extensions.joined(separator: ", ")])])
        }
        guard !file.data.isEmpty else { throw .invalid([FieldError(field: field, code: "attachment_empty")]) }
        guard file.data.count <= maximumBytes else {
            throw .invalid([FieldError(field: field, code: "attachment_too_large", args: ["max": String(maximumBytes >> 20)])])
        }
        let matches: Bool = switch type.signature {
        case .prefix(let bytes): file.data.starts(with: bytes)
        case .text: !file.data.prefix(8192).contains(0)
        }
        guard matches else {
            throw .invalid([FieldError(field: field, code: "attachment_content_mismatch", args: ["ext": ext])])
        }
        return (name, type.contentType)
    }

    /// Control characters removed, at most 200 characters (the extension kept).
    static func cleanName(_ raw: String) -> String {
        let cleaned = String(String.UnicodeScalarView(raw.precomposedStringWithCanonicalMapping.unicodeScalars.filter {
            !CharacterSet.controlCharacters.contains($0)
        })).trimmingCharacters(in: .whitespaces)
        guard cleaned.count > 200 else { return cleaned }
        let ext = (cleaned as NSString).pathExtension
        return String(cleaned.prefix(199 - ext.count)) + "." + ext
    }
}
