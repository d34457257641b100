/// One generic, accessible form: labels on every control, errors linked to their fields
/// (`aria-describedby`, `aria-invalid`) and summarised at the top with links.
/// Templates read stored properties only (Mustache reflects with `Mirror`), so derived
/// values are stored and kept current by `fill`.
struct FormPage: Sendable {
    let heading: String
    let action: String
    let submitLabel: String
    let cancelHref: String
    var fields: [Field]
    var summary: [SummaryItem] = []
    var hasErrors = false
    /// Carried through the post unchanged (e.g. the record's `version`).
    var hidden: [Hidden] = []
    /// A short text above the form.
    var intro: String?
    /// A related page to consult before filling it in.
    var aside: Link?
    /// Records to look at while filling the form in (e.g. similar past cases).
    var related: [RelatedLink] = []
    var relatedHeading: String?
    /// Shown when `relatedHeading` is set and `related` is empty.
    var relatedEmpty: String?
    /// Sends files (`enctype="multipart/form-data"`).
    var multipart = false
    /// The record the form judges, shown beside it (the consultation on the triage form).
    var subject: Subject?

    struct Subject: Sendable {
        let heading: String
        let text: String
        let facts: [Fact]
        let links: [Link]
        let hasLinks: Bool

        init(heading: String, text: String, facts: [Fact], links: [Link]) {
            (self.heading, self.text, self.facts, self.links, hasLinks) = (heading, text, facts, links, !links.isEmpty)
        }
    }

    struct Link: Sendable {
        let label: String
        let href: String
    }
    /// For a multi-step form: where the user is.
    var steps: [Step] = []
    var hasSteps = false

    struct Hidden: Sendable {
        let name: String
        let value: String
    }

    struct Step: Sendable {
        let label: String
        let current: Bool
        let number: Int
    }

    mutating func setSteps(_ labels: [String], current: Int) {
        steps = labels.enumerated().map { Step(label: $1, current: $0 == current, number: $0 + 1) }
        hasSteps = !steps.isEmpty
    }

    struct Field: Sendable {
        let name: String
        let label: String
        var value: String
        let type: String
        let required: Bool
        let hint: String?
        var options: [Option]
        var error: String?
        let autocomplete: String
        let maxlength: Int
        let id: String
        let errorId: String
        let hintId: String
        let isSelect: Bool
        /// `type: "textarea"`: several lines.
        let isTextarea: Bool
        /// `type: "checkboxes"`: any number of `options`, shown as a fieldset.
        let isCheckboxes: Bool
        /// `type: "file"`: any number of files of the types in `accept`.
        let isFile: Bool
        var accept = ""
        let isInput: Bool
        /// A date says how it is written (西暦の年・月・日), for browsers without a date picker too.
        let isDate: Bool
        var describedBy: String

        init(name: String, label: String, value: String = "", type: String = "text", required: Bool = false, hint: String? = nil,
             options: [Option] = [], autocomplete: String = "off", maxlength: Int = 200) {
            self.name = name
            self.label = label
            self.value = value
            self.type = type
            self.required = required
            self.hint = hint
            self.options = options
            self.autocomplete = autocomplete
            self.maxlength = maxlength
            id = "f-\(name)"
            errorId = "f-\(name)-error"
            hintId = "f-\(name)-hint"
            isTextarea = type == "textarea"
            isCheckboxes = type == "checkboxes"
            isFile = type == "file"
            isSelect = !options.isEmpty && !isCheckboxes
            isInput = !isSelect && !isTextarea && !isCheckboxes && !isFile
            isDate = type == "date"
            describedBy = [hint == nil ? nil : "f-\(name)-hint",
                isDate ? "f-\(name)-format" : nil].compactMap { $0 }.joined(separator: " ")
            if isSelect { self.options = options.map { Option(value: $0.value, label: $0.label, selected: $0.value == value) } }
        }

        /// A file input taking the attachment types.
        static func file(name: String, label: String, hint: String) -> Field {
            var field = Field(name: name, label: label, type: "file", hint: hint)
            field.accept = AttachmentPolicy.extensions.map { "." + $0 }.joined(separator: ",")
            return field
        }

        /// A checkbox group with the given values ticked.
        init(name: String, label: String, checked: [String], options: [Option], required: Bool = false, hint: String? = nil) {
            self.init(name: name, label: label, type: "checkboxes", required: required, hint: hint, options: options)
            self.options = options.map { Option(value: $0.value, label: $0.label, selected: checked.contains($0.value)) }
        }

        mutating func set(value: String, error: String?) {
            self.value = value
            self.error = error
            options = options.map { Option(value: $0.value, label: $0.label, selected: $0.value == value) }
            describedBy = [error == nil ? nil : errorId, hint == nil ? nil : hintId, isDate ? "\(id)-format" : nil]
                .compactMap { $0 }.joined(separator: " ")
        }
    }

    struct SummaryItem: Sendable {
        let href: String
        let message: String
    }

    /// Puts the user's input back and attaches each error to its field.
    mutating func fill(from form: FormData, errors: [FieldError], localizer: Localizer, lang: Lang) {
        for index in fields.indices {
            let name = fields[index].name
            let value = fields[index].type == "password" ? "" : (form.all(name).first ?? "")
            let error = errors.first { $0.field == name }.map { localizer.message(for: $0, lang) }
            fields[index].set(value: value, error: error)
            if fields[index].isCheckboxes {
                let ticked = form.all(name)
                fields[index].options = fields[index].options.map { Option(value: $0.value, label: $0.label, selected: ticked.contains($0.value)) }
            }
        }
        let labels = Dictionary(fields.map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
        summary = errors.map { error in
            let message = localizer.message(for: error, lang)
            guard let label = labels[error.field] else { return SummaryItem(href: "#form", message: message) }
            return SummaryItem(href: "#f-\(error.field)", message: localizer.t("form_summary_item", lang, ["field": label, "message": message]))
        }
        hasErrors = !summary.isEmpty
    }
}

/// A link to another record with a line saying what it is.
struct RelatedLink: Sendable {
    let label: String
    let href: String
    let note: String
}
