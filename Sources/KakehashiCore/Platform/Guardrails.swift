extension CloudProvider {
    /// The clouds a landing package can be generated for.
    public static let packaged: [CloudProvider] = [.aws, .azure, .googleCloud]
}

/// One native guardrail: what a baseline control becomes on one cloud — a CloudFormation
/// resource or service control policy statement on AWS, an Azure Policy assignment, or a Google
/// Cloud organisation-policy constraint (or audit configuration).
public struct Guardrail: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case cloudformation, scp, azurePolicy, orgPolicy, auditConfig
    }

    public let id: String
    public let cloud: CloudProvider
    public let kind: Kind
    public let controls: [String]
    /// The native name: a resource type, an SCP statement id, a built-in policy definition, a constraint.
    public let native: String
    public let title: BilingualText
}

/// The guardrails each cloud has for the baseline's controls. A control with none on a cloud is
/// reported as having no native equivalent there (it is then verified by `kakehashi check` on the
/// system's own IaC, or by the manual evidence the control names).
public enum Guardrails {
    static func g(_ id: String, _ cloud: CloudProvider, _ kind: Guardrail.Kind, _ controls: [String], _ native: String, _ ja: String, _ en: String) -> Guardrail {
        Guardrail(id: id, cloud: cloud, kind: kind, controls: controls, native: native, title: BilingualText(ja: ja, en: en))
    }

