import Foundation
import KakehashiAPI
import KakehashiCore
import Hummingbird
import Logging
import OpenAPIHummingbird
import ServiceLifecycle

/// The one way to build Kakehashi: `serve` and the tests both call this.
/// Read top to bottom: the router (database, pages, middleware, routes), then services.
public func buildApplication(
    config: AppConfig, onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let logger = config.logger
    let built = try await buildRouter(config: config)
    let (router, database, notifier, sla) = (built.router, built.database, built.notifier, built.sla)
    var app = Application(
        router: router,
        // Idle keep-alive connections close after 30 s; bodies have their own deadline (BodyReading).
        server: .http1(configuration: .init(idleTimeout: .seconds(30))),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.port) },
        logger: logger)
    // Migrations run before this is called (`kakehashi serve` migrates first); /readyz reports
    // 503 while any are pending.
    app.addServices(database.services)
    if config.auditCheckpointMinutes > 0 {
        let writer = AuditCheckpointWriter(database: database, key: try AuditSigningKey.loadOrCreate(config.auditKeyFile),
                                           store: AuditCheckpointStore(directory: config.auditCheckpointDirectory),
                                           syslog: config.auditCheckpointSyslog)
        app.addServices(AuditCheckpointService(writer: writer, interval: .seconds(config.auditCheckpointMinutes * 60), logger: logger))
    }
    app.addServices(NotificationService(
        outbox: config.smtp.map { MailOutbox(database: database, client: SMTPClient(settings: $0), logger: logger) },
        reminders: [DeskReminders(database: database, notifier: notifier, sla: sla), BaselineReminders(database: database, notifier: notifier)],
        interval: .seconds(config.mailIntervalSeconds), logger: logger))
    return app
}

/// Everything that answers requests, and the parts the services share. The route-matrix test
/// reads `router.routes` from here, so every route is tried without anyone listing it.
struct BuiltRouter {
    let router: Router<AppRequestContext>
    let database: AppDatabase
    let notifier: Notifier
    let sla: DeskSLA
}

