import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import KakehashiServer
import NIOCore
import Testing

/// Every body has a limit checked before anything decodes it; heavy work has a budget; a full disk
/// is named, not a 500; reads change nothing.
@Suite struct BoundsTests {
    @Test func anOversizedJSONBodyIsRefusedBeforeDecoding() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.desk.requester)
            let huge = #"{"title":""# + String(repeating: "あ", count: 600_000) + #""}"#
            let answer = try await client.api("/api/v1/consultations", method: .post, token: token, json: huge)
            #expect(answer.status == .contentTooLarge && answer.body.contains("payload_too_large"))
            #expect(try await PortfolioTests.count(env, "consultations", where: "1 = 1") == 0)
        }
    }

    @Test func heavyWorkPastItsBudgetIsAClearRefusal() async throws {
        // Work that cannot finish until the test lets it: only the budget can end the wait.
        let work = HeavyWork(slots: 1, budget: .milliseconds(100))
        let gate = DispatchSemaphore(value: 0)
        do {
            _ = try await work.run { gate.wait(); return 1 }
            Issue.record("the budget did not stop the wait")
        } catch let error as AppError {
            #expect(error.code == "heavy_work_busy" && error.status == .serviceUnavailable)
        }
        gate.signal()
        #expect(try await HeavyWork(slots: 1, budget: .seconds(5)).run { 6 * 7 } == 42)
    }

    @Test func aFullOrReadOnlyDiskIsNamed() {
        #expect(AttachmentStore.isOutOfSpace(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))))
        #expect(AttachmentStore.isOutOfSpace(NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))))
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: 512,
                              userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))])
        #expect(AttachmentStore.isOutOfSpace(wrapped))
        #expect(!AttachmentStore.isOutOfSpace(NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))))
        #expect(AppError.storageFull.status.code == 507 && AppError.storageFull.code == "storage_full")
    }

    @Test func aFileForACaseOneMayNotTouchIsNeverStored() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            let outsider = Browser(client)
            try await outsider.signIn("env-user", password: Fixture.password)
            try await outsider.get("/home")
            let file = Browser.File(field: "file", name: "侵入.txt", type: "text/plain", data: Data("外部からの添付".utf8))
            let refused = try await outsider.upload("/desk/consultations/\(id)/attachments", files: [file])
            #expect(refused.status == .notFound)
            let stored = (FileManager.default.enumerator(atPath: env.config.dataDirectory)?.allObjects as? [String] ?? [])
                .filter { $0.hasPrefix("attachments/") && !$0.hasSuffix("/") && !$0.contains(".upload-") }
            let files = stored.filter { path in
                var isDirectory: ObjCBool = false
                FileManager.default.fileExists(atPath: env.config.dataDirectory + "/" + path, isDirectory: &isDirectory)
                return !isDirectory.boolValue
            }
            #expect(files.isEmpty, "nothing was stored: \(files)")
        }
    }
}
