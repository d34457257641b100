import Foundation
import Hummingbird

/// `/scim/v2/{tenant}/Groups`: list (filters on `displayName`, `externalId`, `id` and `members`,
/// paging, `excludedAttributes=members` without reading them), read, create, PUT, PATCH (members
/// added and removed as Entra ID sends them) and DELETE.
extension SCIMRoutes {
    func addGroupRoutes(to router: Router<AppRequestContext>, base: String) {
        router.get("\(base)/Groups", use: listGroups)
        router.post("\(base)/Groups/.search") { request, context in try await search(request, context, of: [.groups]) }
        router.post("\(base)/Groups", use: createGroup)
        router.get("\(base)/Groups/{id}", use: getGroup)
        router.put("\(base)/Groups/{id}", use: replaceGroup)
        router.patch("\(base)/Groups/{id}", use: patchGroup)
        router.delete("\(base)/Groups/{id}", use: deleteGroup)
    }

    private var groups: SCIMGroupService { SCIMGroupService(database: database) }

    @Sendable func listGroups(_ request: Request, context: AppRequestContext) async throws -> Response {
        await answer(request, context) { token, url in
            let query = request.uri.queryParameters
            let filter = try query.get("filter").flatMap { $0.isEmpty ? nil : try SCIMFilter($0) }
            let page = SCIMQuery(startIndex: query.get("startIndex"), count: query.get("count"))
            let projection = try SCIMResource.Projection(query)
            let matched = try await groups(filter, projection: projection, token: token, url: url)
            return json(page.list(matched, projection: projection))
        }
    }

    /// The tenant's groups the filter matches, as resources; members read only when shown or filtered on.
    func groups(_ filter: SCIMFilter?, projection: SCIMResource.Projection, token: SCIMTokenStore.Token, url: String)
        async throws -> [[String: Any]]
    {
        let scope = TenantScope.provisioning(token)
        let needsMembers = projection.includes("members") || filter?.reads("members") == true
        let name = filter?.equality(on: "displayName")
        let externalId = filter?.equality(on: "externalId")
        let id = filter?.equality(on: "id")
        let (rows, members) = try await database.read { sql in
            let rows = try await SCIMGroupService.groups(
                scope, displayName: name, externalId: externalId, id: id, on: sql)
            let members =
                needsMembers
                ? try await SCIMGroupService.members(of: rows.map(\.id), scope: scope, on: sql) : [:]
            return (rows, members)
        }
        return rows.map { SCIMResource.group($0, members: members[$0.id] ?? [], base: url) }
            .filter { filter?.matches($0) ?? true }
    }

    @Sendable func getGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        await answer(request, context) { token, url in
            let resource = try await groupResource(context.parameters.get("id") ?? "", token: token, url: url)
            return json(try SCIMResource.Projection(request.uri.queryParameters).apply(resource))
        }
    }

    @Sendable func createGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        return await answer(request, context) { token, url in
            let change = try SCIMGroupService.Change(try await Self.body(&request))
            let row = try await groups.create(change, scope: .provisioning(token), actor: Self.actor(token))
            let resource = try await groupResource(row.id, token: token, url: url)
            return json(resource, status: .created, location: "\(url)/Groups/\(row.id)")
        }
    }

    @Sendable func replaceGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        return await answer(request, context) { token, url in
            let id = context.parameters.get("id") ?? ""
            let change = try SCIMGroupService.Change(try await Self.body(&request))
            _ = try await groups.replace(id, change, scope: .provisioning(token), actor: Self.actor(token))
            return json(try await groupResource(id, token: token, url: url))
        }
    }

    @Sendable func patchGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        return await answer(request, context) { token, url in
            let id = context.parameters.get("id") ?? ""
            let body = try await Self.body(&request)
            let patched = try SCIMPatch.apply(body, to: try await groupResource(id, token: token, url: url))
            let change = try SCIMGroupService.Change(patched)
            _ = try await groups.replace(id, change, scope: .provisioning(token), actor: Self.actor(token))
            // RFC 7644 §3.5.2: 204 unless attributes were asked for; Entra ID reads either.
            return json(try await groupResource(id, token: token, url: url))
        }
    }

    @Sendable func deleteGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        await answer(request, context) { token, _ in
            try await groups.delete(
                context.parameters.get("id") ?? "", scope: .provisioning(token),
                actor: Self.actor(token))
            return Response(status: .noContent)
        }
    }

    private func groupResource(_ id: String, token: SCIMTokenStore.Token, url: String) async throws -> [String: Any] {
        let scope = TenantScope.provisioning(token)
        let (row, members) = try await database.read { sql in
            let row = try await SCIMGroupService.row(id, scope: scope, on: sql)
            return (row, try await SCIMGroupService.members(of: [row.id], scope: scope, on: sql)[row.id] ?? [])
        }
        return SCIMResource.group(row, members: members, base: url)
    }
}
