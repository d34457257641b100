import KakehashiCore

/// The organisation as it stood on one date: units valid that day, arranged by parent.
struct OrgTree: Sendable {
    struct Node: Sendable {
        let unit: OrgUnit
        var children: [Node]
        let depth: Int
    }

    let roots: [Node]

    init(units: [OrgUnit], on date: LocalDate) {
        let valid = units.filter { $0.isValid(on: date) }
        let ids = Set(valid.map(\.id))
        var byParent: [String: [OrgUnit]] = [:]
        for unit in valid {
            // A unit whose parent is not valid that day is shown at the top rather than lost.
            let parent = unit.parentId.flatMap { ids.contains($0) ? $0 : nil } ?? ""
            byParent[parent, default: []].append(unit)
        }
        func build(_ parent: String, depth: Int) -> [Node] {
            (byParent[parent] ?? []).sorted { ($0.sortOrder, $0.name) < ($1.sortOrder, $1.name) }
                .map { Node(unit: $0, children: depth < 12 ? build($0.id, depth: depth + 1) : [], depth: depth) }
        }
        roots = build("", depth: 0)
    }

    /// "福祉局 総務部 企画課": a unit's name with its ancestors' below the root, so two 企画課
    /// in different bureaus can be told apart.
    static func path(of unitId: String, in units: [OrgUnit]) -> String? {
        let byId = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var names: [String] = []
        var current = byId[unitId]
        while let unit = current, names.count < 12 {
            if unit.kind != OrgUnitKind.root.rawValue || names.isEmpty { names.insert(unit.name, at: 0) }
            current = unit.parentId.flatMap { byId[$0] }
        }
        return names.isEmpty ? nil : names.joined(separator: " ")
    }

    /// Depth-first, parents before children: the order of the API's flat list.
    var flattened: [Node] {
        var out: [Node] = []
        func walk(_ nodes: [Node]) { for n in nodes { out.append(n); walk(n.children) } }
        walk(roots)
        return out
    }
}
