import KakehashiAPI
import KakehashiCore

extension APIHandler {
    /// やること: the same tasks as the page, for the caller only.
    func listMyTasks(_ input: Operations.ListMyTasks.Input) async throws -> Operations.ListMyTasks.Output {
        let principal = try caller()
        let module = input.query.module ?? ""
        guard module.isEmpty || InboxRoutes.modules.contains(module) else {
            throw AppError.invalid([FieldError(field: "module", code: "invalid_choice")])
        }
        let today = TokyoDate.today()
        let all = try await inbox.tasks(for: principal, today: today)
        let tasks = module.isEmpty ? all : all.filter { $0.kind.module == module }
        let lang = APIHandler.lang ?? .ja
        let body = Components.Schemas.MyTasks(
            total: tasks.count, overdue: tasks.filter { $0.isOverdue(today: today) }.count,
            tasks: tasks.map { task in
                Components.Schemas.InboxTask(
                    kind: .init(rawValue: task.kind.rawValue)!, module: task.kind.module, title: task.title,
                    href: task.href,
                    summary: InboxItemView.detail(task, l: localizer, lang: lang), due: task.due?.iso,
                    businessDaysLeft: task.businessDaysLeft(today: today), overdue: task.isOverdue(today: today),
                    since: task.since.isEmpty ? nil : task.since, count: task.count, targetType: task.targetType,
                    targetId: task.targetId)
            })
        return .ok(.init(body: .json(body)))
    }
}
