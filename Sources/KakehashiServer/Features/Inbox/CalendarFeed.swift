import Foundation
import KakehashiCore
import SQLKit

/// The secret address of a person's calendar feed: made on the account page (shown once, stored
/// as SHA-256), replaced by making another, ended by the person, a leaver's deactivation or an
/// administrator's password reset.
struct CalendarFeedStore: Sendable {
    /// Returns the secret for the address; any earlier address of the person stops working.
    func issue(for personId: String, on sql: any SQLDatabase) async throws -> String {
        let secret = "kkh_cal_" + Secrets.random()
        try await sql.delete(from: "calendar_feeds").where("person_id", .equal, personId).run()
        try await sql.insert(into: "calendar_feeds").columns("person_id", "token_hash", "created_at")
            .values(SQLBind(personId), SQLBind(Secrets.sha256Hex(secret)), SQLBind(Timestamp.now())).run()
        return secret
    }

    /// The person whose live address this is.
    func person(secret: String, on sql: any SQLDatabase) async throws -> String? {
        guard secret.hasPrefix("kkh_cal_"), secret.count < 100 else { return nil }
        return try await sql.select().column("person_id").from("calendar_feeds")
            .where("token_hash", .equal, Secrets.sha256Hex(secret)).first(decodingColumn: "person_id", as: String.self)
    }

    /// When the address was made, if the person has one.
    func issuedAt(of personId: String, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("created_at").from("calendar_feeds").where("person_id", .equal, personId)
            .first(decodingColumn: "created_at", as: String.self)
    }

    func touch(_ personId: String, on sql: any SQLDatabase) async throws {
        try await sql.update("calendar_feeds").set("last_read_at", to: Timestamp.now())
            .where("person_id", .equal, personId).run()
    }

    static func end(of personId: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "calendar_feeds").where("person_id", .equal, personId).run()
    }
}

/// RFC 5545 text for the tasks that have a due day: one all-day event each, on that day in Tokyo,
/// with the task's name, its sentence and the address where the work is done.
enum ICalendar {
    struct Event {
        let uid: String
        let day: LocalDate
        let summary: String
        let description: String
        let url: String
    }

    static func document(name: String, events: [Event], stamp: Date = Date()) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kakehashi//Tasks//JA", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + escape(name), "X-WR-TIMEZONE:Asia/Tokyo",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
        ]
        let dtstamp = utc(stamp)
        for event in events {
            lines += [
                "BEGIN:VEVENT", "UID:" + event.uid, "DTSTAMP:" + dtstamp,
                "DTSTART;VALUE=DATE:" + compact(event.day), "DTEND;VALUE=DATE:" + compact(event.day.adding(days: 1)),
                "SUMMARY:" + escape(event.summary), "DESCRIPTION:" + escape(event.description),
                "URL:" + event.url, "TRANSP:TRANSPARENT", "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5545 §3.3.11: backslash, semicolon, comma and newlines escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(c)
            }
        }
        return out
    }

    /// RFC 5545 §3.1: lines of at most 75 octets, continued with a space, never inside a character.
    static func fold(_ line: String) -> String {
        var out = ""
        var width = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if width + size > 75 {
                out += "\r\n "
                width = 1
            }
            out.unicodeScalars.append(scalar)
            width += size
        }
        return out
    }

    private static func compact(_ day: LocalDate) -> String { day.iso.replacingOccurrences(of: "-", with: "") }

    private static func utc(_ date: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!,
            parts.minute!, parts.second!)
    }
}
