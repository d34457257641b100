import KakehashiCore

/// Who reads and writes knowledge articles. Readers see an article's published version when
/// its tier includes them (public: anyone, signed in or not); the desk's officers and
/// specialists write, and a desk officer other than the author publishes.
struct KnowledgeAccess: Sendable {
    let principal: Principal?

    var personId: String? { principal?.id }

    var isEditor: Bool {
        guard let p = principal else { return false }
        return p.isSystemAdmin || p.hasAny([.deskOfficer, .specialist], in: DeskAccess.deskTenantId)
    }

    var isReviewer: Bool {
        guard let p = principal else { return false }
        return p.isSystemAdmin || p.has(.deskOfficer, in: DeskAccess.deskTenantId)
    }

    /// The tiers whose published articles this person reads.
    var readableTiers: [ArticleTier] {
        guard let p = principal else { return [.public] }
        var tiers: [ArticleTier] = [.public, .tenants]
        if p.isSystemAdmin || p.memberTenantIds.contains(DeskAccess.deskTenantId) { tiers.append(.tokyo) }
        if isEditor { tiers.append(.desk) }
        return tiers
    }

    func mayRead(_ article: Article) -> Bool {
        if isEditor { return true }
        guard article.isOnShow, let tier = article.publishedTier.flatMap(ArticleTier.init(rawValue:)) else { return false }
        return readableTiers.contains(tier)
    }

    /// Whose work a review judges: the article's author and everyone who wrote a version since
    /// it was last published (the versions under review).
    static func contributors(of article: Article, versions: [ArticleVersion]) -> Set<String> {
        Set([article.authorId] + versions.filter { $0.version > (article.publishedVersion ?? 0) }.map(\.editorId))
    }

    /// Four eyes: nobody publishes or returns work they wrote.
    func mayReview(_ article: Article, contributors: Set<String>) -> Bool {
        guard isReviewer, let personId else { return false }
        return !contributors.contains(personId) && article.authorId != personId
    }

    func mayTake(_ action: ArticleAction, on article: Article, contributors: Set<String>) -> Bool {
        switch action {
        case .submit, .reopen: isEditor
        case .publish, .return: mayReview(article, contributors: contributors)
        case .archive: isReviewer || article.authorId == personId
        }
    }
}
