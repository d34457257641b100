import Foundation
import KakehashiCore

/// The form that makes a scenario: which tenant, the calendar of waves, capacities, rules, and —
/// when re-planning — which waves of the base plan stay.
enum WavePlanForm {
    struct Parsed: Sendable {
        let tenant: String
        let name: String
        let settings: WavePlanSettings
        let basedOn: String?
    }

    static func page(tenants: [(id: String, name: String)], selected: String?, base: WavePlanView?, l: Localizer, lang: Lang) -> FormPage {
        func t(_ key: String, _ args: [String: String] = [:]) -> String { l.t(key, lang, args) }
        let today = TokyoDate.today()
        let nextMonth = LocalDate(daysSinceEpoch: today.daysSinceEpoch + 32).iso.prefix(7)
        var s = base?.settings ?? WavePlanSettings(startMonth: String(nextMonth))
        if base == nil { s.startMonth = String(nextMonth) }
        let month = String(today.iso.prefix(7))
        let started = base.map { b in (1...max(1, b.settings.waves)).filter { b.settings.months(of: $0).first <= month } } ?? []
        var rules: [String] = []
        if s.contractDeadlines { rules.append("contract_deadlines") }
        if s.groupSharedPlatforms { rules.append("group_shared") }
        var fields: [FormPage.Field] = [
            .init(name: "tenant", label: t("field_tenant"), value: base?.record.tenantId ?? selected ?? tenants.first?.id ?? "", required: true,
                  options: tenants.map { Option(value: $0.id, label: $0.name, selected: false) }),
            .init(name: "name", label: t("plan_name"), value: base.map { t("plan_replan_name", ["name": $0.record.name]) } ?? "", required: true, maxlength: 100),
            .init(name: "waves", label: t("plan_waves"), value: String(s.waves), type: "number", required: true, hint: t("plan_waves_hint"), maxlength: 3),
            .init(name: "start_month", label: t("plan_start_month"), value: s.startMonth, type: "month", required: true, hint: t("plan_start_month_hint"), maxlength: 7),
            .init(name: "months_per_wave", label: t("plan_months_per_wave"), value: String(s.monthsPerWave), type: "number", required: true, maxlength: 3),
            .init(name: "platform_capacity", label: t("plan_platform_capacity"), value: AssessmentLabels.number(s.platformCapacity), required: true,
                  hint: t("plan_platform_capacity_hint"), maxlength: 12),
            .init(name: "bureau_capacity", label: t("plan_bureau_capacity"), value: AssessmentLabels.number(s.bureauCapacity), required: true,
                  hint: t("plan_bureau_capacity_hint"), maxlength: 12),
            .init(name: "default_effort", label: t("plan_default_effort"), value: AssessmentLabels.number(s.defaultEffort), required: true,
                  hint: t("plan_default_effort_hint"), maxlength: 12),
            .init(name: "rules", label: t("plan_rules"), checked: rules, options: [
                Option(value: "contract_deadlines", label: t("plan_rule_contract_deadlines"), selected: false),
                Option(value: "group_shared", label: t("plan_rule_group_shared"), selected: false)]),
            .init(name: "seconds", label: t("plan_seconds_field"), value: AssessmentLabels.number(s.seconds), type: "number", required: true,
                  hint: t("plan_seconds_hint"), maxlength: 4),
        ]
        if let base {
            fields.append(.init(name: "fixed_waves", label: t("plan_fixed_waves"), checked: started.map(String.init),
                                options: (1...max(1, base.settings.waves)).map { Option(value: String($0), label: WavePlanNames.period($0, base.settings, l: l, lang: lang), selected: false) },
                                hint: t("plan_fixed_waves_hint")))
        }
        var page = FormPage(heading: t(base == nil ? "plan_new" : "plan_replan"), action: "/portfolio/waves", submitLabel: t("plan_create"),
                            cancelHref: "/portfolio/waves", fields: fields)
        page.intro = t(base == nil ? "plan_new_intro" : "plan_replan_intro")
        if let base { page.hidden = [.init(name: "based_on", value: base.record.id)] }
        return page
    }

    static func parse(_ f: FormData, tenants: [String]) throws -> Parsed {
        var v = Validator()
        let tenant = f["tenant"]
        if !tenants.contains(tenant) { v.fail("tenant", "invalid_choice") }
        let name = f["name"]
        if name.isEmpty { v.fail("name", "required") } else if name.count > 100 { v.fail("name", "too_long", ["max": "100"]) }
        func integer(_ field: String, _ range: ClosedRange<Int>) -> Int {
            guard let value = Int(JapaneseText.normalize(f[field])), range.contains(value) else {
                v.fail(field, "out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)])
                return range.lowerBound
            }
            return value
        }
        func number(_ field: String, _ range: ClosedRange<Double>) -> Double {
            guard let value = Double(JapaneseText.normalize(f[field])), value.isFinite, range.contains(value) else {
                v.fail(field, "out_of_range", ["min": AssessmentLabels.number(range.lowerBound), "max": AssessmentLabels.number(range.upperBound)])
                return range.lowerBound
            }
            return value
        }
        let limits = WavePlanSettings.limits
        var s = WavePlanSettings(startMonth: f["start_month"])
        let parts = s.startMonth.split(separator: "-")
        if !(parts.count == 2 && parts[0].count == 4 && parts[1].count == 2 && Int(parts[0]).map { (2000...2100).contains($0) } == true
             && Int(parts[1]).map { (1...12).contains($0) } == true) {
            v.fail("start_month", "invalid_month")
        }
        s.waves = integer("waves", limits.waves)
        s.monthsPerWave = integer("months_per_wave", limits.months)
        s.platformCapacity = number("platform_capacity", limits.capacity)
        s.bureauCapacity = number("bureau_capacity", limits.capacity)
        s.defaultEffort = number("default_effort", 0...10_000)
        s.seconds = number("seconds", limits.seconds)
        let rules = f.all("rules")
        s.contractDeadlines = rules.contains("contract_deadlines")
        s.groupSharedPlatforms = rules.contains("group_shared")
        s.fixedWaves = f.all("fixed_waves").compactMap { Int($0) }.filter { (1...s.waves).contains($0) }.sorted()
        try v.check()
        return Parsed(tenant: tenant, name: name, settings: s, basedOn: f.optional("based_on"))
    }
}

extension WavePlanNames {
    static func period(_ k: Int, _ s: WavePlanSettings, l: Localizer, lang: Lang) -> String {
        let m = s.months(of: k)
        return l.t("wave_period", lang, ["wave": String(k), "from": m.first, "to": m.last])
    }
}
