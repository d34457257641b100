import SQLKit

/// The changelog of the schema, oldest first. Append only; never edit or reorder a released step.
enum Migrations {
    static let all: [Migration] = [
        .init("0001-create-tenants-and-org-units", M0001_CreateTenantsAndOrgUnits.apply),
        .init("0002-create-people-memberships-roles", M0002_CreatePeople.apply),
        .init("0003-create-sessions-tokens-sign-in-attempts", M0003_CreateAuth.apply),
        .init("0004-create-audit-trail", M0004_CreateAuditTrail.apply),
        .init("0005-create-consultations-triage", M0005_CreateConsultations.apply),
        .init("0006-create-engagements", M0006_CreateEngagements.apply),
        .init("0007-index-activity-dates", M0007_IndexActivityDates.apply),
        .init("0008-create-attachments", M0008_CreateAttachments.apply),
        .init("0009-create-notifications-mail-outbox", M0009_CreateNotifications.apply),
        .init("0010-create-saved-views", M0010_CreateSavedViews.apply),
        .init("0011-create-deliverable-reviews", M0011_CreateDeliverableReviews.apply),
        .init("0012-index-consultation-submission", M0012_IndexConsultationSubmission.apply),
        .init("0013-create-search-index", M0013_CreateSearchIndex.apply),
        .init("0014-create-articles", M0014_CreateArticles.apply),
        .init("0015-create-system-catalog", M0015_CreateSystemCatalog.apply),
        .init("0016-create-assessments-and-wave-plans", M0016_CreateAssessmentsAndWavePlans.apply),
        .init("0017-create-cost-assumptions", M0017_CreateCostAssumptions.apply),
        .init("0018-create-baseline-records", M0018_CreateBaselineRecords.apply),
        .init("0019-create-baseline-exceptions", M0019_CreateBaselineExceptions.apply),
        .init("0020-create-procurement-checks", M0020_CreateProcurementChecks.apply),
        .init("0021-create-platform", M0021_CreatePlatform.apply),
        .init("0022-record-grant-ends", M0022_RecordGrantEnds.apply),
        .init("0023-create-one-time-passwords", M0023_CreateOneTimePasswords.apply),
        .init("0024-create-provisioning", M0024_CreateProvisioning.apply),
        .init("0025-create-single-sign-on", M0025_CreateSingleSignOn.apply),
        .init("0026-create-scim-groups", M0026_CreateSCIMGroups.apply),
        .init("0027-create-calendar-feeds", M0027_CreateCalendarFeeds.apply),
        .init("0028-add-date-style", M0028_AddDateStyle.apply),
        .init("0029-index-audit-readers", M0029_IndexAuditReaders.apply),
        .init("0030-import-consultations", M0030_ImportConsultations.apply),
    ]
}

extension SQLDataType {
    /// BOOLEAN on both engines (SQLite stores 0/1 under NUMERIC affinity).
    static let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))
    /// 8-byte floating point on both engines (REAL affinity on SQLite).
    static let doublePrecision = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
}
