import Hummingbird

/// A method the contract does not list for a path that exists is answered 405 with the
/// methods that are (RFC 9110), not 404 as if the path were unknown.
struct APIMethodGuard: RouterMiddleware {
    /// Path templates of the contract (under /api/v1) and their methods.
    let operations: [(template: [Substring], methods: Set<String>)]

    init(document: String) {
        operations = Self.operations(in: document)
    }

    /// Reads `paths:` of our own openapi.yaml: a path is a two-space-indented key starting with
    /// "/", its operations four-space-indented HTTP method keys.
    static func operations(in yaml: String) -> [(template: [Substring], methods: Set<String>)] {
        var result: [(template: [Substring], methods: Set<String>)] = []
        var inPaths = false
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line.hasPrefix("paths:") }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                let path = line.dropFirst(2).dropLast()
                result.append((path.split(separator: "/"), []))
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let key = line.dropFirst(4).split(separator: ":").first,
                      methods.contains(String(key)), !result.isEmpty {
                result[result.count - 1].methods.insert(key.uppercased())
            }
        }
        return result
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        let prefix = "/api/v1"
        guard request.uri.path.hasPrefix(prefix + "/") else { return try await next(request, context) }
        let segments = request.uri.path.dropFirst(prefix.count).split(separator: "/")
        guard let match = operations.first(where: { Self.matches($0.template, segments) }),
              !match.methods.contains(request.method.rawValue), request.method != .head || !match.methods.contains("GET") else {
            return try await next(request, context)
        }
        throw AppError.methodNotAllowed(allowed: match.methods.sorted())
    }

    private static func matches(_ template: [Substring], _ segments: [Substring]) -> Bool {
        template.count == segments.count && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
