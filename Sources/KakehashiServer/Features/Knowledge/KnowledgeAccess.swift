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

    /// Four eyes: nobody publishes or returns their own article.
    func mayReview(_ article: Article) -> Bool { isReviewer && article.authorId != personId }

    func mayTake(_ action: ArticleAction, on article: Article) -> Bool {
        switch action {
        case .submit, .reopen: isEditor
        case .publish, .return: mayReview(article)
        case .archive: isReviewer || article.authorId == personId
        }
    }
}
