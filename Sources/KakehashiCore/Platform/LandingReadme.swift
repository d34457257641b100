/// The package's README (Japanese first): what it is for, which guardrail serves which control,
/// what has no native equivalent on this cloud, and how to apply and check it.
enum LandingReadme {
    static func text(_ r: LandingPackage.Request, cloud: CloudProvider, guardrails: [Guardrail], unmapped: [String], files: [LandingPackage.File]) -> String {
        var out = ["# ランディングパッケージ：\(r.systemCode) \(r.systemName)（\(r.stage)・\(cloud.rawValue)・\(r.region)）", "",
                   "架け橋がセキュリティ基準から生成した、環境の初期設定とガードレールです。生成日：\(r.generatedOn.iso)", "",
                   "## ファイル", ""]
        out += files.map { "- `\($0.path)`" }
        out += ["", "## 統制とガードレール", "", "| 統制 | ガードレール | 種類 |", "|---|---|---|"]
        for g in guardrails { out.append("| \(g.controls.joined(separator: ", ")) | \(g.title.ja)（`\(g.native)`） | \(g.kind.rawValue) |") }
        if !unmapped.isEmpty {
            out += ["", "## このクラウドに相当するガードレールがない統制", "",
                    "次の統制は、システムのIaCに対する `kakehashi check` か、統制が求める証跡で確認します。", ""]
            out += unmapped.map { "- \($0)" }
        }
        out += ["", "## 確認", "", "```sh"]
        switch cloud {
        case .aws: out.append("kakehashi check aws/account-baseline.json --exceptions aws/exceptions.yaml")
        default: out.append("kakehashi check \(cloud == .azure ? "azure" : "gcp")/plan.json")
        }
        out += ["```", ""]
        return out.joined(separator: "\n")
    }
}