func buildRouter(config: AppConfig) async throws -> BuiltRouter {
    let logger = config.logger
    let database = try AppDatabase.open(url: config.databaseURL, schema: config.databaseSchema, logger: logger)
    let pages = try await Pages.load()
    let passwords = Passwords(cost: config.bcryptCost)
    let sessions = config.sessionStore
    let attachments = AttachmentService(database: database, setup: config.attachments)
    let notifier = Notifier(localizer: pages.localizer, mailEnabled: config.smtp != nil, publicURL: config.publicURL)
    let service = DirectoryService(database: database, passwords: passwords, notifier: notifier)
    let inbox = Inbox(database: database)
    _ = OpsRoutes.registry

    let methodGuard = APIMethodGuard(document: String(decoding: try APIDocument.yaml(), as: UTF8.self))
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        MetricsMiddleware()
        LogRequestsMiddleware(.info)
        SecurityHeadersMiddleware()
        AuthMiddleware(database: database, sessions: sessions, trustProxy: config.trustProxy, inbox: inbox,
                       adminSecondFactorRequired: config.adminSecondFactorRequired)
        ErrorMiddleware(pages: pages)
        // Inside ErrorMiddleware: the router's 404 reaches it as an error, so it can serve the file.
        FileMiddleware(Bundle.module.resourcePath! + "/Public", urlBasePath: "/static", searchForIndexHtml: false, logger: logger)
        // A file just over the limit still reaches the form, which names the limit.
        CSRFMiddleware(secureCookies: config.secureCookies, maximumUploadBody: 2 * config.attachmentMaxBytes + (1 << 20))
        APIContextMiddleware(fileLimit: config.attachmentMaxBytes + (1 << 20))
        methodGuard
    }

    OpsRoutes(database: database, store: config.attachments.store).addRoutes(to: router)
    SCIMRoutes(database: database, localizer: pages.localizer, publicURL: config.publicURL, notifier: notifier)
        .addRoutes(to: router)
    let identityProviders = OIDCClient(transport: config.oidcTransport ?? HTTPTransport())
    SignInRoutes(database: database, pages: pages, sessions: sessions, passwords: passwords,
                 secureCookies: config.secureCookies, publicURL: config.publicURL, notifier: notifier,
                 client: identityProviders)
        .addRoutes(to: router)
    let account = AccountRoutes(database: database, pages: pages, passwords: passwords, secureCookies: config.secureCookies)
    account.addPublicRoutes(to: router)
    let calendar = CalendarRoutes(database: database, pages: pages, inbox: inbox, publicURL: config.publicURL)
    calendar.addPublicRoutes(to: router)

    // Open to visitors: public articles, and search over them.
    SearchRoutes(database: database, pages: pages).addRoutes(to: router)
    let articles = ArticleService(database: database)
    ArticleRoutes(database: database, pages: pages, service: articles).addPublicRoutes(to: router)

    // Signed in: the principal is not optional from here on. A person's own things first (their
    // account, notifications, saved views), which auditors change too; then every other route,
    // which read-only principals only read.
    let signedIn = router.group().group(context: SignedInContext.self)
    let directory = DirectoryRoutes(database: database, pages: pages)
    let sla = DeskSLA.standard
    SecondFactorRoutes(database: database, pages: pages, passwords: passwords,
                       requiredForAdmins: config.adminSecondFactorRequired).addRoutes(to: signedIn)
    signedIn.add(middleware: SecondFactorGate())
    HomeRoutes(database: database, pages: pages, sla: sla, inbox: inbox).addRoutes(to: signedIn)
    InboxRoutes(inbox: inbox, pages: pages).addRoutes(to: signedIn)
    account.addRoutes(to: signedIn)
    calendar.addRoutes(to: signedIn)
    NotificationRoutes(database: database, pages: pages, notifier: notifier).addRoutes(to: signedIn)
    SavedViewRoutes(database: database).addRoutes(to: signedIn)
    let audit = AuditRoutes(database: database, pages: pages, checkpointDirectory: config.auditCheckpointDirectory,
                            keyFile: config.auditKeyFile)
    audit.addVerificationRoute(to: signedIn)
    signedIn.add(middleware: Policy.changesRecords)
    directory.addRoutes(to: signedIn)
    AdminRoutes(database: database, pages: pages, service: service, directoryRoutes: directory).addRoutes(to: signedIn)
    IdentityProviderPages(database: database, pages: pages,
                          registry: IdentityProviderRegistry(database: database, client: identityProviders),
                          publicURL: config.publicURL).addRoutes(to: signedIn)
    audit.addRoutes(to: signedIn)
    let intake = IntakeService(database: database, sla: sla, notifier: notifier)
    let triage = TriageService(database: database, notifier: notifier)
    let engagements = EngagementService(database: database, attachments: attachments, notifier: notifier)
    let cases = ConsultationRoutes(database: database, pages: pages, intake: intake, triage: triage, attachments: attachments,
                                   sla: sla)
    IntakeRoutes(database: database, pages: pages, service: intake, cases: cases).addRoutes(to: signedIn)
    cases.addRoutes(to: signedIn)
    AttachmentRoutes(service: attachments).addRoutes(to: signedIn)
    let reviews = DeliverableReviewService(database: database)
    EngagementRoutes(database: database, pages: pages, service: engagements, reviews: reviews).addRoutes(to: signedIn)
    DeskReportRoutes(database: database, pages: pages, sla: sla).addRoutes(to: signedIn)
    WorkloadRoutes(database: database, pages: pages).addRoutes(to: signedIn)
    ArticleRoutes(database: database, pages: pages, service: articles).addRoutes(to: signedIn)
    let imports = ConsultationImportService(database: database, sla: sla, localizer: pages.localizer, maxBytes: config.attachmentMaxBytes)
    ConsultationImportRoutes(pages: pages, service: imports,
                             stash: ImportStash(directory: config.dataDirectory + "/import-stash")).addRoutes(to: signedIn)
    PortfolioRoutes(database: database, pages: pages, importer: CatalogImportService(database: database)).addRoutes(to: signedIn)
    AssessmentRoutes(database: database, pages: pages, service: AssessmentService(database: database)).addRoutes(to: signedIn)
    WavePlanRoutes(database: database, pages: pages, service: WavePlanService(database: database)).addRoutes(to: signedIn)
    ProgressRoutes(database: database, pages: pages).addRoutes(to: signedIn)
    CostRoutes(database: database, pages: pages).addRoutes(to: signedIn)
    SystemEditRoutes(database: database, pages: pages, importer: CatalogImportService(database: database)).addRoutes(to: signedIn)
    let library = try BaselineService.shipped.get()
    BaselineRoutes(database: database, pages: pages, service: BaselineService(database: database, library: library),
                   exceptions: BaselineExceptionService(database: database, library: library, notifier: notifier)).addRoutes(to: signedIn)

    let procurement = ProcurementService(database: database, engagements: engagements,
                                         rules: ProcurementRuleSets(database: database, shipped: try ProcurementService.shipped.get()), catalog: library.catalog, localizer: pages.localizer)
    ProcurementRoutes(database: database, pages: pages, service: procurement).addRoutes(to: signedIn)
    ProcurementRulesRoutes(database: database, pages: pages, rules: procurement.rules).addRoutes(to: signedIn)
    let platform = PlatformServices(database: database, baseline: library, notifier: notifier)
    PlatformRoutes(database: database, pages: pages, environments: platform.environments, grants: platform.grants).addRoutes(to: signedIn)
    AccessReviewRoutes(database: database, pages: pages, service: platform.reviews).addRoutes(to: signedIn)

    let desk = DeskServices(intake: intake, triage: triage, engagements: engagements, attachments: attachments, reviews: reviews, procurement: procurement)
    try APIHandler(database: database, directory: DirectoryRepository(), service: service, desk: desk,
                   platform: platform, inbox: inbox, localizer: pages.localizer, articles: articles,
                   baseline: BaselineService(database: database, library: library),
                   exceptions: BaselineExceptionService(database: database, library: library, notifier: notifier),
                   notifier: notifier, reportExport: DeskReportExport(database: database, sla: sla),
                   imports: imports,
                   auditFiles: (config.auditCheckpointDirectory, config.auditKeyFile))
        .registerHandlers(on: router, serverURL: URL(string: "/api/v1")!)
    return BuiltRouter(router: router, database: database, notifier: notifier, sla: sla)
}
