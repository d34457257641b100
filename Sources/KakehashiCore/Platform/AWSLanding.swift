/// The AWS landing package: the account baseline as CloudFormation (trail, log key and buckets,
/// configuration recorder, GuardDuty, a permission set per role), the service control policy, and
/// the one exception the baseline grants the package (the access-log bucket cannot log to itself).
enum AWSLanding {
    static func files(_ r: LandingPackage.Request, guardrails: [Guardrail]) -> [LandingPackage.File] {
        let ids = Set(guardrails.map(\.id))
        var files = [LandingPackage.File(path: "aws/account-baseline.json", content: LandingPackage.json(template(r, ids)))]
        let statements = scp(r, ids)
        if !statements.isEmpty {
            files.append(.init(path: "aws/service-control-policy.json", content: LandingPackage.json(["Version": "2012-10-17", "Statement": statements])))
        }
        if needsLogs(ids) {
            let expires = r.generatedOn.adding(days: 3 * 365)
            files.append(.init(path: "aws/exceptions.yaml", content: """
                # Exceptions the baseline grants this package (kakehashi check --exceptions aws/exceptions.yaml).
                exceptions:
                  - id: LZ-\(r.slug)-access-log
                    control: KKH-LOG-04
                    resources: "AWS::S3::Bucket.AccessLogBucket"
                    reason: アクセスログの保管バケット自身のアクセスログは、同じバケットに書くと無限に増えるため取得しない
                    compensating: 保管バケットはバージョン管理・公開遮断・HTTPSのみとし、操作はCloudTrailで記録する
                    approver: デジタル基盤担当（ランディングパッケージ）
                    expires: \(expires.iso)

                """))
        }
        return files
    }

    static func needsLogs(_ ids: Set<String>) -> Bool { ids.contains("aws.trail") || ids.contains("aws.config") || ids.contains("aws.log-bucket") }

    static func tags(_ r: LandingPackage.Request) -> [[String: Any]] {
        [["Key": "kakehashi:system", "Value": r.systemCode], ["Key": "kakehashi:stage", "Value": r.stage]]
    }

    static func sub(_ text: String) -> [String: Any] { ["Fn::Sub": text] }
    static func ref(_ name: String) -> [String: Any] { ["Ref": name] }
    static func getAtt(_ name: String, _ attribute: String) -> [String: Any] { ["Fn::GetAtt": [name, attribute]] }

