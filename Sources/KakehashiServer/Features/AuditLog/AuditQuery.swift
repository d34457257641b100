import Foundation
import Hummingbird
import KakehashiCore

/// The audit page's filters, read from the query string. A filter that cannot be read is named in
/// `errors` and left out; the others still apply, so nothing the auditor chose is lost.
struct AuditQuery: Sendable {
    var action = ""
    var actor = ""
    var targetType = ""
    var targetId = ""
    var from: LocalDate?
    var to: LocalDate?
    var fromText = ""
    var toText = ""
    var oldestFirst = false
    var page: String?
    var errors: [FieldError] = []

    init(_ request: Request) {
        let q = request.uri.queryParameters
        self.init { q.get($0) }
    }

    /// From named values (a query string, or the API's parameters).
    init(_ value: (String) -> String?) {
        func text(_ name: String, max: Int = 200) -> String {
            String((value(name) ?? "").trimmingCharacters(in: .whitespaces).prefix(max))
        }
        action = text("action")
        if !action.isEmpty && !AuditActions.all.contains(action) && !AuditActions.areas.contains(where: { "area:" + $0.key == action }) {
            errors.append(FieldError(field: "action", code: "invalid_choice"))
            action = ""
        }
        actor = text("actor")
        if !actor.isEmpty && !(actor.hasPrefix("p:") || actor.hasPrefix("s:")) {
            errors.append(FieldError(field: "actor", code: "invalid_choice"))
            actor = ""
        }
        let target = text("target", max: 300)
        if let colon = target.firstIndex(of: ":") {
            targetType = String(target[..<colon])
            targetId = String(target[target.index(after: colon)...])
        } else {
            targetType = target
        }
        if !targetType.isEmpty && !AuditQuery.targetTypes.contains(targetType) {
            errors.append(FieldError(field: "target", code: "invalid_choice"))
            targetType = ""
            targetId = ""
        }
        fromText = text("from", max: 20)
        toText = text("to", max: 20)
        var v = Validator()
        from = v.date("from", fromText)
        to = v.date("to", toText)
        if let from, let to, to < from { v.fail("to", "audit_range_reversed") }
        errors += v.errors
        if errors.contains(where: { $0.field == "to" }) { to = nil }
        if errors.contains(where: { $0.field == "from" }) { from = nil }
        oldestFirst = value("sort") == "oldest"
        page = value("page")
    }

    /// The kinds of record the trail names as targets, in the order the filter offers them.
    static let targetTypes = [
        "consultation", "engagement", "procurement_check", "procurement_rules", "article", "system", "system_interface",
        "questionnaire", "wave_plan", "baseline_exception", "environment", "access_grant", "access_review", "person",
        "org_unit", "tenant", "group", "identity_provider", "api_token", "scim_token",
    ]

    var isFiltered: Bool { !action.isEmpty || !actor.isEmpty || !targetType.isEmpty || from != nil || to != nil }

    /// The repository's filter: dates are Tokyo days, turned into UTC instants.
    func filter(limit: Int, offset: Int) -> AuditRepository.Filter {
        var f = AuditRepository.Filter()
        if action.hasPrefix("area:") {
            f.actions = AuditActions.areas.first { "area:" + $0.key == action }?.actions ?? []
        } else if !action.isEmpty {
            f.actions = [action]
        }
        if actor.hasPrefix("p:") { f.actorId = String(actor.dropFirst(2)) }
        if actor.hasPrefix("s:") { f.actorLogin = String(actor.dropFirst(2)) }
        f.targetType = targetType.isEmpty ? nil : targetType
        f.targetId = targetId.isEmpty ? nil : targetId
        f.from = from.map(Self.tokyoMidnight)
        f.until = to.map { Self.tokyoMidnight($0.adding(days: 1)) }
        f.newestFirst = !oldestFirst
        f.limit = limit
        f.offset = offset
        return f
    }

    /// 00:00 in Tokyo on `day`, as the stored UTC text.
    static func tokyoMidnight(_ day: LocalDate) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TokyoDate.timeZone
        let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date()
        return Timestamp.string(date)
    }

    /// The filters as query pairs, for the pager and the download links.
    var pairs: [(String, String)] {
        var out: [(String, String)] = []
        if !action.isEmpty { out.append(("action", action)) }
        if !actor.isEmpty { out.append(("actor", actor)) }
        if !targetType.isEmpty { out.append(("target", targetId.isEmpty ? targetType : targetType + ":" + targetId)) }
        if let from { out.append(("from", from.iso)) }
        if let to { out.append(("to", to.iso)) }
        if oldestFirst { out.append(("sort", "oldest")) }
        return out
    }
}
