/// The kinds of support a bureau can ask the desk for (支援内容).
public enum SupportKind: String, Codable, Sendable, CaseIterable {
    case specReview              // 仕様書チェック
    case dxAdvice                // DX事業の進め方の助言
    case vendorMeeting           // 事業者との打合せ同席
    case userTesting             // ユーザーテスト支援
    case uxDesign                // UI/UXデザイン・UX設計の助言
    case deliverableReview       // 契約成果物のチェック
    case planning                // 計画策定支援
    case marketResearch          // 市場動向調査
    case businessProcess         // 業務フロー整備
    case contractScheme          // 契約スキーム検討
    case specDrafting            // 仕様書作成支援
    case estimateCheck           // 見積書の妥当性確認
    case expertReferral          // 外部有識者の紹介
    case releaseAttendance       // リリース立会い
    case operationsReadiness     // 運用に向けた支援

    /// Kinds that only make sense once procurement is in view; the intake form asks for the
    /// procurement schedule when any of them is chosen.
    public var needsProcurementSchedule: Bool {
        [.specReview, .contractScheme, .specDrafting, .estimateCheck].contains(self)
    }
}

/// The budget bands the intake form offers (予算規模), in thousands of yen.
public enum BudgetRange: String, Codable, Sendable, CaseIterable {
    case none, under10m, from10mTo50m, from50mTo100m, from100mTo500m, over500m, undecided
}
