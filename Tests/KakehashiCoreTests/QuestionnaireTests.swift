import Testing
@testable import KakehashiCore

@Suite("Questionnaires: reading, Konveyor import and scoring")
struct QuestionnaireTests {
    static let sampleYAML = """
    id: sample
    version: 3
    title: {ja: 試験用, en: Sample}
    thresholds: {red: 20, yellow: 40, unknown: 30}
    sections:
      - id: s
        title: 一般
        questions:
          - id: kind
            text: 種類は
            answers:
              - {id: pkg, text: パッケージ, risk: green, weights: {repurchase: 3, rehost: 1}, tags: [App/package]}
              - {id: mf, text: メインフレーム, risk: red, weights: {refactor: 4, rehost: -3}}
              - {id: unknown, text: 不明, risk: unknown}
          - id: cloud_edition
            text: クラウド版は
            when: {question: kind, is: pkg}
            answers:
              - {id: yes, text: ある, risk: green, weights: {repurchase: 4}}
              - {id: no, text: ない, risk: yellow, weights: {rehost: 2, repurchase: -2}}
          - id: lgwan
            text: LGWANから使うか
            when: {all: [{tag: Zone/lgwan}, {not: {tag: App/package}}]}
            answers:
              - {id: yes, text: 使う, risk: yellow, weights: {relocate: 2}}
          - id: support
            text: サポート
            answers:
              - {id: ok, text: 有効, risk: green, weights: {rehost: 1}}
              - {id: ended, text: 終了, risk: red, weights: {replatform: 3, rehost: -2}, autoFor: [Support/ended]}
    """

    static func sample() throws -> Questionnaire { try QuestionnaireReader.read(Self.sampleYAML).questionnaire }

    @Test("our format: ids, bilingual text from one string, conditions and weights")
    func readsOurs() throws {
        let (q, format) = try QuestionnaireReader.read(Self.sampleYAML)
        #expect(format == .kakehashi)
        #expect(q.id == "sample" && q.version == 3 && q.title.en == "Sample" && q.sections[0].title.en == "一般")
        #expect(q.questions.map(\.id) == ["kind", "cloud_edition", "lgwan", "support"])
        #expect(q.question("cloud_edition")?.when == .answered(question: "kind", answers: ["pkg"]))
        #expect(q.question("lgwan")?.when == .all([.tag("Zone/lgwan"), .not(.tag("App/package"))]))
        #expect(q.question("kind")?.answers[1].weights == [.refactor: 4, .rehost: -3])
        #expect(q.thresholds == RiskThresholds(red: 20, yellow: 40, unknown: 30))
    }

    @Test("every problem is reported with its place; nothing is half read")
    func reportsProblems() {
        let bad = """
        id: bad id
        title: x
        thresholds: {red: 120}
        sections:
          - id: s
            title: t
            questions:
              - id: a
                text: q
                when: {question: b, is: x}
                answers:
                  - {id: x, text: x, risk: purple, weights: {rewrite: 1, rehost: abc}}
                  - {id: x, text: y, risk: green}
              - id: b
                text: q
                when: {question: a, in: [zzz]}
                answers: nope
              - id: a
                text: again
                answers: [{id: z, text: z, risk: green}]
        """
        #expect(throws: QuestionnaireReader.Failure.self) { try QuestionnaireReader.read(bad) }
        let issues = Self.issues(bad)
        let found = Set(issues.map { "\($0.path) \($0.code)" })
        for expected in ["id bad_id", "thresholds.red out_of_range",
                         "sections[1].questions[1].answers[1].risk bad_risk",
                         "sections[1].questions[1].answers[1].weights bad_strategy",
                         "sections[1].questions[1].answers[1].weights.rehost not_number",
                         "sections[1].questions[1].answers[2].id duplicate_id",
                         "sections[1].questions[1].when condition_unknown_question",
                         "sections[1].questions[2].answers not_list",
                         "sections[1].questions[2].when condition_unknown_answer",
                         "sections[1].questions[3].id duplicate_id"] {
            #expect(found.contains(expected), "missing \(expected) in \(found.sorted())")
        }
        #expect(Self.issues("id: [").first?.code == "yaml")
        #expect(Self.issues("").first?.code == "empty")
        #expect(Self.issues("id: x\ntitle: t\nsections: []").map(\.code) == ["missing"])
    }

    static func issues(_ text: String) -> [QuestionnaireReader.Issue] {
        do {
            _ = try QuestionnaireReader.read(text)
            return []
        } catch {
            return error.issues
        }
    }

