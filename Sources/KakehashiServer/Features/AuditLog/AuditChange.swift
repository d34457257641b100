import Foundation

/// A record's before and after as a person reads them: each field by its label, its value in
/// words (people, units and tenants by name, dates in Japanese, states by their names), and for a
/// change only the fields that changed. Fields with no label in the catalog (internal ids, hashes)
/// are counted, not shown; the exports keep the full JSON for machines.
struct AuditChange: Sendable {
    struct Field: Sendable {
        let label: String
        let before: String?
        let after: String?
        /// Both sides present: shown as before → after.
        let changed: Bool

        init(label: String, before: String?, after: String?) {
            self.label = label
            self.before = before
            self.after = after
            changed = before != nil && after != nil
        }
    }

    let fields: [Field]
    let unlabelled: Int

    static func object(_ json: String?) -> [String: Any] {
        guard let data = json?.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data) else { return [:] }
        return value as? [String: Any] ?? [:]
    }

    /// Fields never shown: the record's own id and bookkeeping that means nothing to a reader.
    static let bookkeeping: Set<String> = [
        "id", "version", "createdAt", "updatedAt", "hash", "passwordHash", "secretHash", "tokenHash", "sortOrder", "tenantId",
    ]

    /// Catalog prefixes that name a field's values (`role` "auditor" → `role_auditor`).
    static let valuePrefixes: [String: [String]] = [
        "role": ["role_", "grant_role_"], "team": ["team_"], "phase": ["phase_"], "currentPhase": ["phase_"],
        "kind": ["article_kind_", "activity_", "support_", "audit_value_"], "state": ["cstate_", "article_status_",
            "audit_value_"],
        "status": ["audit_value_", "env_status_", "grant_status_", "exception_status_", "plan_status_"],
        "locale": ["audit_value_locale_"], "method": ["audit_value_method_"], "how": ["audit_value_how_"],
        "source": ["consultation_import_source_"],
        "accountKind": ["audit_value_"], "budgetRange": ["budget_"], "cloud": ["cloud_"], "targetCloud": ["cloud_"],
        "criticality": ["criticality_"], "decision": ["gate_"], "format": ["baseline_format_", "questionnaire_format_"],
        "frequency": ["frequency_"], "hosting": ["hosting_"], "networkZone": ["zone_"], "outcome": ["outcome_",
            "eoutcome_"],
        "tier": ["article_tier_"], "publishedTier": ["article_tier_"], "reason": ["sso_refused_", "grant_end_"],
        "recommended": ["strategy_"], "strategy": ["strategy_"], "risk": ["risk_"], "sheet": ["sheet_"], "stage": ["stage_"],
        "verdict": ["dverdict_"], "ip": ["audit_value_"], "dateStyle": ["audit_value_datestyle_"],
        // Values that are themselves catalog keys: a checklist item, a verification's finding.
        "label": [""], "fault": [""],
    ]

    init(before: String?, after: String?, names: AuditNames, l: Localizer, lang: Lang) {
        let old = Self.object(before), new = Self.object(after)
        let japanese = l.catalog(.ja)
        var fields: [Field] = [], unlabelled = 0
        let keys = Set(old.keys).union(new.keys).subtracting(Self.bookkeeping).sorted()
        for key in keys {
            let was = old[key].map { Self.text($0, key: key, names: names, l: l, lang: lang) }
            let now = new[key].map { Self.text($0, key: key, names: names, l: l, lang: lang) }
            if before != nil && after != nil && was == now { continue }
            let labelKey = "audit_field_" + key
            guard japanese[labelKey] != nil else { unlabelled += 1; continue }
            fields.append(Field(label: l.t(labelKey, lang), before: was, after: now))
        }
        self.fields = fields
        self.unlabelled = unlabelled
    }

    static func text(_ value: Any, key: String, names: AuditNames, l: Localizer, lang: Lang) -> String {
        switch value {
        case is NSNull: return l.t("audit_value_none", lang)
        case let number as NSNumber:
            // JSONSerialization gives true and false as NSNumber too, told apart only by their C type.
            if String(cString: number.objCType) == "c" { return l.t(number.boolValue ? "audit_value_yes" : "audit_value_no", lang) }
            return number.stringValue
        case let list as [Any]:
            let items = list.map { text($0, key: key, names: names, l: l, lang: lang) }
            return items.isEmpty ? l.t("audit_value_none", lang) : items.joined(separator: l.t("list_separator", lang))
        case let object as [String: Any]:
            return l.t("audit_value_items", lang, ["count": String(object.count)])
        case let string as String:
            return words(string, key: key, names: names, l: l, lang: lang)
        default:
            return String(describing: value)
        }
    }

    private static func words(_ string: String, key: String, names: AuditNames, l: Localizer, lang: Lang) -> String {
        if string.isEmpty { return l.t("audit_value_none", lang) }
        if AuditNames.personKeys.contains(key) { return names.people[string]?.name ?? l.t("audit_value_other_person",
            lang) }
        if AuditNames.unitKeys.contains(key) { return names.units[string] ?? l.t("audit_value_other_unit", lang) }
        if AuditNames.tenantKeys.contains(key) { return names.tenants[string] ?? l.t("audit_value_other_tenant", lang) }
        if let date = DateText.value(string, lang) { return date }
        if string == "true" || string == "false" { return l.t(string == "true" ? "audit_value_yes" : "audit_value_no",
            lang) }
        let japanese = l.catalog(.ja)
        for prefix in valuePrefixes[key] ?? [] where japanese[prefix + string] != nil { return l.t(prefix + string,
            lang) }
        return string.count > 160 ? String(string.prefix(160)) + "…" : string
    }
}
