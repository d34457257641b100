import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// Every page of the demo, as each role reaches it from its home page, read as a Tokyo civil
/// servant reads it: in Japanese, with no catalog key, action code, id, ISO date or stray English
/// word in the text. Proper nouns, product names and what people typed (file names, system codes)
/// are on the allow-list or recognised by their shape.
@Suite(.serialized) struct PageWordsTests {
    static let roles = ["requester", "desk", "pm", "platform", "chiyoda-admin", "auditor", "admin"]

    @Test func everyDemoPageSpeaksJapaneseWithoutKeysIdsOrISODates() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            var findings: [String: Set<String>] = [:], visited = 0
            for role in Self.roles {
                let browser = Browser(client)
                let signedIn = try await browser.signIn(role, password: DemoData.password)
                #expect(signedIn.status == .found, "\(role) signs in")
                var queue = ["/home"], seen = Set<String>(), shapes = Set<String>()
                while let path = queue.first, seen.count < 90 {
                    queue.removeFirst()
                    guard seen.insert(path).inserted else { continue }
                    let page = try await browser.get(path)
                    guard page.status == .ok, page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                    visited += 1
                    for problem in PageWords.problems(in: page.body) {
                        findings[problem, default: []].insert("\(role) \(path)")
                    }
                    for link in PageWords.links(in: page.body) where shapes.insert(PageWords.shape(link)).inserted {
                        queue.append(link)
                    }
                }
            }
            let report = findings.sorted { $0.key < $1.key }
                .map { "\($0.key) — \($0.value.sorted().prefix(3).joined(separator: ", "))" }
            print("page words: \(visited) pages read, \(findings.count) problems")
            #expect(visited > 150, "the roles' pages were reached")
            #expect(findings.isEmpty,
                "\(findings.count) words no Tokyo office would write:\n\(report.joined(separator: "\n"))")
        }
    }

    @Test func theReaderFindsWhatItShould() {
        let html = """
            <html><head><title>x</title><style>a{}</style></head><body><p>状態：support_specReview、person.created、
            2026-12-02、9f1c0c9e-1111-4222-8333-123456789abc、draft、v1。AWS の請求、web-app.yaml、JUKI-1、Kakehashi</p>
            <input value="2026-12-02"><option value="approved">承認</option><script>var x = "hidden";</script></body></html>
            """
        let problems = Set(PageWords.problems(in: html))
        #expect(problems == ["support_specReview", "person.created", "2026-12-02",
            "9f1c0c9e-1111-4222-8333-123456789abc", "draft", "v1"])
    }
}

/// Reads a page's visible text for words that do not belong on a Japanese page.
enum PageWords {
    /// Proper nouns and names of things that are written in Latin letters in Japanese offices too.
    static let allowed: Set<String> = [
        "Kakehashi", "English", "AWS", "Azure", "Microsoft", "Google", "Cloud", "Oracle", "OCI", "GCP", "IaC", "API", "APIs",
        "CSV", "Excel", "PDF", "Word", "JSON", "YAML", "SARIF", "JUnit", "HTML", "URL", "ID", "IDs", "IT", "DX", "ICT", "AI",
        "PM", "PdM", "UI", "UX", "SCIM", "SSO", "OpenID", "Connect", "OIDC", "TOTP", "CloudFormation", "Terraform",
        "Checkov", "Konveyor", "Backstage", "Redmine", "Entra", "Okta", "Keycloak", "SaaS", "IaaS", "PaaS", "LGWAN",
        "VPN", "OS", "DB", "SLA", "FAQ", "FY", "No", "CI", "Git", "GitHub", "GitLab", "Slack", "Teams", "Outlook",
        "iCalendar", "ISMAP", "NIST", "CIS", "ISO", "IEC", "JIS", "WCAG", "Markdown", "EC2", "S3", "RDS", "VPC", "IAM",
        "KMS", "CloudTrail", "GuardDuty", "Lambda", "Linux", "Windows", "Java", "COBOL", "Web", "Wi", "Fi", "PC", "LAN",
        "WAN", "BPR", "RFP", "RFI", "KPI", "QR", "Authenticator", "Shift_JIS",
        "PostgreSQL", "PowerPoint", "WebLogic", "Server", "SQL", "Database", "Infrastructure", "groups",
        // Azure's region codes, shown after the region's name as the provider writes them.
        "japaneast", "japanwest", "is1a", "is1b", "tk1a", "tk1b", "SQLite", "Access", "kintone", "Zoom", "Box", "LINE",
        // File formats, as a hint lists them (.md .txt .docx .pdf .csv .xlsx).
        "md", "txt", "docx", "pdf", "csv", "xlsx", "yaml", "json",
    ]

