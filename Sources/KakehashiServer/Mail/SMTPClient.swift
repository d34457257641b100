import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how to send e-mail: plain SMTP, STARTTLS when offered (or required), and
/// AUTH PLAIN when a user name is set.
struct SMTPSettings: Sendable {
    enum TLSMode: String, Sendable {
        /// Never upgrade (a relay on a closed network).
        case off
        /// Upgrade when the server offers STARTTLS.
        case optional
        /// Refuse to send unless the connection is upgraded.
        case required
    }

    var host: String
    var port: Int = 25
    var tls: TLSMode = .optional
    var verifyCertificate = true
    var username: String?
    var password: String?
    /// The sender address (`kakehashi@example.lg.jp`).
    var from: String
    var heloName = "kakehashi.local"
    var timeout: Duration = .seconds(30)
}

enum SMTPError: Error, CustomStringConvertible {
    case rejected(command: String, reply: String)
    case tlsUnavailable
    case closed
    case timedOut

    var description: String {
        switch self {
        case .rejected(let command, let reply): "SMTP \(command) refused: \(reply)"
        case .tlsUnavailable: "SMTP server does not offer STARTTLS, which is required"
        case .closed: "SMTP connection closed unexpectedly"
        case .timedOut: "SMTP server did not answer in time"
        }
    }

    /// A 5xx answer will not change on retry.
    var isPermanent: Bool {
        if case .rejected(_, let reply) = self { return reply.hasPrefix("5") }
        return false
    }
}

/// One message per connection: the outbox sends few, and a fresh connection never
/// inherits a broken state.
struct SMTPClient: Sendable {
    let settings: SMTPSettings

    func send(_ message: MailMessage) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.converse(message) }
            group.addTask {
                try await Task.sleep(for: settings.timeout)
                throw SMTPError.timedOut
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func converse(_ message: MailMessage) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply() async throws -> (code: Int, lines: [String]) {
                var collected: [String] = []
                while let line = try await lines.next() {
                    collected.append(line)
                    // "250-…" continues, "250 …" (or a bare code) ends the reply.
                    if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
                        return (Int(line.prefix(3)) ?? 0, collected)
                    }
                }
                throw SMTPError.closed
            }
            func command(_ text: String, expect codes: Set<Int>, shown: String? = nil) async throws -> [String] {
                try await outbound.write(ByteBuffer(string: text + "\r\n"))
                let answer = try await reply()
                guard codes.contains(answer.code) else {
                    throw SMTPError.rejected(command: shown ?? String(text.prefix(20)), reply: answer.lines.joined(separator: " "))
                }
                return answer.lines
            }

            let greeting = try await reply()
            guard greeting.code == 220 else { throw SMTPError.rejected(command: "connect", reply: greeting.lines.joined(separator: " ")) }
            var extensions = try await command("EHLO \(settings.heloName)", expect: [250]).map { $0.dropFirst(4).uppercased() }
            if settings.tls != .off {
                if extensions.contains(where: { $0.hasPrefix("STARTTLS") }) {
                    _ = try await command("STARTTLS", expect: [220])
                    var tls = TLSConfiguration.makeClientConfiguration()
                    if !settings.verifyCertificate { tls.certificateVerification = .none }
                    let handler = try NIOSSLClientHandler(context: NIOSSLContext(configuration: tls), serverHostname: settings.host.isIPAddress ? nil : settings.host)
                    try await channel.channel.pipeline.addHandler(handler, position: .first).get()
                    extensions = try await command("EHLO \(settings.heloName)", expect: [250]).map { $0.dropFirst(4).uppercased() }
                } else if settings.tls == .required {
                    throw SMTPError.tlsUnavailable
                }
            }
            if let username = settings.username {
                let token = Data("\0\(username)\0\(settings.password ?? "")".utf8).base64EncodedString()
                _ = try await command("AUTH PLAIN \(token)", expect: [235], shown: "AUTH")
            }
            _ = try await command("MAIL FROM:<\(settings.from)>", expect: [250])
            for recipient in message.to { _ = try await command("RCPT TO:<\(recipient)>", expect: [250, 251]) }
            _ = try await command("DATA", expect: [354])
            _ = try await command(message.encoded(from: settings.from) + "\r\n.", expect: [250], shown: "DATA (message)")
            _ = try? await command("QUIT", expect: [221])
        }
    }
}

/// Splits the server's answer into lines, without their CRLF.
private struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            guard buffer.readableBytes < 4096 else { throw SMTPError.closed }
            return .needMoreData
        }
        let line = buffer.readString(length: newline - buffer.readerIndex + 1) ?? ""
        context.fireChannelRead(wrapInboundOut(line.trimmingCharacters(in: .newlines)))
        return .continue
    }
}

private extension String {
    var isIPAddress: Bool { (try? SocketAddress(ipAddress: self, port: 0)) != nil }
}