    @Test("no more questions than the limit are read, however the YAML repeats them")
    func boundedBySize() {
        let question = "      - {id: q, text: t, answers: [{id: a, text: a, risk: green}]}\n"
        var text = "id: big\ntitle: t\nsections:\n  - id: s\n    title: t\n    questions:\n"
        for n in 0..<(QuestionnaireReader.limits.questions + 5) { text += question.replacingOccurrences(of: "id: q,", with: "id: q\(n),") }
        #expect(Self.issues(text).contains { $0.code == "too_many" })
    }

    static let konveyor = """
    name: Cloud readiness
    description: Konveyor sample
    thresholds: {red: 5, yellow: 25, unknown: 15}
    riskMessages: {red: Requires deep changes, yellow: Some work, green: Ready, unknown: Need info}
    sections:
      - order: 2
        name: Application details
        questions:
          - order: 1
            text: Does the application have legal restrictions?
            answers:
              - {order: 2, text: "Yes", risk: red, rationale: Legal constraints, mitigation: Talk to legal}
              - {order: 1, text: "No", risk: green}
      - order: 1
        name: Technology
        questions:
          - order: 2
            text: Which Java runtime?
            includeFor: [{category: Language, tag: Java}]
            excludeFor: [{category: Runtime, tag: Quarkus}]
            answers:
              - {order: 1, text: Spring Boot, risk: green, applyTags: [{category: Runtime, tag: Spring Boot}], weights: {replatform: 2}}
              - {order: 2, text: WebLogic, risk: yellow, autoAnswerFor: [{category: Runtime, tag: WebLogic}]}
          - order: 1
            text: What is the main language?
            explanation: The language the code is written in
            answers:
              - {order: 1, text: Java, risk: green, applyTags: [{category: Language, tag: Java}]}
              - {order: 2, text: COBOL, risk: red}
    """

    @Test("Konveyor's format: orders give ids, tags give conditions, applyTags and autoAnswerFor carried")
    func readsKonveyor() throws {
        let (q, format) = try QuestionnaireReader.read(Self.konveyor)
        #expect(format == .konveyor)
        #expect(q.id == "konveyor-cloud-readiness" && q.title.ja == "Cloud readiness" && q.thresholds.red == 5)
        #expect(q.sections.map(\.id) == ["s1", "s2"])
        #expect(q.questions.map(\.id) == ["s1q1", "s1q2", "s2q1"])
        #expect(q.question("s1q1")?.help?.en == "The language the code is written in")
        #expect(q.question("s1q2")?.when == .all([.any([.tag("Language/Java")]), .not(.any([.tag("Runtime/Quarkus")]))]))
        #expect(q.question("s1q2")?.answers.map(\.tags) == [["Runtime/Spring Boot"], []])
        #expect(q.question("s1q2")?.answers[1].autoFor == ["Runtime/WebLogic"])
        #expect(q.question("s2q1")?.answers.map(\.id) == ["a1", "a2"])
        #expect(q.question("s2q1")?.answers[1].mitigation?.ja == "Talk to legal")

        // The Java question appears once an answer applied the Language/Java tag.
        let java = AssessmentScoring.score(q, answers: ["s1q1": "a1", "s1q2": "a1", "s2q1": "a2"], tags: [])
        #expect(java.shown == ["s1q1", "s1q2", "s2q1"] && java.risk == .red && java.recommended == .replatform)
        let cobol = AssessmentScoring.score(q, answers: ["s1q1": "a2", "s2q1": "a1"], tags: [])
        #expect(cobol.shown == ["s1q1", "s2q1"] && cobol.risk == .red && cobol.recommended == nil)
        #expect(Reading.slug("移行評価") .hasPrefix("konveyor-") && Reading.slug("移行評価") == Reading.slug("移行評価"))
    }

    @Test("hidden questions do not count, their answers are ignored; risk takes the highest colour reached")
    func visibilityAndRisk() throws {
        let q = try Self.sample()
        let mainframe = AssessmentScoring.score(q, answers: ["kind": "mf", "cloud_edition": "yes", "support": "ok"], tags: ["Zone/lgwan"])
        #expect(mainframe.shown == ["kind", "lgwan", "support"])
        #expect(mainframe.answered == 2 && mainframe.counts[.unknown] == 1 && mainframe.counts[.red] == 1)
        #expect(mainframe.risk == .red)                        // 33 % red ≥ 20
        #expect(mainframe.scores[.repurchase] == nil)          // the hidden answer weighed nothing

        let package = AssessmentScoring.score(q, answers: ["kind": "pkg", "cloud_edition": "no", "support": "ok"], tags: ["Zone/lgwan"])
        #expect(package.shown == ["kind", "cloud_edition", "support"])   // App/package hides the LGWAN question
        #expect(package.risk == .green)                                  // 33 % yellow < 40
        #expect(package.tags.contains("App/package"))
        let yellow = AssessmentScoring.score(q, answers: ["kind": "pkg", "cloud_edition": "no"], tags: [])
        #expect(yellow.risk == .unknown)                                 // 1 of 3 unanswered: 33 % ≥ 30, yellow 33 % < 40
        #expect(AssessmentScoring.score(q, answers: [:], tags: []).risk == .unknown)
    }

