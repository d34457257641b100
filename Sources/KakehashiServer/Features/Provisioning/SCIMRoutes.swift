import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// SCIM 2.0 (RFC 7643/7644) per tenant at `/scim/v2/{tenant}`: discovery, and Users and Groups with
/// filters, paging, PUT, PATCH (Entra ID's forms included) and DELETE. A bearer token of that tenant only;
/// every answer is `application/scim+json`, errors in SCIM's own form. See docs/provisioning.md.
struct SCIMRoutes: Sendable {
    let database: AppDatabase
    let localizer: Localizer
    let publicURL: String
    var notifier: Notifier?
    let tokens = SCIMTokenStore()
    static let bodyLimit = 1 << 20

    func addRoutes(to router: Router<AppRequestContext>) {
        let base = "/scim/v2/{tenant}"
        router.get("\(base)/ServiceProviderConfig") { request, context in
            await answer(request, context) { _, url in json(SCIMSchema.serviceProviderConfig(base: url)) }
        }
        router.get("\(base)/Schemas") { request, context in
            await answer(request, context) { _, url in json(list(SCIMSchema.schemas(base: url), 3, 1)) }
        }
        router.get("\(base)/Schemas/{id}") { request, context in
            await answer(request, context) { _, url in
                let id = context.parameters.get("id") ?? ""
                guard let schema = SCIMSchema.schemas(base: url).first(where: { $0["id"] as? String == id }) else {
                    throw SCIMError.notFound
                }
                return json(schema)
            }
        }
        router.get("\(base)/ResourceTypes") { request, context in
            await answer(request, context) { _, url in
                json(list(SCIMSchema.resourceTypes(base: url), 2, 1))
            }
        }
        router.get("\(base)/ResourceTypes/{id}") { request, context in
            await answer(request, context) { _, url in
                let id = context.parameters.get("id") ?? ""
                guard let type = SCIMSchema.resourceTypes(base: url).first(where: { $0["id"] as? String == id }) else {
                    throw SCIMError.notFound
                }
                return json(type)
            }
        }
        router.get("\(base)/Users", use: listUsers)
        router.post("\(base)/Users/.search") { request, context in
            try await search(request, context, of: [.users])
        }
        router.post("\(base)/.search") { request, context in try await search(request, context, of: [.users, .groups]) }
        router.post("\(base)/Users", use: createUser)
        router.get("\(base)/Users/{id}", use: getUser)
        router.put("\(base)/Users/{id}", use: replaceUser)
        router.patch("\(base)/Users/{id}", use: patchUser)
        router.delete("\(base)/Users/{id}", use: deleteUser)
        addGroupRoutes(to: router, base: base)
        // What the endpoint does not do answers in SCIM's form too: 405 for a method, 404 for a path.
        let reads = ["ServiceProviderConfig", "Schemas", "Schemas/{id}", "ResourceTypes", "ResourceTypes/{id}"]
        let refused: [(String, [HTTPRequest.Method])] =
            reads.map { ($0, [.post, .put, .patch, .delete]) }
            + [("Users", [.put, .patch, .delete]), ("Users/{id}", [.post]),
               ("Groups", [.put, .patch, .delete]), ("Groups/{id}", [.post])]
        for (path, methods) in refused {
            for method in methods {
                router.on("\(base)/\(path)", method: method) { request, context in
                    await answer(request, context) { _, _ in
                        throw SCIMError(status: 405, detail: "\(method) is not supported on \(path)")
                    }
                }
            }
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("\(base)/**", method: method) { request, context in
                await answer(request, context) { _, _ in throw SCIMError.notFound }
            }
        }
    }

    private var service: ProvisioningService { ProvisioningService(database: database, notifier: notifier) }

    // MARK: Users

    @Sendable func listUsers(_ request: Request, context: AppRequestContext) async throws -> Response {
        await answer(request, context) { token, url in
            let query = request.uri.queryParameters
            return try await search(
                filter: query.get("filter"),
                page: SCIMQuery(startIndex: query.get("startIndex"), count: query.get("count")),
                projection: SCIMResource.Projection(query), token: token, url: url)
        }
    }

    enum Kind { case users, groups }

    /// POST `.search` (RFC 7644 §3.4.3): the same query in a body, kept out of URLs and logs; at the
    /// root, of every resource type (users first).
    func search(_ request: Request, _ context: AppRequestContext, of kinds: [Kind]) async throws -> Response {
        var request = request
        return await answer(request, context) { token, url in
            let body = try await Self.body(&request)
            guard (body["schemas"] as? [String])?.contains(SCIMSchema.searchURN) == true else {
                throw SCIMError.invalidSyntax("a search names \(SCIMSchema.searchURN) in schemas")
            }
            func text(_ key: String) -> String? {
                let value = SCIMPath.lookup(key, in: body)
                return (value as? String) ?? (value as? Int).map(String.init)
            }
            func names(_ key: String) -> [String] {
                let value = SCIMPath.lookup(key, in: body)
                return (value as? [String]) ?? (value as? String)?.split(separator: ",").map(String.init) ?? []
            }
            let projection = try SCIMResource.Projection(
                attributes: names("attributes"), excluded: names("excludedAttributes"))
            let filter = try text("filter").flatMap { $0.isEmpty ? nil : try SCIMFilter($0) }
            var matched: [[String: Any]] = []
            if kinds.contains(.users) { matched += try await users(filter, token: token, url: url) }
            if kinds.contains(.groups) {
                matched += try await groups(filter, projection: projection, token: token, url: url)
            }
            let page = SCIMQuery(startIndex: text("startIndex"), count: text("count"))
            return json(page.list(matched, projection: projection))
        }
    }

