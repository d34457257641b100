import Foundation
@testable import KakehashiServer
import KakehashiAPI
import Testing

/// Every code a domain refuses with is listed in the OpenAPI `Problem` schema and explained in
/// both languages; no two domains claim the same code.
@Suite struct ErrorCodeTests {
    static let base: [AppError] = [.notFound, .unauthorized, .sessionExpired, .forbidden, .csrfFailed, .malformed(""), .invalid([]),
                                   .throttled(minutes: 1), .payloadTooLarge, .requestTimeout, .heavyWorkBusy, .storageFull, .databaseUnavailable,
                                   .methodNotAllowed(allowed: [])]

    @Test func everyCodeIsInTheSpecAndTheCatalog() throws {
        let spec = String(decoding: try APIDocument.yaml(), as: UTF8.self)
        let listed = Set(spec.components(separatedBy: "x-kakehashi-codes:").dropFirst().first?
            .split(separator: "\n").prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") }
            .map { $0.trimmingCharacters(in: .whitespaces).dropFirst(2).trimmingCharacters(in: .whitespaces) } ?? [])
        let codes = DomainErrors.codes + Self.base.map(\.code)
        #expect(Set(DomainErrors.codes).count == DomainErrors.codes.count, "a code belongs to one domain")
        #expect(Set(codes).subtracting(listed).isEmpty, "missing from the Problem schema: \(Set(codes).subtracting(listed).sorted())")
        let localizer = try Localizer.load()
        for lang in Lang.allCases {
            let catalog = localizer.catalog(lang)
            let unexplained = codes.filter { catalog["error_\($0)"] == nil }
            #expect(unexplained.isEmpty, "\(lang) does not explain \(unexplained)")
        }
    }

    @Test func rulesOfAuthorityAre403AndStatesAre409() {
        #expect(PlatformError.ownRequest.error.status == .forbidden)
        #expect(KnowledgeError.ownWork.error.status == .forbidden)
        #expect(DirectoryError.actsOnMoreAuthority.error.status == .forbidden)
        #expect(BaselineError.exceptionOwnRequest.error.status == .forbidden)
        #expect(DeskError.engagementClosed.error.status == .conflict)
        #expect(CommonError.staleVersion.error.code == "stale_version")
    }
}