    @Test("the recommendation sums weights, names the answers for and against it, and knows how sure it is")
    func recommendation() throws {
        let q = try Self.sample()
        let r = AssessmentScoring.score(q, answers: ["kind": "pkg", "cloud_edition": "yes", "support": "ended"], tags: [])
        #expect(r.scores == [.repurchase: 7, .rehost: -1, .replatform: 3])
        #expect(r.recommended == .repurchase && r.runnerUp == .replatform)
        #expect(r.reasons.map(\.question) == ["cloud_edition", "kind"] && r.reasons.map(\.weight) == [4, 3])
        #expect(r.against.isEmpty)
        #expect(r.confidence == .high)

        let close = AssessmentScoring.score(q, answers: ["kind": "pkg", "cloud_edition": "no", "support": "ok"], tags: [])
        // rehost 1 + 2 + 1 = 4, repurchase 3 − 2 = 1: rehost, with cloud_edition against repurchase irrelevant.
        #expect(close.recommended == .rehost && close.reasons.first?.question == "cloud_edition")
        let mf = AssessmentScoring.score(q, answers: ["kind": "mf", "support": "ok"], tags: [])
        #expect(mf.recommended == .refactor && mf.against.isEmpty && mf.scores[.rehost] == -2)

        // Ties go to the less disruptive strategy; nothing positive recommends nothing.
        let tie = try QuestionnaireReader.read("""
        id: t
        title: t
        sections: [{id: s, title: t, questions: [{id: q, text: t, answers: [{id: a, text: a, risk: green, weights: {refactor: 2, rehost: 2}}, {id: b, text: b, risk: green, weights: {retire: -1}}]}]}]
        """).questionnaire
        #expect(AssessmentScoring.score(tie, answers: ["q": "a"], tags: []).recommended == .rehost)
        #expect(AssessmentScoring.score(tie, answers: ["q": "a"], tags: []).confidence == .low)
        #expect(AssessmentScoring.score(tie, answers: ["q": "b"], tags: []).recommended == nil)
    }

    @Test("answers naming unknown questions or answers are found; autoFor prefills from the system's tags")
    func problemsAndPrefill() throws {
        let q = try Self.sample()
        #expect(AssessmentScoring.problems(q, answers: ["kind": "pkg", "nope": "x", "support": "maybe"]).map(\.question) == ["nope", "support"])
        #expect(AssessmentScoring.prefill(q, tags: ["Support/ended"]) == ["support": "ended"])
        #expect(AssessmentScoring.prefill(q, tags: []).isEmpty)
    }

    @Test("catalog facts become tags")
    func factsTags() {
        let today = LocalDate(iso: "2026-11-23")!
        let tags = AssessmentTags.of(.init(zone: .lgwan, hosting: .onPremises, personalNumber: true, confidentiality: 3, municipality: true,
                                           componentKinds: [.database, .package], endsOfLife: [LocalDate(iso: "2027-03-31")!],
                                           contractEnd: LocalDate(iso: "2030-03-31"), interfaces: 6, today: today))
        #expect(tags == ["Zone/lgwan", "Hosting/on_premises", "Confidentiality/3", "Tenant/municipality", "Data/personal-number",
                         "Component/database", "Component/package", "Support/ending", "Interfaces/many"])
        let ended = AssessmentTags.of(.init(zone: .none, hosting: .saas, personalNumber: false, confidentiality: 1, municipality: false,
                                            componentKinds: [], endsOfLife: [LocalDate(iso: "2020-01-01")!, LocalDate(iso: "2027-01-01")!],
                                            contractEnd: LocalDate(iso: "2027-03-31"), interfaces: 0, today: today))
        #expect(ended.isSuperset(of: ["Support/ended", "Contract/ending", "Interfaces/none", "Tenant/tokyo"]) && !ended.contains("Support/ending"))
    }
}
