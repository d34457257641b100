/// What the wave planner is asked (contracts/README.md, "Wave planning"), plus re-planning fields.
public struct WavePlanInput: Codable, Sendable, Equatable {
    /// Number of waves, numbered 1…waves.
    public var waves: Int
    /// Capacity of each resource per wave: `resources[r][k-1]` is resource r in wave k.
    public var resources: [String: [Double]]
    public var systems: [System]
    public var interfaces: [Interface]
    /// Re-planning: the wave each system is in now. Systems not listed are new.
    public var previous: [String: Int]?
    /// Re-planning: approved waves of `previous`; their systems stay and nothing joins them.
    public var approvedWaves: [Int]?
    /// Re-planning: what moving one system away from its previous wave costs, in interface weight (default 1).
    public var moveCost: Double?

    public struct System: Codable, Sendable, Equatable {
        public var id: String
        public var group: String?
        public var effort: [String: Double]?
        public var release: Int?
        public var deadline: Int?
        public var fixedWave: Int?

        public init(id: String, group: String? = nil, effort: [String: Double]? = nil,
                    release: Int? = nil, deadline: Int? = nil, fixedWave: Int? = nil) {
            self.id = id
            self.group = group
            self.effort = effort
            self.release = release
            self.deadline = deadline
            self.fixedWave = fixedWave
        }
    }

    public struct Interface: Codable, Sendable, Equatable {
        public var consumer: String
        public var provider: String
        public var weight: Double?
        public var hard: Bool?

        public init(consumer: String, provider: String, weight: Double? = nil, hard: Bool? = nil) {
            self.consumer = consumer
            self.provider = provider
            self.weight = weight
            self.hard = hard
        }
    }

    public init(waves: Int, resources: [String: [Double]], systems: [System], interfaces: [Interface],
                previous: [String: Int]? = nil, approvedWaves: [Int]? = nil, moveCost: Double? = nil) {
        self.waves = waves
        self.resources = resources
        self.systems = systems
        self.interfaces = interfaces
        self.previous = previous
        self.approvedWaves = approvedWaves
        self.moveCost = moveCost
    }
}

/// An input the planner cannot work on at all: every reason, one per line (exit 2 at the command).
public struct WavePlanInputError: Error, Equatable, CustomStringConvertible {
    public var reasons: [String]
    public var description: String { reasons.joined(separator: "\n") }
}

extension WavePlanInput {
    /// The most systems, interfaces, waves and resources one plan may hold, and the largest number
    /// (capacity, effort, weight, cost): sums of a million of them stay exact and finite.
    public static let limits = (systems: 100_000, interfaces: 1_000_000, waves: 520, resources: 200, number: 1e12)

    /// Checks what no plan can repair (unknown ids, negative numbers, out-of-range waves); a
    /// contradiction between valid constraints is not an error but an infeasibility the plan explains.
    public func validate() throws(WavePlanInputError) {
        var reasons: [String] = []
        func add(_ reason: String) { if reasons.count < 50 { reasons.append(reason) } }
        let limits = Self.limits
        if waves < 1 || waves > limits.waves { add("waves must be between 1 and \(limits.waves) (got \(waves))") }
        if systems.count > limits.systems { add("at most \(limits.systems) systems (got \(systems.count))") }
        if interfaces.count > limits.interfaces { add("at most \(limits.interfaces) interfaces (got \(interfaces.count))") }
        if resources.count > limits.resources { add("at most \(limits.resources) resources (got \(resources.count))") }
        guard reasons.isEmpty else { throw WavePlanInputError(reasons: reasons) }

        for (name, capacities) in resources.sorted(by: { $0.key < $1.key }) {
            if capacities.count != waves {
                add("resource \"\(name)\" lists \(capacities.count) capacities for \(waves) waves")
            }
            for (index, capacity) in capacities.enumerated() where !(capacity.isFinite && capacity >= 0 && capacity <= limits.number) {
                add("resource \"\(name)\" has capacity \(capacity) in wave \(index + 1); capacities must be between 0 and 10^12")
            }
        }
        var ids = Set<String>()
        for system in systems {
            if system.id.isEmpty { add("a system has an empty id") }
            if !ids.insert(system.id).inserted { add("system id \"\(system.id)\" appears more than once") }
            for (resource, effort) in (system.effort ?? [:]).sorted(by: { $0.key < $1.key }) {
                if resources[resource] == nil { add("system \(system.id) needs unknown resource \"\(resource)\"") }
                if !(effort.isFinite && effort >= 0 && effort <= limits.number) { add("system \(system.id) has effort \(effort) of \(resource); effort must be between 0 and 10^12") }
            }
            for (field, wave) in [("release", system.release), ("deadline", system.deadline), ("fixedWave", system.fixedWave)] {
                if let wave, !(1...waves).contains(wave) { add("system \(system.id): \(field) \(wave) is not a wave (1…\(waves))") }
            }
        }
        for (index, interface) in interfaces.enumerated() {
            let name = "interface \(index + 1) (\(interface.consumer) ← \(interface.provider))"
            if !ids.contains(interface.consumer) { add("\(name): unknown consumer \"\(interface.consumer)\"") }
            if !ids.contains(interface.provider) { add("\(name): unknown provider \"\(interface.provider)\"") }
            if interface.consumer == interface.provider { add("\(name) joins a system to itself") }
            if let weight = interface.weight, !(weight.isFinite && weight >= 0 && weight <= limits.number) { add("\(name): weight \(weight) must be between 0 and 10^12") }
        }
        for (id, wave) in (previous ?? [:]).sorted(by: { $0.key < $1.key }) where !(1...waves).contains(wave) {
            add("previous plan puts \(id) in wave \(wave), which is not a wave (1…\(waves))")
        }
        for wave in approvedWaves ?? [] where !(1...waves).contains(wave) {
            add("approved wave \(wave) is not a wave (1…\(waves))")
        }
        if let moveCost, !(moveCost.isFinite && moveCost >= 0 && moveCost <= limits.number) { add("moveCost must be between 0 and 10^12 (got \(moveCost))") }
        if !reasons.isEmpty { throw WavePlanInputError(reasons: reasons) }
    }
}