    static func problems(in html: String) -> [String] {
        let text = visibleText(html)
        var out: [String] = []
        func all(_ pattern: String) -> [String] {
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range,
                in: text).map { String(text[$0]) } }
        }
        out += all(#"\b\d{4}-\d{2}-\d{2}\b"#)
        out += all(#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#)
        // A word starts where no letter or digit stands before it: "12c" is a version, not the word "c".
        for token in all(#"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_.\-/@+]*[A-Za-z0-9]|(?<![A-Za-z0-9])[A-Za-z](?![A-Za-z0-9])"#)
        where !acceptable(token) { out.append(token) }
        return out
    }

    /// What people typed or named by its shape: file names, codes with digits, addresses, e-mail.
    static func acceptable(_ token: String) -> Bool {
        if allowed.contains(token) { return true }
        if token.range(of: #"^[A-Za-z0-9_\-]+\.(yaml|yml|json|csv|md|txt|pdf|docx|xlsx|tf|html|ics)$"#, options: .regularExpression) != nil { return true }
        if token.contains("@") || token.hasPrefix("http") { return true }
        // Domain names and paths people registered (city.example.lg.jp, docs/questionnaires.md).
        if token.range(of: #"^[a-z0-9\-]+(\.[a-z0-9\-]+)*\.(jp|com|org|net|example)(/.*)?$"#, options: .regularExpression) != nil { return true }
        if token.contains("/"), token.split(separator: "/").last.map({ acceptable(String($0)) }) == true { return true }
        // Codes and labels with digits, and words in capitals (system codes, acronyms): JUKI-1, KKH-NET-01, R8.
        if token.range(of: #"^[A-Z0-9][A-Z0-9\-/.]*$"#, options: .regularExpression) != nil { return true }
        // A code with digits: JUKI-1, ap-northeast-1, 2019R2 — not a lowercase key with a number (v1, step2).
        if token.range(of: #"[0-9]"#, options: .regularExpression) != nil && !token.contains("_"),
           token.first?.isUppercase == true || token.first?.isNumber == true || token.contains("-") || token.contains(".") {
            return true
        }
        // A capitalised word of a name (Cloud, Connect), not a key: no underscore, no camelCase hump after the first letter.
        if token.range(of: #"^[A-Z][a-z]+$"#, options: .regularExpression) != nil { return allowed.contains(token) }
        return false
    }

    static func visibleText(_ html: String) -> String {
        var text = html
        // Left out: what is not text, file contents (pre, code), and what the page marks as not Japanese —
        // English names (lang="en") and identifiers people typed (translate="no", as HTML defines it).
        for pattern in [#"(?s)<head.*?</head>"#, #"(?s)<script.*?</script>"#, #"(?s)<style.*?</style>"#, #"(?s)<code.*?</code>"#,
                        #"(?s)<pre.*?</pre>"#, #"(?s)<textarea.*?</textarea>"#, #"(?s)<(\w+)[^>]*\b(translate="no"|lang="en")[^>]*>.*?</\1>"#,
                        #"<[^>]+>"#, #"https?://\S+"#, #"「[^」]*」"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;",
                with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }

    /// Same-site pages worth reading: no downloads, no sign-out, no API.
    static func links(in html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: ##"href="(/[^"#]*)"##)
        return regex.matches(in: html, range: NSRange(html.startIndex...,
            in: html)).compactMap { Range($0.range(at: 1), in: html).map { String(html[$0]) } }
            .map { $0.replacingOccurrences(of: "&amp;", with: "&") }
            .filter(isPage)
    }

    static func isPage(_ link: String) -> Bool {
        let path = link.components(separatedBy: "?")[0]
        let skipped: [String] = ["/static", "/api/", "/signout", "/calendar/"]
        let downloads: [String] = [".csv", ".xlsx", ".yaml", ".json", ".ics", "/file", "/export", "/source",
            "report.html"]
        if skipped.contains(where: { path.hasPrefix($0) }) || path.contains("/attachments/") { return false }
        return !downloads.contains { path.hasSuffix($0) }
    }

    /// A path's shape: ids and codes become {id}, the query's names are kept without values.
    static func shape(_ link: String) -> String {
        let parts = link.split(separator: "?", maxSplits: 1).map(String.init)
        let path = parts[0].split(separator: "/").map { segment -> String in
            segment.range(of: #"[0-9]"#, options: .regularExpression) != nil || segment.count > 24 || segment.hasPrefix("p-")
                ? "{id}" : String(segment)
        }.joined(separator: "/")
        let names = parts.count > 1 ? parts[1].split(separator: "&").map { String($0.split(separator: "=").first ?? "") }.sorted() : []
        return path + (names.isEmpty ? "" : "?" + names.joined(separator: "&"))
    }
}
