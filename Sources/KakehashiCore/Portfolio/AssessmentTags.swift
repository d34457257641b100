/// Tags a system has from its catalog facts, for questionnaire conditions and Konveyor's
/// `autoAnswerFor` (as "Category/Tag"): zone, hosting, personal-number data, confidentiality,
/// component kinds, support ending, contracts ending, interfaces.
public enum AssessmentTags {
    public struct Facts: Sendable {
        public var zone: NetworkZone
        public var hosting: Hosting
        public var personalNumber: Bool
        public var confidentiality: Int
        public var municipality: Bool
        public var componentKinds: [ComponentKind]
        /// End-of-life dates of the components (ISO days).
        public var endsOfLife: [LocalDate]
        /// Last day of the latest contract, if any.
        public var contractEnd: LocalDate?
        public var interfaces: Int
        public var today: LocalDate

        public init(zone: NetworkZone, hosting: Hosting, personalNumber: Bool, confidentiality: Int, municipality: Bool,
                    componentKinds: [ComponentKind], endsOfLife: [LocalDate], contractEnd: LocalDate?, interfaces: Int, today: LocalDate) {
            self.zone = zone
            self.hosting = hosting
            self.personalNumber = personalNumber
            self.confidentiality = confidentiality
            self.municipality = municipality
            self.componentKinds = componentKinds
            self.endsOfLife = endsOfLife
            self.contractEnd = contractEnd
            self.interfaces = interfaces
            self.today = today
        }
    }

    public static func of(_ f: Facts) -> Set<String> {
        var tags: Set<String> = ["Zone/\(f.zone.rawValue)", "Hosting/\(f.hosting.rawValue)", "Confidentiality/\(f.confidentiality)",
                                 "Tenant/\(f.municipality ? "municipality" : "tokyo")"]
        if f.personalNumber { tags.insert("Data/personal-number") }
        for kind in f.componentKinds { tags.insert("Component/\(kind.rawValue)") }
        let yearAhead = LocalDate(daysSinceEpoch: f.today.daysSinceEpoch + 365)
        if f.endsOfLife.contains(where: { $0 < f.today }) {
            tags.insert("Support/ended")
        } else if f.endsOfLife.contains(where: { $0 < yearAhead }) {
            tags.insert("Support/ending")
        }
        if let end = f.contractEnd, end < LocalDate(daysSinceEpoch: f.today.daysSinceEpoch + 730) { tags.insert("Contract/ending") }
        tags.insert(f.interfaces == 0 ? "Interfaces/none" : f.interfaces >= 5 ? "Interfaces/many" : "Interfaces/some")
        return tags
    }
}
