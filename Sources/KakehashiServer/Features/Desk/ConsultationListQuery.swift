import Foundation
import KakehashiCore
import SQLKit

/// The filters of the consultation list as the URL carries them, read leniently (an unknown
/// value means "no filter") and written back in one canonical form, which is also what a
/// saved view stores.
struct ConsultationListQuery: Sendable, Equatable {
    var state = ""
    var phase: ProjectPhase?
    var kind: SupportKind?
    var fiscalYear: Int?
    var tenantId: String?
    var text: String?
    /// "overdue" or "soon": submitted cases by their decision SLA.
    var due = ""
    /// The order asked for; the desk's default is its queue (decision due first), everyone
    /// else's their newest case first.
    var sort: ListSort

    /// The columns the list sorts by (SQL over the list's query).
    static let columns: [ListSort.Column] = [
        .init(key: "number", sql: "consultations.number", descendingFirst: true),
        .init(key: "title", sql: "consultations.title"),
        .init(key: "unit", sql: "org_units.name"), .init(key: "state", sql: "consultations.state"),
        .init(key: "phase", sql: "consultations.phase"),
        .init(key: "submitted", sql: "consultations.submitted_on", descendingFirst: true),
        .init(key: "decision", sql: "consultations.decision_due"),
        .init(key: "priority", sql: "triage_decisions.priority", descendingFirst: true),
        .init(key: "created", sql: "consultations.created_at", descendingFirst: true),
    ]

    /// Reads the parameters; the desk's default view is its queue.
    init(_ value: (String) -> String?, isDesk: Bool) {
        state = value("state").flatMap { $0.isEmpty || ConsultationState(rawValue: $0) != nil ? $0 : nil }
            ?? (isDesk ? ConsultationState.submitted.rawValue : "")
        phase = value("phase").flatMap(ProjectPhase.init(rawValue:))
        kind = value("kind").flatMap(SupportKind.init(rawValue:))
        fiscalYear = value("year").flatMap { Int($0) }.flatMap { (1990...2200).contains($0) ? $0 : nil }
        tenantId = value("tenant").flatMap { $0.isEmpty ? nil : String($0.prefix(16)) }
        text = QueryInput.searchText(value("q"))
        due = ["overdue", "soon"].contains(value("due") ?? "") ? value("due")! : ""
        sort = ListSort(sort: value("sort"), dir: value("dir"), columns: Self.columns,
                        default: isDesk ? ("decision", false) : ("created", true))
    }

    /// `ORDER BY` of the list: the chosen column, then the newest change, then the id.
    var order: SQLQueryString {
        sort.orderBy(Self.columns, tieBreak: "consultations.updated_at DESC, consultations.id")
    }

    /// `state=…&phase=…` with empty filters left out (but `state` always present, so an
    /// empty one means "all" and not the desk's default).
    var canonical: String {
        (filterQuery + sort.query)
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
    }

    /// The filters as query parameters (empty ones left out, `state` always kept).
    var filterQuery: [(String, String)] {
        [("state", state), ("phase", phase?.rawValue ?? ""), ("kind", kind?.rawValue ?? ""), ("year", fiscalYear.map(String.init) ?? ""),
         ("tenant", tenantId ?? ""), ("q", text ?? ""), ("due", due)]
            .filter { !$0.1.isEmpty || $0.0 == "state" }
    }

    func filter(today: LocalDate, sla: DeskSLA) -> ConsultationFilter {
        var filter = ConsultationFilter()
        filter.states = ConsultationState(rawValue: state).map { [$0] } ?? []
        filter.phase = phase
        filter.supportKind = kind
        filter.fiscalYear = fiscalYear
        filter.tenantId = tenantId
        filter.text = text
        if due == "overdue" { filter.decisionDueBy = today.adding(days: -1).iso }
        if due == "soon" { filter.decisionDueBy = BusinessCalendar.add(sla.warningDays, to: today).iso }
        if !due.isEmpty { filter.states = [.submitted] }
        return filter
    }
}
