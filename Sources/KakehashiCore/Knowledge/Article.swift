import Foundation

/// 好事例・FAQ・事例・手引き: what the desk learns, written once and shared.
public enum ArticleKind: String, Codable, Sendable, CaseIterable {
    case goodPractice = "good_practice"
    case faq
    case caseStudy = "case_study"
    case guide
}

/// Who may read a published article, narrowest first. Each tier includes the readers of the
/// ones before it.
public enum ArticleTier: String, Codable, Sendable, CaseIterable, Comparable {
    /// The support desk and its specialists.
    case desk
    /// Everyone in 東京都's bureaus.
    case tokyo
    /// Every tenant, the municipalities included.
    case tenants
    /// Anyone, without signing in.
    case `public`

    public static func < (a: ArticleTier, b: ArticleTier) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The working copy's place in the review: written, checked by a second person, published
/// to its tier, or archived (no longer shown to readers, kept with its history).
public enum ArticleState: String, Codable, Sendable, CaseIterable {
    case draft, review, published, archived
}

public enum ArticleAction: String, Sendable, CaseIterable {
    /// Ask for review (author).
    case submit
    /// Publish the copy under review (a reviewer other than its author).
    case publish
    /// Send it back to the author with a comment.
    case `return`
    /// Take it off the readers' view.
    case archive
    /// Back to draft, to work on it again.
    case reopen
}

public enum ArticleWorkflow {
    /// The state an action leads to from `state`, or nil when it may not be taken there.
    public static func next(_ state: ArticleState, _ action: ArticleAction) -> ArticleState? {
        switch (state, action) {
        case (.draft, .submit): .review
        case (.review, .publish): .published
        case (.review, .return): .draft
        case (.draft, .archive), (.review, .archive), (.published, .archive): .archived
        case (.archived, .reopen): .draft
        default: nil
        }
    }

    /// Editing a published article starts a new draft; readers keep the published version
    /// until the new one is published.
    public static func stateAfterEdit(_ state: ArticleState) -> ArticleState {
        state == .review ? .review : .draft
    }

    /// Up to 10 tags of up to 30 characters, trimmed, without duplicates (after Japanese
    /// normalisation: ＤＸ and DX are one tag), in the order given.
    public static func tags(_ text: String) -> (tags: [String], problem: String?) {
        var seen = Set<String>(), tags: [String] = []
        let separators: Set<Character> = [",", "、", "，", "\n", "#", "＃"]
        for raw in text.split(whereSeparator: { separators.contains($0) }) {
            let tag = String(raw).trimmingSpaces()
            guard !tag.isEmpty else { continue }
            guard tag.count <= 30 else { return ([], "tag_too_long") }
            guard !tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "|" }) else { return ([], "invalid_characters") }
            if seen.insert(JapaneseText.normalize(tag)).inserted { tags.append(tag) }
        }
        return tags.count > 10 ? ([], "too_many_tags") : (tags, nil)
    }
}

/// Takes people's names out of a text before it goes to a wider audience: each name, with
/// or without the space between family and given name, becomes the label chosen for it;
/// a family name alone (two or more characters) too.
public enum Redaction {
    public struct Name: Sendable, Equatable {
        public let name: String
        public let label: String
        public init(_ name: String, label: String) {
            self.name = name
            self.label = label
        }

        /// The spellings looked for, longest first.
        var forms: [String] {
            let parts = name.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
            var forms = [name, parts.joined(), parts.joined(separator: " "), parts.joined(separator: "\u{3000}")]
            if parts.count > 1, parts[0].count >= 2 { forms.append(parts[0]) }
            return Array(Set(forms.filter { $0.count >= 2 })).sorted { $0.count > $1.count }
        }
    }

    public static func apply(_ text: String, names: [Name]) -> String {
        var out = text
        for name in names.sorted(by: { $0.name.count > $1.name.count }) {
            for form in name.forms { out = out.replacingOccurrences(of: form, with: name.label) }
        }
        return out
    }

    /// The names (as given) still present in `text`.
    public static func remaining(in text: String, names: [Name]) -> [String] {
        names.filter { name in name.forms.contains { text.contains($0) } }.map(\.name)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
