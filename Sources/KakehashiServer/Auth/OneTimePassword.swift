import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps,
/// six digits — what every authenticator app reads from an `otpauth://` key.
enum OneTimePassword {
    static let period: Int64 = 30
    static let digits = 6
    /// Steps either side of now that still count, for a phone's clock a little off.
    static let window: Int64 = 1

    static func step(at date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) / period }

    /// The HOTP value of `secret` at `counter`, `digits` long (RFC 4226 §5.3).
    static func code(secret: Data, counter: Int64, digits: Int = digits) -> String {
        var bigEndian = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &bigEndian) { Data($0) }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret))
            .withUnsafeBytes { Array($0) }
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The step whose code `typed` is, within the window around `date` and later than `after`
    /// (a code already used never works twice); nil when none.
    static func matchingStep(_ typed: String, secret: Data, at date: Date, after used: Int64) -> Int64? {
        let code = typed.filter { !$0.isWhitespace && $0 != "-" }
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        for candidate in (now - window)...(now + window) where candidate > used {
            if Secrets.equal(self.code(secret: secret, counter: candidate), code) { return candidate }
        }
        return nil
    }

    /// 20 random bytes, the length RFC 4226 recommends for HMAC-SHA1.
    static func newSecret() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The key as authenticator apps take it: `otpauth://totp/Issuer:account?secret=…&issuer=…`.
    static func uri(secret: Data, account: String, issuer: String) -> String {
        var components = URLComponents()
        components.scheme = "otpauth"
        components.host = "totp"
        components.path = "/\(issuer):\(account)"
        components.queryItems = [
            .init(name: "secret", value: Base32.encode(secret)), .init(name: "issuer", value: issuer),
            .init(name: "algorithm", value: "SHA1"), .init(name: "digits", value: String(digits)),
            .init(name: "period", value: String(period)),
        ]
        return components.string ?? ""
    }
}

/// RFC 4648 base32 without padding, as `otpauth` keys are written.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    static func encode(_ data: Data) -> String {
        var out = ""
        var buffer = 0
        var bits = 0
        for byte in data {
            // Never more than 12 bits are pending, so 16 keep the buffer from growing.
            buffer = ((buffer << 8) | Int(byte)) & 0xffff
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    /// Case, spaces and padding ignored; nil on any other character.
    static func decode(_ text: String) -> Data? {
        var out = Data()
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where character != " " && character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = ((buffer << 5) | value) & 0xffff
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}
