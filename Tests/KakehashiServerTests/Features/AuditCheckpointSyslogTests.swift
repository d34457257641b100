import Foundation
@testable import KakehashiServer
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// With `KAKEHASHI_AUDIT_CHECKPOINT_SYSLOG`, each checkpoint also reaches a syslog collector as an
/// RFC 5424 message whose body is the checkpoint line, which verifies with the public key alone.
@Suite struct AuditCheckpointSyslogTests {
    @Test func aCheckpointReachesTheCollectorAndVerifiesThere() async throws {
        let collector = try await UDPCollector.start()
        let env = try TestEnvironment(extra: ["kakehashi.audit.checkpoint.syslog": "udp://127.0.0.1:\(collector.port)"])
        defer { Task { await env.cleanUp(); try? await collector.channel.close().get() } }
        // One audited change, so the chain has a head to sign.
        _ = try await Maintenance.addTenant(env.config, id: "tokyo", name: "東京都", kind: "metropolis", nameEn: nil)
        let written = try #require(try await Maintenance.checkpointAudit(env.config))
        #expect(written.contains("sent to 127.0.0.1:\(collector.port)"))

        let message = try await collector.next()
        #expect(message.hasPrefix("<37>1 "))
        let fields = message.split(separator: " ", maxSplits: 6).map(String.init)
        #expect(fields.count == 7 && fields[2] != "" && fields[3] == "kakehashi" && fields[5] == "audit-checkpoint")
        let line = String(try #require(fields.last).dropFirst(2))   // after the "-" of no structured data
        let checkpoint = try JSONDecoder().decode(AuditCheckpoint.self, from: Data(line.utf8))
        let key = try AuditSigningKey.load(env.config.auditKeyFile).publicKey
        #expect(checkpoint.isSigned(by: key))
        #expect(try AuditCheckpointStore(directory: env.config.auditCheckpointDirectory).all().last == checkpoint)
    }

    @Test func aCollectorAddressThatIsNotOneIsRefusedAtStart() throws {
        for bad in ["collector.example.jp", "udp://:514", "udp://host:0", "udp://host:99999", "tcp://host/x:1"] {
            #expect(throws: AppConfig.ConfigError.self, "\(bad)") {
                _ = try TestEnvironment(extra: ["kakehashi.audit.checkpoint.syslog": bad])
            }
        }
        #expect(AuditCheckpointSyslog(address: "udp://[::1]:514")?.host == "::1")
        #expect(AuditCheckpointSyslog(address: "syslog.example.lg.jp:6514")?.port == 6514)
    }
}

/// A UDP socket on a free port that keeps what it receives.
private struct UDPCollector {
    let channel: any Channel
    let port: Int
    let received: Received

    final class Received: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let messages = NIOLockedValueBox<[String]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            messages.withLockedValue { $0.append(String(buffer: envelope.data)) }
        }
    }

    static func start() async throws -> UDPCollector {
        let received = Received()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.pipeline.addHandler(received) }
            .bind(host: "127.0.0.1", port: 0).get()
        return UDPCollector(channel: channel, port: channel.localAddress?.port ?? 0, received: received)
    }

    func next() async throws -> String {
        for _ in 0..<100 {
            if let first = received.messages.withLockedValue({ $0.first }) { return first }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }
}
