import Foundation
import KakehashiCore

/// Dates and times as a Tokyo office writes them — 2026年12月2日, 2026年12月2日 18:05 (Japan time,
/// the zone implied) — and in English as 2 Dec 2026. ISO text stays for machine outputs only.
enum DateText {
    /// The reader's preference for the request under way: 和暦 (令和8年12月2日) instead of 2026年12月2日.
    /// `AuthMiddleware` sets it from the signed-in person; machine outputs never read it.
    @TaskLocal static var era = false

    enum Style: String, CaseIterable, Sendable { case western, era }

    static func day(_ date: LocalDate, _ lang: Lang) -> String {
        guard lang == .ja else { return "\(date.day) \(monthNames[date.month - 1]) \(date.year)" }
        return era ? JapaneseEra.format(date) : "\(date.year)年\(date.month)月\(date.day)日"
    }

    /// 2026年, or 令和8年 for a reader who reads 和暦.
    static func yearText(_ date: LocalDate) -> String {
        guard era, let name = JapaneseEra.era(of: date) else { return "\(date.year)年" }
        let year = date.year - name.firstYear + 1
        return "\(name.name)\(year == 1 ? "元" : String(year))年"
    }

    /// The Tokyo day of a stored UTC timestamp.
    static func day(at: String, _ lang: Lang) -> String {
        LocalDate(iso: TokyoDate.displayDate(at)).map { day($0, lang) } ?? at
    }

    /// A stored ISO day (2026-12-02) in words; other text as it is.
    static func day(iso: String, _ lang: Lang) -> String {
        LocalDate(iso: iso).map { day($0, lang) } ?? iso
    }

    /// A stored UTC timestamp in Tokyo time, to the minute (or the second, for the audit trail).
    static func time(_ at: String, _ lang: Lang, seconds: Bool = false) -> String {
        let local = TokyoDate.displayTime(at)   // 2026-11-22 18:05:09
        guard let date = LocalDate(iso: local.prefix(10)), local.count >= 16 else { return at }
        let clock = String(local.dropFirst(11).prefix(seconds ? 8 : 5))
        return day(date, lang) + " " + clock
    }

    /// A value that may be an ISO date or timestamp, in words; anything else as it is.
    static func value(_ text: String, _ lang: Lang) -> String? {
        if text.count >= 20, text.dropFirst(10).first == "T", Timestamp.parse(text) != nil { return time(text, lang) }
        if text.count == 10, let date = LocalDate(iso: text) { return day(date, lang) }
        return nil
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
