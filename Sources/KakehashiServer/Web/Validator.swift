import Foundation
import KakehashiCore

/// Collects field errors for one form or API body, so the user learns everything that is
/// wrong at once. Field names are the form's (and the API's) field names.
struct Validator {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ code: String, _ args: [String: String] = [:]) {
        errors.append(FieldError(field: field, code: code, args: args))
    }

    /// A required single-line text: not blank, at most `max` characters, no control characters.
    mutating func text(_ field: String, _ value: String?, max: Int, required: Bool = false) -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            if required { fail(field, "required") }
            return nil
        }
        if trimmed.count > max { fail(field, "too_long", ["max": String(max)]); return nil }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            fail(field, "invalid_characters"); return nil
        }
        return trimmed
    }

    /// Multi-line text: line breaks and tabs allowed, other control characters not.
    mutating func longText(_ field: String, _ value: String?, max: Int, required: Bool = false) -> String? {
        let trimmed = (value ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if required { fail(field, "required") }
            return nil
        }
        if trimmed.count > max { fail(field, "too_long", ["max": String(max)]); return nil }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            fail(field, "invalid_characters"); return nil
        }
        return trimmed
    }

    /// A whole number typed into a form, within `range`.
    mutating func integer(_ field: String, _ value: String?, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let text = text(field, value, max: 12, required: required) else { return nil }
        guard let number = Int(text.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? text) else {
            fail(field, "not_a_number"); return nil
        }
        guard range.contains(number) else {
            fail(field, "out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)]); return nil
        }
        return number
    }

    mutating func percent(_ field: String, _ value: String?) -> Int? {
        integer(field, value, in: 1...100, required: true)
    }

    mutating func date(_ field: String, _ value: String?, required: Bool = false) -> LocalDate? {
        guard let value, !value.isEmpty else {
            if required { fail(field, "required") }
            return nil
        }
        guard let date = LocalDate(iso: value), (1900...2200).contains(date.year) else {
            fail(field, "invalid_date"); return nil
        }
        return date
    }

    mutating func choice<T: RawRepresentable>(_ field: String, _ value: String?, as type: T.Type, required: Bool = false) -> T? where T.RawValue == String {
        guard let value, !value.isEmpty else {
            if required { fail(field, "required") }
            return nil
        }
        guard let choice = T(rawValue: value) else { fail(field, "invalid_choice"); return nil }
        return choice
    }

    mutating func login(_ field: String, _ value: String?) -> String? {
        // Up to 128 characters, so that a directory's user principal name (taro@city.example.lg.jp) fits.
        guard let login = text(field, value, max: 128, required: true) else { return nil }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-@")
        guard login.count >= 3, login.unicodeScalars.allSatisfy(allowed.contains) else {
            fail(field, "invalid_login"); return nil
        }
        return login
    }

    mutating func email(_ field: String, _ value: String?) -> String? {
        guard let email = text(field, value, max: 254) else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(" ") else {
            fail(field, "invalid_email"); return nil
        }
        return email
    }

    /// A name reading (フリガナ): kana, the long-vowel mark and spaces only.
    mutating func kana(_ field: String, _ value: String?) -> String? {
        guard let kana = text(field, value, max: 100) else { return nil }
        let ok = kana.unicodeScalars.allSatisfy { s in
            (0x3041...0x309F).contains(s.value) || (0x30A0...0x30FF).contains(s.value) || s == " " || s == "\u{3000}"
        }
        guard ok else { fail(field, "invalid_kana"); return nil }
        return kana
    }

    func check() throws(AppError) {
        if !errors.isEmpty { throw .invalid(errors) }
    }
}
