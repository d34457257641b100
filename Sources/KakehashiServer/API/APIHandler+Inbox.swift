import KakehashiAPI
import KakehashiCore

extension APIHandler {
    /// やること: the same tasks as the page, for the caller only.
    func listMyTasks(_ input: Operations.ListMyTasks.Input) async throws -> Operations.ListMyTasks.Output {
        let principal = try caller()
        let module = input.query.module ?? ""
        guard module.isEmpty || InboxTask.Kind.modules.contains(module) else {
            throw AppError.invalid([FieldError(field: "module", code: "invalid_choice")])
        }
        let today = TokyoDate.today()
        let tasks = try await inbox.tasks(for: principal, today: today, module: module)
        let lang = APIHandler.lang ?? .ja
        let body = Components.Schemas.MyTasks(
            total: tasks.count, overdue: tasks.filter { $0.isOverdue(today: today) }.count,
            tasks: tasks.compactMap { task in
                // Every kind is in the spec (InboxTests checks it); none is dropped.
                guard let kind = Components.Schemas.InboxTask.KindPayload(rawValue: task.kind.rawValue) else { return nil }
                return Components.Schemas.InboxTask(
                    kind: kind, module: task.kind.module, title: task.title,
                    href: task.href,
                    summary: InboxItemView.detail(task, l: localizer, lang: lang), due: task.due?.iso,
                    businessDaysLeft: task.businessDaysLeft(today: today), overdue: task.isOverdue(today: today),
                    since: task.since.isEmpty ? nil : task.since, count: task.count, targetType: task.targetType,
                    targetId: task.targetId)
            })
        return .ok(.init(body: .json(body)))
    }
}
