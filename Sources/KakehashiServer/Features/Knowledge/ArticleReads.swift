import KakehashiCore
import SQLKit

/// Reading articles as a person may read them, for the pages and the API alike.
struct ArticleReads: Sendable {
    let database: AppDatabase
    let repository = ArticleRepository()

    /// The article as this person sees it: editors the working copy (or one version), readers
    /// the published version. Anything they may not read is "not found".
    func load(_ id: String, access: KnowledgeAccess, version: Int?) async throws -> ArticleData {
        let found = try await database.read { sql -> ArticleData? in
            guard let article = try await repository.find(id, on: sql), access.mayRead(article) else { return nil }
            let versions = try await repository.versions(of: id, on: sql)
            let shown: ArticleVersion?
            if let version {
                shown = versions.first { $0.version == version }
            } else if access.isEditor {
                shown = versions.first { $0.version == article.version }
            } else {
                shown = versions.first { $0.version == article.publishedVersion }
            }
            guard let shown else { return nil }
            var related: [Consultation] = []
            if let principal = access.principal {
                let desk = try await DeskAccess.load(principal, database: database)
                let ids = try await repository.links(of: id, on: sql).filter { $0.targetType == "consultation" }.map(
                    \.targetId)
                for cid in ids {
                    if let c = try await ConsultationRepository().consultation(cid, access: desk, on: sql) {
                        related.append(c)
                    }
                }
            }
            let people = Set([article.authorId] + [article.reviewerId].compactMap { $0 } + versions.map(\.editorId))
            let names = try await DirectoryRepository().people(ids: people, on: sql).mapValues(\.displayName)
            return ArticleData(
                article: article, shown: shown, versions: access.isEditor ? versions : [], related: related,
                names: names)
        }
        guard let found else { throw AppError.notFound }
        return found
    }
}
