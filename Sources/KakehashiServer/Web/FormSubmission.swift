import Hummingbird

extension Pages {
    /// Runs a state change posted from `form`. On success, redirects to the URL it returns;
    /// on validation errors, or when someone else changed the record meanwhile, re-renders
    /// the form with the user's input and the messages (422 / 409), so nothing typed is lost.
    func submitting(_ form: FormPage, request: Request, context: some PageContext,
                    _ change: () async throws -> String) async throws -> Response {
        do {
            return .redirect(to: try await change(), type: .normal)
        } catch let error as AppError {
            let errors: [FieldError]
            let status: HTTPResponse.Status
            switch error {
            case .invalid(let fieldErrors): (errors, status) = (fieldErrors, .unprocessableContent)
            case .conflict(let code): (errors, status) = ([FieldError(field: "form", code: code)], .conflict)
            // Nothing typed is lost when the server cannot finish now: the form comes back with the reason.
            case .storageFull, .heavyWorkBusy, .requestTimeout, .databaseUnavailable: (errors, status) = ([FieldError(field: "form", code: error.code)], error.status)
            default: throw error
            }
            var form = form
            form.fill(from: context.base.form ?? FormData(""), errors: errors, localizer: localizer, lang: context.base.lang)
            // The title says so first, for screen readers and the browser tab.
            let title = localizer.t("title_with_errors", context.base.lang, ["title": form.heading])
            return try render("form", title: title, form, request: request, context: context, status: status)
        }
    }
}
