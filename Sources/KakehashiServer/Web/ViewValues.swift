/// Turns a view model into plain dictionaries and arrays once per render.
///
/// swift-mustache looks names up with a fresh `Mirror` and a linear scan at every lookup,
/// and again at each level of the context stack; on a 50-row list that was over half the
/// time of a request. One reflective pass up front makes every lookup a dictionary hit.
enum ViewValues {
    static func flatten(_ value: Any) -> Any? {
        switch value {
        case is String, is Int, is Bool, is Double, is [String: String]:
            return value
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { flatten($0.value) }
        case .collection, .set:
            return mirror.children.compactMap { flatten($0.value) }
        case .struct, .class, .tuple:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let field = flatten(child.value) else { continue }
                fields[label] = field
            }
            return fields
        default:
            return value
        }
    }
}
