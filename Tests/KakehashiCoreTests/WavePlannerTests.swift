import Testing
@testable import KakehashiCore

@Suite("Wave planner")
struct WavePlannerTests {
    typealias System = WavePlanInput.System
    typealias Interface = WavePlanInput.Interface

    /// A planted instance: clusters of systems joined inside a wave, capacity 3 % above the planted
    /// load, pinned systems of different waves joined by "forced" interfaces whose weight is the optimum.
    static func planted(systems n: Int, waves: Int, seed: UInt64) -> (input: WavePlanInput, optimum: Double, planted: [String: Int]) {
        var random = SplitMix64(seed: seed)
        var systems: [System] = []
        var interfaces: [Interface] = []
        var load = ["team-a": [Double](repeating: 0, count: waves), "team-b": [Double](repeating: 0, count: waves)]
        var plantedWave: [String: Int] = [:]
        var pinned: [String] = []
        var index = 0
        while index < n {
            let wave = 1 + random.below(waves)
            let size = min(n - index, 2 + random.below(6))
            let ids = (index..<(index + size)).map { "S\($0)" }
            index += size
            for (offset, id) in ids.enumerated() {
                let team = random.below(2) == 0 ? "team-a" : "team-b"
                let effort = Double(2 + random.below(9))
                load[team]![wave - 1] += effort
                plantedWave[id] = wave
                let pin = random.below(8) == 0
                if pin { pinned.append(id) }
                systems.append(System(id: id, group: offset < 2 && size > 4 ? "G-\(ids[0])" : nil, effort: [team: effort],
                                      release: pin ? nil : max(1, wave - random.below(3)),
                                      deadline: pin ? nil : min(waves, wave + random.below(3)), fixedWave: pin ? wave : nil))
                if offset > 0 {
                    interfaces.append(Interface(consumer: id, provider: ids[random.below(offset)],
                                                weight: Double(1 + random.below(9)), hard: random.below(5) == 0))
                }
            }
        }
        var optimum = 0.0
        for _ in 0..<(n / 10) where pinned.count > 1 {
            let a = pinned[random.below(pinned.count)]
            let b = pinned[random.below(pinned.count)]
            guard plantedWave[a]! < plantedWave[b]! else { continue }
            let weight = Double(1 + random.below(9))
            interfaces.append(Interface(consumer: b, provider: a, weight: weight, hard: true))
            optimum += weight
        }
        let capacity = load.mapValues { $0.map { ($0 * 1.03).rounded(.up) } }
        return (WavePlanInput(waves: waves, resources: capacity, systems: systems, interfaces: interfaces), optimum, plantedWave)
    }

