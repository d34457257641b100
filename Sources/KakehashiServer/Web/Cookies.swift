import Hummingbird

/// The cookies Kakehashi sets, with the attributes the security rules ask for.
enum Cookies {
    static let session = "kkh_session"
    static let csrf = "kkh_csrf"
    static let lang = "kkh_lang"

    static func make(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func expired(_ name: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