    private func search(
        filter text: String?, page: SCIMQuery, projection: SCIMResource.Projection,
        token: SCIMTokenStore.Token, url: String
    ) async throws -> Response {
        let filter = try text.flatMap { $0.isEmpty ? nil : try SCIMFilter($0) }
        let matched = try await users(filter, token: token, url: url)
        return json(page.list(matched, projection: projection))
    }

    /// The tenant's users the filter matches, as resources.
    private func users(_ filter: SCIMFilter?, token: SCIMTokenStore.Token, url: String) async throws
        -> [[String: Any]]
    {
        let scope = TenantScope.provisioning(token)
        // Narrowed in SQL by what identity providers look people up by; the rest in memory.
        let login = filter?.equality(on: "userName")
        let externalId = filter?.equality(on: "externalId")
        let id = filter?.equality(on: "id")
        let rows = try await database.read { sql in
            try await ProvisioningService.users(scope, login: login, externalId: externalId, id: id, on: sql)
        }
        return rows.map { SCIMResource.user($0, base: url) }.filter { filter?.matches($0) ?? true }
    }

    @Sendable func getUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        await answer(request, context) { token, url in
            let id = context.parameters.get("id") ?? ""
            let row = try await database.read { sql in
                try await ProvisioningService.row(id, scope: .provisioning(token), on: sql)
            }
            return json(
                try SCIMResource.Projection(request.uri.queryParameters).apply(SCIMResource.user(row, base: url)))
        }
    }

    @Sendable func createUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        return await answer(request, context) { token, url in
            let body = try await Self.body(&request)
            let change = try ProvisioningService.Change(SCIMDocument(body))
            let row = try await service.create(change, scope: .provisioning(token), actor: Self.actor(token))
            let resource = SCIMResource.user(row, base: url)
            return json(resource, status: .created, location: "\(url)/Users/\(row.id)")
        }
    }

    @Sendable func replaceUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        return await answer(request, context) { token, url in
            let id = context.parameters.get("id") ?? ""
            let body = try await Self.body(&request)
            let change = try ProvisioningService.Change(SCIMDocument(body))
            let row = try await service.replace(id, change, scope: .provisioning(token), actor: Self.actor(token))
            return json(SCIMResource.user(row, base: url))
        }
    }

    @Sendable func patchUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        return await answer(request, context) { token, url in
            let id = context.parameters.get("id") ?? ""
            let body = try await Self.body(&request)
            let scope = TenantScope.provisioning(token)
            let before = try await database.read { sql in try await ProvisioningService.row(id, scope: scope, on: sql) }
            let patched = try SCIMPatch.apply(body, to: SCIMResource.user(before, base: url))
            let change = try ProvisioningService.Change(SCIMDocument(patched))
            let row = try await service.replace(id, change, scope: scope, actor: Self.actor(token))
            return json(SCIMResource.user(row, base: url))
        }
    }

    @Sendable func deleteUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        await answer(request, context) { token, _ in
            try await service.delete(
                context.parameters.get("id") ?? "", scope: .provisioning(token), actor: Self.actor(token))
            return Response(status: .noContent)
        }
    }

    // MARK: Answers

    static func actor(_ token: SCIMTokenStore.Token) -> AuditLog.Actor { .init(system: "scim:\(token.name)") }

    /// Checks the token of the path's tenant, runs `body`, and answers every failure as SCIM does.
    func answer(
        _ request: Request, _ context: AppRequestContext,
        _ body: (SCIMTokenStore.Token, String) async throws -> Response
    ) async -> Response {
        do {
            let tenant = context.parameters.get("tenant") ?? ""
            let header = request.headers[.authorization] ?? ""
            guard header.lowercased().hasPrefix("bearer ") else { throw SCIMError.unauthorized }
            let secret = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            let tokens = self.tokens
            guard
                let token = try await database.read({ sql in
                    try await tokens.find(secret: secret, tenantId: tenant, on: sql)
                })
            else { throw SCIMError.unauthorized }
            return try await body(token, "\(publicURL)/scim/v2/\(tenant)")
        } catch let error as SCIMError {
            return json(error.body, status: .init(code: error.status))
        } catch AppError.invalid(let errors) {
            let detail = errors.map { "\($0.field): \(localizer.message(for: $0, .en))" }.joined(separator: " ")
            return json(SCIMError.invalidValue(detail).body, status: .badRequest)
        } catch AppError.payloadTooLarge {
            return json(
                SCIMError(status: 413, detail: "The body is over \(Self.bodyLimit) bytes.").body,
                status: .contentTooLarge)
        } catch  where AppDatabase.isUniqueViolation(error) {
            return json(SCIMError.uniqueness("the value is taken").body, status: .conflict)
        } catch {
            context.logger.error("SCIM request failed: \(error)")
            return json(
                SCIMError(status: 500, detail: "The server could not complete the request.").body,
                status: .internalServerError)
        }
    }

    static func body(_ request: inout Request) async throws -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bodyLimit)
        } catch {
            throw AppError.payloadTooLarge
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
        else {
            throw SCIMError.invalidSyntax("the body is not a JSON object")
        }
        return object
    }

    /// A whole list (the discovery documents) as a ListResponse.
    func list(_ resources: [[String: Any]], _ total: Int, _ start: Int) -> [String: Any] {
        SCIMQuery(startIndex: String(start), count: String(total)).list(resources, projection: .all)
    }

    func json(_ object: [String: Any], status: HTTPResponse.Status = .ok, location: String? = nil) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        var headers: HTTPFields = [.contentType: "application/scim+json; charset=utf-8"]
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
