import Foundation
import KakehashiCore

/// "Today" for a Tokyo office is the date in Japan Standard Time, whatever the server's zone.
enum TokyoDate {
    static let timeZone = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3600)!

    static func today(now: Date = Date()) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

extension TokyoDate {
    /// A stored UTC timestamp as Tokyo local time, `2026-11-22 18:05:09`; unparseable text as is.
    static func displayTime(_ at: String) -> String {
        guard let date = Timestamp.parse(at) else { return at }
        let local = date.addingTimeInterval(TimeInterval(timeZone.secondsFromGMT(for: date)))
        return String(Timestamp.string(local).prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// The Tokyo date of a stored UTC timestamp.
    static func displayDate(_ at: String) -> String { String(displayTime(at).prefix(10)) }
}

extension FiscalYear {
    /// 令和8年度 in Japanese, FY2026 in English.
    func label(_ lang: Lang) -> String { lang == .ja ? japaneseLabel : englishLabel }
}
