import Foundation

/// What a reader of the trail may not read of the record itself is not shown to them in the trail
/// either: the desk's internal notes and its triage rubric (scores, their reasons, the priority) are
/// for the desk and the specialists (`DeskAccess.readsInternalNotes`), never for a requester's
/// tenant reading its own audit log.
enum AuditRedaction {
    static let deskOnlyKeys: Set<String> = [
        "impact", "impactReason", "urgency", "urgencyReason", "complexity", "complexityReason",
        "readiness", "readinessReason", "priority", "score", "scores", "internalNote",
    ]

    /// The record's JSON as this reader may see it (unchanged for the desk).
    static func visible(_ json: String?, readsInternal: Bool) -> String? {
        guard let json, !readsInternal else { return json }
        guard let data = json.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data) else {
            return json
        }
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard let out = try? JSONSerialization.data(withJSONObject: clean(value), options: options) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    private static func clean(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            // An internal note shows that it exists, not what it says.
            if object["isInternal"] as? Bool == true { return ["isInternal": true] }
            return object.filter { !deskOnlyKeys.contains($0.key) }.mapValues(clean)
        }
        if let array = value as? [Any] { return array.map(clean) }
        return value
    }
}
