import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A real SMTP server on loopback for tests: EHLO, STARTTLS (with a self-signed
/// certificate made for these tests only), AUTH PLAIN, MAIL, RCPT, DATA, RSET, QUIT.
/// It keeps what it receives and can refuse the next transactions with a temporary error.
final class SMTPTestServer: Sendable {
    struct Received: Sendable {
        let from: String
        let to: [String]
        let data: String
        let overTLS: Bool
    }

    private let state = NIOLockedValueBox(State())
    private struct State {
        var received: [Received] = []
        var failNext = 0
    }

    let offerTLS: Bool
    /// When set, AUTH PLAIN must carry these.
    let credentials: (user: String, password: String)?
    private let channel: NIOAsyncChannel<NIOAsyncChannel<String, ByteBuffer>, Never>

    var port: Int { channel.channel.localAddress?.port ?? 0 }
    var received: [Received] { state.withLockedValue { $0.received } }

    /// The next `count` transactions are refused at MAIL FROM with 451.
    func failNext(_ count: Int) { state.withLockedValue { $0.failNext = count } }

    static func start(offerTLS: Bool = false, credentials: (user: String, password: String)? = nil) async throws -> SMTPTestServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        let server = SMTPTestServer(channel: channel, offerTLS: offerTLS, credentials: credentials)
        Task { await server.accept() }
        return server
    }

    private init(channel: NIOAsyncChannel<NIOAsyncChannel<String, ByteBuffer>, Never>, offerTLS: Bool, credentials: (user: String, password: String)?) {
        self.channel = channel
        self.offerTLS = offerTLS
        self.credentials = credentials
    }

    func stop() async { try? await channel.channel.close() }

    private func accept() async {
        try? await channel.executeThenClose { inbound in
            for try await connection in inbound {
                Task { try? await self.serve(connection) }
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<String, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func say(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
            var tls = false, authed = credentials == nil
            var from: String?, to: [String] = []
            var lines = inbound.makeAsyncIterator()
            try await say("220 localhost test SMTP")
            while let line = try await lines.next() {
                let upper = line.uppercased()
                if upper.hasPrefix("EHLO") {
                    try await say("250-localhost")
                    if offerTLS && !tls { try await say("250-STARTTLS") }
                    try await say("250 AUTH PLAIN")
                } else if upper == "STARTTLS" && offerTLS && !tls {
                    let context = try NIOSSLContext(configuration: .makeServerConfiguration(
                        certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(Self.certificate.utf8)).map { .certificate($0) },
                        privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(Self.key.utf8), format: .pem))))
                    // The reply and the TLS handler in one event-loop turn: the client's first
                    // handshake bytes can then never reach the line decoder.
                    let channel = connection.channel
                    try await channel.eventLoop.submit {
                        channel.writeAndFlush(ByteBuffer(string: "220 go ahead\r\n"), promise: nil)
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context), position: .first)
                    }.get()
                    tls = true
                } else if upper.hasPrefix("AUTH PLAIN ") {
                    let decoded = Data(base64Encoded: String(line.dropFirst("AUTH PLAIN ".count))).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    let parts = decoded.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
                    if let credentials, parts.count == 3, parts[1] == credentials.user, parts[2] == credentials.password {
                        authed = true
                        try await say("235 ok")
                    } else {
                        try await say("535 authentication failed")
                    }
                } else if upper.hasPrefix("MAIL FROM:") {
                    let refuse = state.withLockedValue { s -> Bool in
                        guard s.failNext > 0 else { return false }
                        s.failNext -= 1
                        return true
                    }
                    if refuse { try await say("451 try again later") } else if !authed { try await say("530 authentication required") } else {
                        from = String(line.dropFirst("MAIL FROM:".count))
                        try await say("250 ok")
                    }
                } else if upper.hasPrefix("RCPT TO:") {
                    to.append(String(line.dropFirst("RCPT TO:".count)).trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
                    try await say("250 ok")
                } else if upper == "DATA" {
                    try await say("354 end with .")
                    var data: [String] = []
                    while let l = try await lines.next(), l != "." { data.append(l.hasPrefix("..") ? String(l.dropFirst()) : l) }
                    let message = Received(from: from ?? "", to: to, data: data.joined(separator: "\r\n"), overTLS: tls)
                    state.withLockedValue { $0.received.append(message) }
                    from = nil
                    to = []
                    try await say("250 queued")
                } else if upper == "RSET" {
                    from = nil
                    to = []
                    try await say("250 ok")
                } else if upper == "QUIT" {
                    try await say("221 bye")
                    return
                } else {
                    try await say("502 not implemented")
                }
            }
        }
    }

    private struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = String
        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
            let line = buffer.readString(length: newline - buffer.readerIndex + 1) ?? ""
            context.fireChannelRead(wrapInboundOut(line.trimmingCharacters(in: .newlines)))
            return .continue
        }
    }

    /// Made with `openssl req -x509 -newkey ec` for these tests; it protects nothing.
    static let certificate = """
-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUBr1tE5Yfvn8yvxcUltiDruQQSxswCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjIxNTA0M1oYDzIxMjYxMDI5
MjE1MDQzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASbEAtiTjN8K7y6yitvR3YGmYUXsAwp1wscTGKQs2OAsFNImnN3DxH0
GK8/72VLSUbJrDvkT+gjQDqj2D7S43Hxo28wbTAdBgNVHQ4EFgQU83citQUG51Gx
fVDlDxCS55FgjU8wHwYDVR0jBBgwFoAU83citQUG51GxfVDlDxCS55FgjU8wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSQAwRgIhALXmW6dMVLy/HWjVUwyeg/Qq8fRpvNr+BsOz6Y8VoWojAiEA
8N69eY6tPnAJKqyNmVmD6E1A1UHzbaxD6GiJImKStpQ=
-----END CERTIFICATE-----
"""
    static let key = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXdBOU+OlwsbRgPhh
LV+oTXPU51OQ6CI5D+4FnEaMYJmhRANCAASbEAtiTjN8K7y6yitvR3YGmYUXsAwp
1wscTGKQs2OAsFNImnN3DxH0GK8/72VLSUbJrDvkT+gjQDqj2D7S43Hx
-----END PRIVATE KEY-----
"""
}
