/// Azure and Google Cloud packages are Terraform: `main.tf.json` to apply, and `plan.json` — the
/// same resources as `terraform show -json` prints them — for `kakehashi check` and any tool that
/// reads plans. Values that only exist after apply (ids) are left out of the plan, as Terraform does.
enum TerraformLanding {
    struct Resource {
        let type: String
        let name: String
        /// As written in the configuration (may hold `${…}` references).
        let config: [String: Any]
        /// As the plan knows them before apply (references left out).
        let planned: [String: Any]
    }

    static func files(directory: String, provider: (name: String, source: String, version: String, block: [String: Any]),
                      variables: [String: Any], resources: [Resource]) -> [LandingPackage.File] {
        var byType: [String: [String: Any]] = [:]
        for r in resources { byType[r.type, default: [:]][r.name] = r.config }
        var main: [String: Any] = [
            "terraform": ["required_providers": [provider.name: ["source": provider.source, "version": provider.version]]],
            "provider": [provider.name: provider.block],
            "resource": byType,
        ]
        if !variables.isEmpty { main["variable"] = variables }
        let plan: [String: Any] = [
            "format_version": "1.2", "terraform_version": "1.9.0",
            "planned_values": ["root_module": ["resources": resources.map { r in
                ["address": "\(r.type).\(r.name)", "mode": "managed", "type": r.type, "name": r.name,
                 "provider_name": "registry.terraform.io/\(provider.source)", "values": r.planned]
            }]],
        ]
        return [.init(path: "\(directory)/main.tf.json", content: LandingPackage.json(main)),
                .init(path: "\(directory)/plan.json", content: LandingPackage.json(plan))]
    }
}

/// The Azure package: a management group for the environment under its placement, and an
/// assignment of each built-in policy that serves an applicable control, enforced.
enum AzureLanding {
    /// Parameters some built-in definitions take.
    static func parameters(_ id: String) -> String? {
        switch id {
        case "azure.locations": #"{"listOfAllowedLocations":{"value":["japaneast","japanwest"]}}"#
        case "azure.storage-tls": #"{"minimumTlsVersion":{"value":"TLS1_2"}}"#
        default: nil
        }
    }

    static func files(_ r: LandingPackage.Request, guardrails: [Guardrail]) -> [LandingPackage.File] {
        let group = "kkh-\(r.slug)"
        var resources = [TerraformLanding.Resource(
            type: "azurerm_management_group", name: "environment",
            config: ["name": group, "display_name": "\(r.systemCode) \(r.systemName)（\(r.stage)）",
                     "parent_management_group_id": "/providers/Microsoft.Management/managementGroups/\(r.placement)"],
            planned: ["name": group, "display_name": "\(r.systemCode) \(r.systemName)（\(r.stage)）",
                      "parent_management_group_id": "/providers/Microsoft.Management/managementGroups/\(r.placement)"])]
        for g in guardrails where g.kind == .azurePolicy {
            let name = String(g.id.replacingOccurrences(of: "azure.", with: "kkh-").prefix(24))
            var values: [String: Any] = ["name": name, "display_name": "\(g.title.ja)（\(g.controls.joined(separator: ", "))）",
                                         "policy_definition_id": "/providers/Microsoft.Authorization/policyDefinitions/\(g.native)",
                                         "enforce": true, "location": r.region, "description": "Kakehashi: \(g.controls.joined(separator: ", "))"]
            if let parameters = parameters(g.id) { values["parameters"] = parameters }
            var config = values
            config["management_group_id"] = "${azurerm_management_group.environment.id}"
            resources.append(.init(type: "azurerm_management_group_policy_assignment", name: g.id.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_"),
                                   config: config, planned: values))
        }
        return TerraformLanding.files(directory: "azure", provider: ("azurerm", "hashicorp/azurerm", ">= 3.80", ["features": [String: Any]()]),
                                      variables: [:], resources: resources)
    }
}

/// The Google Cloud package: a folder for the environment under its placement, the
/// organisation-policy constraints that serve applicable controls, and audit logs with data access.
enum GoogleLanding {
    static func spec(_ id: String) -> [String: Any] {
        switch id {
        case "gcp.locations": ["rules": [["values": ["allowed_values": ["in:asia-northeast1-locations", "in:asia-northeast2-locations"]]]]]
        case "gcp.external-ip": ["rules": [["deny_all": "TRUE"]]]
        case "gcp.cmek": ["rules": [["values": ["denied_values": ["compute.googleapis.com", "sqladmin.googleapis.com", "storage.googleapis.com", "bigquery.googleapis.com"]]]]]
        default: ["rules": [["enforce": "TRUE"]]]
        }
    }

    /// As a plan prints nested blocks: every block a list.
    static func planned(_ spec: [String: Any]) -> [String: Any] {
        let rules = (spec["rules"] as? [[String: Any]] ?? []).map { rule in
            rule.mapValues { value -> Any in value is [String: Any] ? [value] : value }
        }
        return ["rules": rules]
    }

    static func files(_ r: LandingPackage.Request, guardrails: [Guardrail]) -> [LandingPackage.File] {
        let folder = ["display_name": String("kkh-\(r.slug)".prefix(30))]
        var resources = [TerraformLanding.Resource(type: "google_folder", name: "environment",
                                                   config: folder.merging(["parent": r.placement.hasPrefix("folders/") || r.placement.hasPrefix("organizations/") ? r.placement : "folders/\(r.placement)"]) { $1 },
                                                   planned: folder.merging(["parent": r.placement.hasPrefix("folders/") || r.placement.hasPrefix("organizations/") ? r.placement : "folders/\(r.placement)"]) { $1 })]
        for g in guardrails {
            let name = g.id.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
            switch g.kind {
            case .orgPolicy:
                let constraint = g.native.replacingOccurrences(of: "constraints/", with: "")
                let policyName = "${google_folder.environment.name}/policies/\(constraint)"
                resources.append(.init(type: "google_org_policy_policy", name: name,
                                       config: ["name": policyName, "parent": "${google_folder.environment.name}", "spec": [spec(g.id)]],
                                       planned: ["name": policyName, "spec": [planned(spec(g.id))]]))
            case .auditConfig:
                let logs: [[String: Any]] = [["log_type": "ADMIN_READ"], ["log_type": "DATA_READ"], ["log_type": "DATA_WRITE"]]
                resources.append(.init(type: "google_folder_iam_audit_config", name: name,
                                       config: ["folder": "${google_folder.environment.name}", "service": "allServices", "audit_log_config": logs],
                                       planned: ["service": "allServices", "audit_log_config": logs]))
            default: continue
            }
        }
        return TerraformLanding.files(directory: "gcp", provider: ("google", "hashicorp/google", ">= 5.0", [:]), variables: [:], resources: resources)
    }
}
