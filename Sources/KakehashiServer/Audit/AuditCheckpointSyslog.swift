import Foundation
import NIOCore
import NIOPosix

/// Sends every signed checkpoint to a syslog collector as well, as one RFC 5424 message over UDP
/// (facility auth, severity notice, MSGID `audit-checkpoint`, the checkpoint's JSON line as the
/// message): a copy on another machine, out of reach of whoever can write this one's files.
/// `KAKEHASHI_AUDIT_CHECKPOINT_SYSLOG=udp://collector.example.lg.jp:514`.
struct AuditCheckpointSyslog: Sendable {
    let host: String
    let port: Int

    /// `udp://HOST:PORT` or `HOST:PORT`; nil when it is neither.
    init?(address: String) {
        let rest = address.hasPrefix("udp://") ? String(address.dropFirst("udp://".count)) : address
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (1...65_535).contains(port) else { return nil }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("/") else { return nil }
        self.host = host
        self.port = port
    }

    /// `<37>1 TIMESTAMP HOSTNAME kakehashi PID audit-checkpoint - LINE` (37 = auth × 8 + notice).
    static func message(_ line: String, at: String) -> String {
        let hostname = ProcessInfo.processInfo.hostName.isEmpty ? "-" : ProcessInfo.processInfo.hostName
        return "<37>1 \(at) \(hostname) kakehashi \(ProcessInfo.processInfo.processIdentifier) audit-checkpoint - \(line)"
    }

    func send(_ message: String) async throws {
        let target = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let local = target.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: local, port: 0).get()
        do {
            let envelope = AddressedEnvelope(remoteAddress: target, data: ByteBuffer(string: message))
            try await channel.writeAndFlush(envelope).get()
        } catch {
            try? await channel.close().get()
            throw error
        }
        try await channel.close().get()
    }
}
