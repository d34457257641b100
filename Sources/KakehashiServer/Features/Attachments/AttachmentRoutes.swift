import Foundation
import Hummingbird

/// Downloading and removing a case's files. Uploading is on the case page
/// (`ConsultationRoutes`) and with an activity (`EngagementRoutes`).
struct AttachmentRoutes: Sendable {
    let service: AttachmentService

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/desk/attachments/{id}", use: download)
        router.post("/desk/attachments/{id}/remove", use: remove)
    }

    @Sendable func download(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = try await DeskAccess.load(context.principal, database: service.database)
        let (attachment, data) = try await service.download(try context.parameters.require("id"), access: access)
        return Self.fileResponse(attachment, data)
    }

    /// Always a download (never shown inline), with the type decided at upload.
    static func fileResponse(_ attachment: Attachment, _ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = attachment.contentType
        headers[.contentDisposition] = contentDisposition(attachment.filename)
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An ASCII fallback name and the real (UTF-8) one, per RFC 6266.
    static func contentDisposition(_ filename: String) -> String {
        let ascii = String(filename.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && !"\"\\;".unicodeScalars.contains($0) ? Character($0) : "_" })
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    @Sendable func remove(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = try await DeskAccess.load(principal, database: service.database)
        let removed = try await service.remove(try context.parameters.require("id"), access: access, actor: .init(principal))
        return .redirect(to: "/desk/consultations/\(removed.consultationId)?done=attachment_removed#attachments", type: .normal)
    }
}
