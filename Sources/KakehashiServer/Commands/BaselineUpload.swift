import AsyncHTTPClient
import Foundation
import NIOCore

/// `kakehashi check --upload URL --system ID`: sends the files a pipeline checked to the server
/// (`POST /api/v1/systems/{id}/baseline/runs`), where the server stores them and runs the same
/// baseline, so the run becomes the system's newest. The token comes from `KAKEHASHI_TOKEN`.
public struct BaselineUpload: Sendable {
    public struct File: Sendable, Encodable {
        public let name: String
        public let content: String

        public init(name: String, content: String) {
            self.name = name
            self.content = content
        }
    }

    /// What the server answered: the run's id and counts, or why it refused.
    public struct Outcome: Sendable {
        public let status: Int
        public let runId: String?
        public let failed: Int?
        public let passed: Int?
        public let message: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let server: String
    public let systemId: String
    public let token: String
    public var timeout: TimeAmount = .seconds(60)

    public init(server: String, systemId: String, token: String) {
        self.server = server
        self.systemId = systemId
        self.token = token
    }

    /// The operation's address: `URL` may be the server's address or its `/api/v1`.
    public var endpoint: String {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        if !base.hasSuffix("/api/v1") { base += "/api/v1" }
        let id = systemId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? systemId
        return base + "/systems/\(id)/baseline/runs"
    }

    public func send(_ files: [File]) async throws -> Outcome {
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? "") else {
            throw Failure(description: "--upload must be an http or https address: \(server)")
        }
        struct Body: Encodable { let files: [File] }
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        // One request from a command that then exits: no connection left open behind it.
        request.headers.add(name: "Connection", value: "close")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(Body(files: files))))
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: timeout)
            buffer = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw Failure(description: "\(endpoint): \(error)")
        }
        let data = Data(buffer.readableBytesView)
        struct Answer: Decodable {
            struct Summary: Decodable {
                let id: String
                let passed: Int
                let failed: Int
            }
            struct Field: Decodable {
                let field: String
                let message: String
            }
            let summary: Summary?
            let title: String?
            let detail: String?
            let code: String?
            let errors: [Field]?
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: data)
        let status = Int(response.status.code)
        let message =
            (200..<300).contains(status)
            ? "run \(answer?.summary?.id ?? "?")"
            : ([answer?.title, answer?.detail].compactMap { $0 }
                + (answer?.errors ?? []).map { "\($0.field): \($0.message)" })
                .joined(separator: "\n  ")
        return Outcome(
            status: status, runId: answer?.summary?.id, failed: answer?.summary?.failed,
            passed: answer?.summary?.passed,
            message: message.isEmpty ? String(decoding: data.prefix(500), as: UTF8.self) : message)
    }
}