    static func denyInsecureTransport(_ bucket: String) -> [String: Any] {
        ["Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [getAtt(bucket, "Arn"), sub("${\(bucket).Arn}/*")], "Condition": ["Bool": ["aws:SecureTransport": false]]]
    }

    static func bucket(_ r: LandingPackage.Request, encryption: [String: Any], logging: [String: Any]?) -> [String: Any] {
        var properties: [String: Any] = [
            "BucketEncryption": ["ServerSideEncryptionConfiguration": [encryption]],
            "PublicAccessBlockConfiguration": ["BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true],
            "VersioningConfiguration": ["Status": "Enabled"],
            "OwnershipControls": ["Rules": [["ObjectOwnership": "BucketOwnerEnforced"]]],
            "LifecycleConfiguration": ["Rules": [["Id": "Retention", "Status": "Enabled", "ExpirationInDays": r.retentionDays,
                                                  "NoncurrentVersionExpiration": ["NoncurrentDays": r.retentionDays]]]],
            "Tags": tags(r),
        ]
        if let logging { properties["LoggingConfiguration"] = logging }
        return ["Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": properties]
    }

    static func template(_ r: LandingPackage.Request, _ ids: Set<String>) -> [String: Any] {
        var resources: [String: Any] = [:]
        var parameters: [String: Any] = [:]
        if needsLogs(ids) {
            resources["LogKey"] = ["Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": [
                "Description": "Kakehashi \(r.slug): logs", "EnableKeyRotation": true, "Tags": tags(r),
                "KeyPolicy": ["Version": "2012-10-17", "Statement": [
                    ["Sid": "AccountAdministration", "Effect": "Allow", "Principal": ["AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")], "Action": "kms:*", "Resource": "*"],
                    ["Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": ["Service": "cloudtrail.amazonaws.com"],
                     "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"],
                    ["Sid": "ConfigEncrypt", "Effect": "Allow", "Principal": ["Service": "config.amazonaws.com"],
                     "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"],
                ]],
            ]]
            resources["AccessLogBucket"] = bucket(r, encryption: ["ServerSideEncryptionByDefault": ["SSEAlgorithm": "AES256"]], logging: nil)
            resources["AccessLogBucketPolicy"] = ["Type": "AWS::S3::BucketPolicy", "Properties": [
                "Bucket": ref("AccessLogBucket"),
                "PolicyDocument": ["Version": "2012-10-17", "Statement": [
                    denyInsecureTransport("AccessLogBucket"),
                    ["Sid": "ServerAccessLogs", "Effect": "Allow", "Principal": ["Service": "logging.s3.amazonaws.com"], "Action": "s3:PutObject",
                     "Resource": sub("${AccessLogBucket.Arn}/*"), "Condition": ["StringEquals": ["aws:SourceAccount": ref("AWS::AccountId")]]],
                ]],
            ]]
            resources["LogBucket"] = bucket(r, encryption: ["ServerSideEncryptionByDefault": ["SSEAlgorithm": "aws:kms", "KMSMasterKeyID": getAtt("LogKey", "Arn")],
                                                            "BucketKeyEnabled": true],
                                            logging: ["DestinationBucketName": ref("AccessLogBucket"), "LogFilePrefix": "log-bucket/"])
            resources["LogBucketPolicy"] = ["Type": "AWS::S3::BucketPolicy", "Properties": [
                "Bucket": ref("LogBucket"),
                "PolicyDocument": ["Version": "2012-10-17", "Statement": [
                    denyInsecureTransport("LogBucket"),
                    ["Sid": "ServicesCheckAcl", "Effect": "Allow", "Principal": ["Service": ["cloudtrail.amazonaws.com", "config.amazonaws.com"]],
                     "Action": "s3:GetBucketAcl", "Resource": getAtt("LogBucket", "Arn")],
                    ["Sid": "ServicesWrite", "Effect": "Allow", "Principal": ["Service": ["cloudtrail.amazonaws.com", "config.amazonaws.com"]],
                     "Action": "s3:PutObject", "Resource": sub("${LogBucket.Arn}/AWSLogs/${AWS::AccountId}/*"),
                     "Condition": ["StringEquals": ["aws:SourceAccount": ref("AWS::AccountId")]]],
                ]],
            ]]
        }
        if ids.contains("aws.trail") {
            resources["Trail"] = ["Type": "AWS::CloudTrail::Trail", "DependsOn": "LogBucketPolicy", "Properties": [
                "IsLogging": true, "IsMultiRegionTrail": true, "EnableLogFileValidation": true, "IncludeGlobalServiceEvents": true,
                "KMSKeyId": ref("LogKey"), "S3BucketName": ref("LogBucket"), "Tags": tags(r),
            ]]
        }
        if ids.contains("aws.config") {
            resources["ConfigRecorder"] = ["Type": "AWS::Config::ConfigurationRecorder", "Properties": [
                "RoleARN": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
                "RecordingGroup": ["AllSupported": true, "IncludeGlobalResourceTypes": true],
            ]]
            resources["ConfigDeliveryChannel"] = ["Type": "AWS::Config::DeliveryChannel", "DependsOn": "LogBucketPolicy", "Properties": [
                "S3BucketName": ref("LogBucket"), "S3KmsKeyArn": getAtt("LogKey", "Arn"),
                "ConfigSnapshotDeliveryProperties": ["DeliveryFrequency": "TwentyFour_Hours"],
            ]]
        }
        if ids.contains("aws.guardduty") {
            resources["ThreatDetector"] = ["Type": "AWS::GuardDuty::Detector", "Properties": ["Enable": true, "FindingPublishingFrequency": "FIFTEEN_MINUTES"]]
        }
        if ids.contains("aws.permission-sets"), !r.roles.isEmpty {
            parameters["IdentityCenterInstanceArn"] = ["Type": "String", "Description": "IAM Identity Center instance ARN (arn:aws:sso:::instance/ssoins-…)",
                                                       "AllowedPattern": "^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$"]
            for role in r.roles {
                guard let policy = managedPolicy[role] else { continue }
                resources["PermissionSet\(role.prefix(1).uppercased())\(role.dropFirst())"] = ["Type": "AWS::SSO::PermissionSet", "Properties": [
                    "InstanceArn": ref("IdentityCenterInstanceArn"), "Name": LandingPackage.permissionSetName(slug: r.slug, role: role),
                    "Description": "Kakehashi \(r.systemCode) \(r.stage): \(role)", "SessionDuration": role == "admin" || role == "breakglass" ? "PT1H" : "PT8H",
                    "ManagedPolicies": [sub("arn:${AWS::Partition}:iam::aws:policy/\(policy)")],
                ]]
            }
        }
        var template: [String: Any] = ["AWSTemplateFormatVersion": "2010-09-09",
                                       "Description": "Kakehashi landing package: account baseline for \(r.systemCode) \(r.stage) (\(r.region))",
                                       "Resources": resources]
        if !parameters.isEmpty { template["Parameters"] = parameters }
        return template
    }

    /// Role → AWS-managed policy of its permission set (never an inline `*:*`).
    static let managedPolicy = ["admin": "AdministratorAccess", "operator": "PowerUserAccess", "developer": "PowerUserAccess",
                                "readonly": "ReadOnlyAccess", "auditor": "SecurityAudit", "breakglass": "AdministratorAccess"]

    /// Services that are global or run from us-east-1, left out of the region guardrail.
    static let globalServices = ["account:*", "budgets:*", "ce:*", "cloudfront:*", "globalaccelerator:*", "health:*", "iam:*", "organizations:*",
                                 "route53:*", "route53domains:*", "shield:*", "sso:*", "sts:*", "support:*", "trustedadvisor:*", "waf:*", "wafv2:*"]

    static func scp(_ r: LandingPackage.Request, _ ids: Set<String>) -> [[String: Any]] {
        var statements: [[String: Any]] = []
        if ids.contains("aws.scp.regions") {
            statements.append(["Sid": "DenyOutsideJapanRegions", "Effect": "Deny", "NotAction": globalServices, "Resource": "*",
                               "Condition": ["StringNotEquals": ["aws:RequestedRegion": ["ap-northeast-1", "ap-northeast-3"]]]])
        }
        if ids.contains("aws.scp.trail") {
            statements.append(["Sid": "DenyTrailChanges", "Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail"], "Resource": "*"])
        }
        if ids.contains("aws.scp.config") {
            statements.append(["Sid": "DenyConfigChanges", "Effect": "Deny",
                               "Action": ["config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel"], "Resource": "*"])
        }
        if ids.contains("aws.scp.guardduty") {
            statements.append(["Sid": "DenyGuardDutyChanges", "Effect": "Deny",
                               "Action": ["guardduty:DeleteDetector", "guardduty:UpdateDetector", "guardduty:DisassociateFromMasterAccount"], "Resource": "*"])
        }
        if ids.contains("aws.scp.ebs") {
            statements.append(["Sid": "DenyUnencryptedVolumes", "Effect": "Deny", "Action": "ec2:CreateVolume", "Resource": "*",
                               "Condition": ["Bool": ["ec2:Encrypted": "false"]]])
        }
        if ids.contains("aws.scp.imds") {
            statements.append(["Sid": "RequireIMDSv2", "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*:*:instance/*",
                               "Condition": ["StringNotEquals": ["ec2:MetadataHttpTokens": "required"]]])
        }
        if ids.contains("aws.scp.root") {
            statements.append(["Sid": "DenyRootUser", "Effect": "Deny", "Action": "*", "Resource": "*",
                               "Condition": ["StringLike": ["aws:PrincipalArn": "arn:aws:iam::*:root"]]])
        }
        if ids.contains("aws.scp.public-access") {
            statements.append(["Sid": "DenyPublicAccessBlockChanges", "Effect": "Deny", "Action": ["s3:PutAccountPublicAccessBlock", "s3:DeleteAccountPublicAccessBlock"], "Resource": "*"])
        }
        if ids.contains("aws.scp.leave") {
            statements.append(["Sid": "DenyLeavingOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"])
        }
        return statements
    }
}
