import KakehashiCore
import Testing

@Suite struct DeliverableReviewRulesTests {
    @Test(arguments: [
        (DeliverableVerdict.approved, [ReviewItemVerdict.ok, .ok], true),
        (.approved, [.ok, .comment], false),
        (.approved, [.mustFix], false),
        (.approvedWithComments, [.ok, .comment], true),
        (.approvedWithComments, [.comment, .mustFix], false),
        (.rework, [.ok, .mustFix], true),
        (.rework, [.comment], false),
    ])
    func theOverallVerdictAgreesWithThePoints(overall: DeliverableVerdict, items: [ReviewItemVerdict], expected: Bool) {
        #expect(DeliverableReviewRules.isConsistent(overall, items: items) == expected)
    }
}