    @Test("a planted instance is solved to its known optimum with no violation, and the plan says it is optimal")
    func plantedOptimum() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let (input, optimum, planted) = Self.planted(systems: 240, waves: 8, seed: seed)
            #expect(WavePlanEvaluation(input, assignment: planted).violations.isEmpty, "the planted plan itself keeps every constraint")
            #expect(WavePlanEvaluation(input, assignment: planted).objective == optimum)
            let result = try WavePlanner.plan(input, seconds: 10)
            #expect(result.feasible && result.violations == 0)
            #expect(result.lowerBound == optimum)
            #expect(result.objective == optimum)
            #expect(result.optimal)
            #expect(result.assignment.count == input.systems.count)
        }
    }

    @Test("move groups share a wave, hard dependencies run forwards, windows and capacities are kept")
    func constraintsAreKept() throws {
        let input = WavePlanInput(
            waves: 3, resources: ["ops": [10, 14, 14]],
            systems: [
                System(id: "A", group: "g", effort: ["ops": 4]), System(id: "B", group: "g", effort: ["ops": 4]),
                System(id: "C", effort: ["ops": 6], release: 2), System(id: "D", effort: ["ops": 6], deadline: 1),
                System(id: "E", effort: ["ops": 5], fixedWave: 3),
            ],
            interfaces: [Interface(consumer: "A", provider: "C", weight: 5, hard: true),
                         Interface(consumer: "E", provider: "A", weight: 1)])
        let result = try WavePlanner.plan(input, seconds: 2)
        let wave = result.assignment
        #expect(wave["A"] == wave["B"])
        #expect(wave["C"]! <= wave["A"]!)
        #expect(wave["C"]! >= 2 && wave["D"] == 1 && wave["E"] == 3)
        for k in 1...3 {
            let used = input.systems.filter { wave[$0.id] == k }.reduce(0) { $0 + ($1.effort?["ops"] ?? 0) }
            #expect(used <= input.resources["ops"]![k - 1])
        }
        #expect(result.feasible)
    }

    @Test("two systems that feed each other may share a wave; a cycle of hard dependencies must")
    func cyclesAreAllowed() throws {
        let input = WavePlanInput(
            waves: 4, resources: ["ops": [5, 5, 5, 5]],
            systems: ["P", "Q", "R", "S"].map { System(id: $0, effort: ["ops": 2]) },
            interfaces: [Interface(consumer: "P", provider: "Q", weight: 3), Interface(consumer: "Q", provider: "P", weight: 3),
                         Interface(consumer: "R", provider: "S", hard: true), Interface(consumer: "S", provider: "R", hard: true)])
        let result = try WavePlanner.plan(input, seconds: 1)
        #expect(result.assignment["P"] == result.assignment["Q"])
        #expect(result.assignment["R"] == result.assignment["S"])
        #expect(result.objective == 0 && result.optimal)
    }

    @Test("contradictory pins, a system too big for its waves and an overloaded stretch of waves are explained")
    func infeasibilityIsExplained() throws {
        let pins = WavePlanInput(waves: 3, resources: ["ops": [9, 9, 9]],
                                 systems: [System(id: "A", group: "g", fixedWave: 1), System(id: "B", group: "g", fixedWave: 2)],
                                 interfaces: [])
        let split = try WavePlanner.plan(pins, seconds: 0.2)
        #expect(!split.feasible && split.violations > 0)
        #expect(split.conflicts?.first?.contains("pinned apart") == true)
        #expect(split.conflicts?.first?.contains("A → 1") == true)
        #expect(split.issues?.first?.code == "pinned_apart" && split.issues?.first?.args["waves"] == "1, 2")

        let big = WavePlanInput(waves: 2, resources: ["ops": [5, 8]],
                                systems: [System(id: "Big", effort: ["ops": 9])], interfaces: [])
        let tooBig = try WavePlanner.plan(big, seconds: 0.2)
        #expect(!tooBig.feasible)
        #expect(tooBig.conflicts?.contains { $0.contains("Big needs 9 of ops") } == true)

        let crowd = WavePlanInput(waves: 3, resources: ["ops": [5, 5, 50]],
                                  systems: (1...3).map { System(id: "C\($0)", effort: ["ops": 4], deadline: 2) }, interfaces: [])
        let crowded = try WavePlanner.plan(crowd, seconds: 0.2)
        #expect(!crowded.feasible)
        #expect(crowded.conflicts?.contains { $0.contains("waves 1–2 need 12 of ops but waves 1–2 hold 10") } == true)

        let chain = WavePlanInput(waves: 3, resources: ["ops": [9, 9, 9]],
                                  systems: [System(id: "Late", fixedWave: 3), System(id: "Early", deadline: 1)],
                                  interfaces: [Interface(consumer: "Early", provider: "Late", hard: true)])
        let ordered = try WavePlanner.plan(chain, seconds: 0.2)
        #expect(!ordered.feasible)
        #expect(ordered.conflicts?.contains { $0.contains("Early") && $0.contains("leave no wave") } == true)
    }

    @Test("inputs no plan can repair are refused with every reason")
    func badInputIsRefused() {
        let input = WavePlanInput(
            waves: 2, resources: ["ops": [5, -1], "short": [1]],
            systems: [System(id: "A", effort: ["ghost": 1, "ops": -2], fixedWave: 3), System(id: "A")],
            interfaces: [Interface(consumer: "A", provider: "Nobody"), Interface(consumer: "A", provider: "A", weight: -1)])
        do {
            _ = try WavePlanner.plan(input, seconds: 0.1)
            Issue.record("a broken input was planned")
        } catch {
            let text = error.description
            for expected in ["capacity -1.0 in wave 2", "\"short\" lists 1 capacities for 2 waves", "appears more than once",
                             "unknown resource \"ghost\"", "effort -2.0 of ops", "fixedWave 3 is not a wave",
                             "unknown provider \"Nobody\"", "joins a system to itself", "weight -1.0"] {
                #expect(text.contains(expected), "missing: \(expected)")
            }
        }
        #expect(throws: WavePlanInputError.self) { try WavePlanner.plan(WavePlanInput(waves: 0, resources: [:], systems: [], interfaces: [])) }
    }

    @Test("re-planning keeps approved waves and moves only what the change requires")
    func replanningIsStable() throws {
        let (base, _, _) = Self.planted(systems: 120, waves: 6, seed: 9)
        let first = try WavePlanner.plan(base, seconds: 3)
        #expect(first.feasible)
        // Wave 4 loses a fifth of its capacity; waves 1 and 2 are approved.
        var changed = base
        changed.resources = base.resources.mapValues { capacities in
            capacities.enumerated().map { $0.offset == 3 ? ($0.element * 0.8).rounded(.down) : $0.element + 30 }
        }
        changed.previous = first.assignment
        changed.approvedWaves = [1, 2]
        changed.systems.append(System(id: "NEW", effort: ["team-a": 1]))
        let second = try WavePlanner.plan(changed, seconds: 3)
        #expect(second.feasible)
        for (id, wave) in first.assignment where wave <= 2 { #expect(second.assignment[id] == wave, "\(id) left approved wave \(wave)") }
        #expect(second.assignment["NEW"]! > 2)
        let movedOut = first.assignment.filter { $0.value == 4 && second.assignment[$0.key] != 4 }.count
        let moved = try #require(second.moved)
        #expect(moved >= 1)
        #expect(moved <= movedOut + 6, "moved \(moved) systems where \(movedOut) had to leave wave 4")
    }

    @Test("the evaluation counts every broken constraint of a hand-made plan")
    func evaluationIsIndependent() {
        let input = WavePlanInput(
            waves: 2, resources: ["ops": [3, 3]],
            systems: [System(id: "A", group: "g", effort: ["ops": 2], release: 2), System(id: "B", group: "g", effort: ["ops": 2]),
                      System(id: "C", effort: ["ops": 2], fixedWave: 2)],
            interfaces: [Interface(consumer: "A", provider: "C", weight: 4, hard: true)])
        let evaluation = WavePlanEvaluation(input, assignment: ["A": 1, "B": 2, "C": 1])
        #expect(evaluation.objective == 0)
        // A before its release, C off its pin, group g split; wave 1 holds A and C (4 > 3). The hard
        // dependency holds (C and A both in wave 1).
        #expect(evaluation.violations.count == 4)
    }
}