    public static let all: [Guardrail] = [
        // AWS: the account baseline (CloudFormation) and service control policies.
        g("aws.trail", .aws, .cloudformation, ["KKH-LOG-01", "KKH-LOG-02"], "AWS::CloudTrail::Trail", "全リージョンの操作ログ（ファイル検証つき）", "Multi-region trail with log file validation"),
        g("aws.log-key", .aws, .cloudformation, ["KKH-LOG-06", "KKH-ENC-04"], "AWS::KMS::Key", "ログ用の顧客管理鍵（自動ローテーション）", "Customer-managed key for logs, rotated"),
        g("aws.log-bucket", .aws, .cloudformation, ["KKH-LOG-03", "KKH-LOG-04", "KKH-ENC-01", "KKH-ENC-02", "KKH-NET-02", "KKH-BCP-05"], "AWS::S3::Bucket",
          "ログ保管バケット（暗号化・公開遮断・HTTPSのみ・保存期間・アクセスログ・バージョン管理）", "Log bucket: encrypted, public access blocked, HTTPS only, retention, access logs, versioning"),
        g("aws.config", .aws, .cloudformation, ["KKH-CFG-01"], "AWS::Config::ConfigurationRecorder", "構成の記録（全リソース）", "Configuration recorder (all resources)"),
        g("aws.guardduty", .aws, .cloudformation, ["KKH-MON-01"], "AWS::GuardDuty::Detector", "脅威検知（GuardDuty）", "Threat detection (GuardDuty)"),
        g("aws.permission-sets", .aws, .cloudformation, ["KKH-IAM-02"], "AWS::SSO::PermissionSet", "役割ごとの権限セット（AWS管理ポリシー、*:*なし）", "A permission set per role (AWS-managed policies, no *:*)"),
        g("aws.scp.regions", .aws, .scp, ["KKH-RES-01"], "DenyOutsideJapanRegions", "東京・大阪リージョン以外の利用を拒否", "Deny regions other than Tokyo and Osaka"),
        g("aws.scp.trail", .aws, .scp, ["KKH-LOG-01"], "DenyTrailChanges", "操作ログの停止・削除を拒否", "Deny stopping or deleting the trail"),
        g("aws.scp.config", .aws, .scp, ["KKH-CFG-01"], "DenyConfigChanges", "構成の記録の停止・削除を拒否", "Deny stopping or deleting the configuration recorder"),
        g("aws.scp.guardduty", .aws, .scp, ["KKH-MON-01"], "DenyGuardDutyChanges", "脅威検知の無効化を拒否", "Deny disabling GuardDuty"),
        g("aws.scp.ebs", .aws, .scp, ["KKH-ENC-01"], "DenyUnencryptedVolumes", "暗号化されていないボリュームの作成を拒否", "Deny creating unencrypted volumes"),
        g("aws.scp.imds", .aws, .scp, ["KKH-IAM-06"], "RequireIMDSv2", "IMDSv2を必須にしない起動を拒否", "Deny launching instances without IMDSv2"),
        g("aws.scp.root", .aws, .scp, ["KKH-IAM-05"], "DenyRootUser", "ルートユーザーの利用を拒否", "Deny use of the root user"),
        g("aws.scp.public-access", .aws, .scp, ["KKH-NET-02"], "DenyPublicAccessBlockChanges", "公開アクセスブロックの変更を拒否", "Deny changing the public access block"),
        g("aws.scp.leave", .aws, .scp, ["KKH-LOG-01", "KKH-CFG-01"], "DenyLeavingOrganization", "組織からの離脱を拒否", "Deny leaving the organisation"),
        // Azure: built-in policy definitions assigned at the management group.
        g("azure.locations", .azure, .azurePolicy, ["KKH-RES-01"], "e56962a6-4747-49cd-b67b-bf8b01975c4c", "許可されている場所（東日本・西日本）", "Allowed locations (Japan East, Japan West)"),
        g("azure.secure-transfer", .azure, .azurePolicy, ["KKH-ENC-02"], "404c3081-a854-4457-ae30-26a93ef643f9", "ストレージアカウントへの安全な転送", "Secure transfer to storage accounts"),
        g("azure.storage-tls", .azure, .azurePolicy, ["KKH-ENC-02"], "fe83a0eb-a853-422d-aac2-1bffd182c5d0", "ストレージアカウントの最小TLSバージョン", "Minimum TLS version for storage accounts"),
        g("azure.storage-public", .azure, .azurePolicy, ["KKH-NET-02"], "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751", "ストレージアカウントの公開アクセスを禁止", "Storage account public access disallowed"),
        g("azure.management-ports", .azure, .azurePolicy, ["KKH-NET-01"], "22730e10-96f6-4aac-ad84-9383d35b5917", "仮想マシンの管理ポートを閉じる", "Management ports closed on virtual machines"),
        g("azure.sql-public", .azure, .azurePolicy, ["KKH-NET-03"], "1b8ca024-1d5c-4dec-8995-b1a932b41780", "Azure SQL Databaseのパブリックネットワークアクセスを無効化", "Public network access on Azure SQL Database disabled"),
        g("azure.sql-tde", .azure, .azurePolicy, ["KKH-ENC-01"], "17k78e20-9358-41c9-923c-fb736d382a12", "SQLデータベースの透過的データ暗号化", "Transparent data encryption on SQL databases"),
        g("azure.activity-log", .azure, .azurePolicy, ["KKH-LOG-03"], "b02aacc0-b073-424e-8298-42b22829ee0a", "アクティビティログを1年以上保持", "Activity log retained for at least a year"),
        g("azure.owner-mfa", .azure, .azurePolicy, ["KKH-IAM-01"], "e3e008c3-56b9-4133-8fd7-d3347377402a", "所有者権限のアカウントに多要素認証", "MFA on accounts with owner permissions"),
        g("azure.vm-backup", .azure, .azurePolicy, ["KKH-BCP-01"], "013e242c-8828-4970-87b3-ab247555486d", "仮想マシンのAzure Backup", "Azure Backup for virtual machines"),
        // Google Cloud: organisation-policy constraints on the folder, and audit logs.
        g("gcp.locations", .googleCloud, .orgPolicy, ["KKH-RES-01"], "constraints/gcp.resourceLocations", "リソースの場所を東京・大阪に限定", "Resource locations limited to Tokyo and Osaka"),
        g("gcp.public-access", .googleCloud, .orgPolicy, ["KKH-NET-02"], "constraints/storage.publicAccessPrevention", "Cloud Storageの公開アクセス防止", "Cloud Storage public access prevention"),
        g("gcp.uniform-access", .googleCloud, .orgPolicy, ["KKH-NET-02"], "constraints/storage.uniformBucketLevelAccess", "バケットの均一なアクセス制御", "Uniform bucket-level access"),
        g("gcp.sql-public", .googleCloud, .orgPolicy, ["KKH-NET-03"], "constraints/sql.restrictPublicIp", "Cloud SQLのパブリックIPを制限", "Cloud SQL public IPs restricted"),
        g("gcp.external-ip", .googleCloud, .orgPolicy, ["KKH-NET-01"], "constraints/compute.vmExternalIpAccess", "仮想マシンの外部IPを禁止", "No external IPs on VMs"),
        g("gcp.default-network", .googleCloud, .orgPolicy, ["KKH-NET-04"], "constraints/compute.skipDefaultNetworkCreation", "既定のネットワークを作らない", "No default network"),
        g("gcp.sa-keys", .googleCloud, .orgPolicy, ["KKH-IAM-02"], "constraints/iam.disableServiceAccountKeyCreation", "サービスアカウントキーの作成を禁止", "No service account key creation"),
        g("gcp.default-sa-grants", .googleCloud, .orgPolicy, ["KKH-IAM-02"], "constraints/iam.automaticIamGrantsForDefaultServiceAccounts", "既定のサービスアカウントへの自動付与を停止", "No automatic grants to default service accounts"),
        g("gcp.os-login", .googleCloud, .orgPolicy, ["KKH-IAM-05"], "constraints/compute.requireOsLogin", "OS Loginで個人を特定", "OS Login required"),
        g("gcp.cmek", .googleCloud, .orgPolicy, ["KKH-ENC-03"], "constraints/gcp.restrictNonCmekServices", "顧客管理鍵（CMEK）なしのサービスを制限", "Services without CMEK restricted"),
        g("gcp.audit-logs", .googleCloud, .auditConfig, ["KKH-LOG-01"], "google_folder_iam_audit_config", "データアクセスを含む監査ログ", "Audit logs including data access"),
    ]

    /// The guardrails of one cloud that serve any of the given controls, in table order.
    public static func serving(_ controls: Set<String>, on cloud: CloudProvider) -> [Guardrail] {
        all.filter { $0.cloud == cloud && $0.controls.contains(where: controls.contains) }
    }

    /// The given controls that no guardrail on the cloud serves.
    public static func unmapped(_ controls: [String], on cloud: CloudProvider) -> [String] {
        let covered = Set(all.filter { $0.cloud == cloud }.flatMap(\.controls))
        return controls.filter { !covered.contains($0) }
    }
}
