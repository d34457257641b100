/// アカウント管理のルール: what is wrong with an access grant, judged on a day. Evaluated whenever
/// grants are shown, so a contract that ends, a transfer or an expired exception shows at once.
public enum AccessRule: String, Codable, Sendable, CaseIterable {
    /// Named accounts only: no shared logins.
    case namedAccount
    /// Multi-factor authentication on every account.
    case mfa
    /// A vendor's (委託事業者) grant ends no later than their contract.
    case vendorContract
    /// No standing administrator grant on production without an approved exception.
    case standingAdmin
    /// Every use of a break-glass account reviewed.
    case breakglassUse
    /// A person transferred (人事異動) since the grant was last confirmed: review it.
    case transfer
}

public struct GrantFacts: Sendable {
    public var role: String
    public var stage: String
    /// named, shared or breakglass.
    public var accountKind: String
    public var mfa: Bool
    public var vendor: Bool
    public var contractEnds: LocalDate?
    public var startsOn: LocalDate
    public var endsOn: LocalDate
    /// An approved, unexpired baseline exception covers a standing administrator grant.
    public var exceptionActive: Bool
    /// The day the person's newest membership began (a transfer), if any.
    public var lastTransfer: LocalDate?
    /// The day the grant was approved or last confirmed in an access review.
    public var confirmedOn: LocalDate
    public var unreviewedBreakglassUses: Int

    public init(role: String, stage: String, accountKind: String, mfa: Bool, vendor: Bool, contractEnds: LocalDate?, startsOn: LocalDate, endsOn: LocalDate,
                exceptionActive: Bool, lastTransfer: LocalDate?, confirmedOn: LocalDate, unreviewedBreakglassUses: Int) {
        (self.role, self.stage, self.accountKind, self.mfa, self.vendor, self.contractEnds) = (role, stage, accountKind, mfa, vendor, contractEnds)
        (self.startsOn, self.endsOn, self.exceptionActive, self.lastTransfer) = (startsOn, endsOn, exceptionActive, lastTransfer)
        (self.confirmedOn, self.unreviewedBreakglassUses) = (confirmedOn, unreviewedBreakglassUses)
    }
}

public enum AccessRules {
    /// An administrator grant on production longer than this is standing.
    public static let standingDays = 7

    /// The rules an approved grant breaks on `today` (nothing once it has ended).
    public static func violations(_ g: GrantFacts, today: LocalDate) -> [AccessRule] {
        guard g.endsOn >= today else { return [] }
        var out: [AccessRule] = []
        if g.accountKind == "shared" { out.append(.namedAccount) }
        if !g.mfa { out.append(.mfa) }
        if g.vendor, g.contractEnds.map({ g.endsOn > $0 || today > $0 }) ?? true { out.append(.vendorContract) }
        if isStandingAdmin(role: g.role, stage: g.stage, startsOn: g.startsOn, endsOn: g.endsOn), !g.exceptionActive { out.append(.standingAdmin) }
        if g.accountKind == "breakglass", g.unreviewedBreakglassUses > 0 { out.append(.breakglassUse) }
        if let moved = g.lastTransfer, moved > g.confirmedOn, moved <= today { out.append(.transfer) }
        return out
    }

    public static func isStandingAdmin(role: String, stage: String, startsOn: LocalDate, endsOn: LocalDate) -> Bool {
        role == "admin" && stage == "production" && endsOn.daysSinceEpoch - startsOn.daysSinceEpoch > standingDays
    }
}
