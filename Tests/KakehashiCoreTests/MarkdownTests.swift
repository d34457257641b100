import KakehashiCore
import Testing

@Suite struct MarkdownTests {
    @Test func blocksRender() {
        let html = Markdown.html("""
            # 背景
            窓口の予約を
            オンライン化した。

            - 予約
              - 当日枠
            - 案内
            1. 要件定義
            2. 調達

            > 引用文

            ```
            <b>コード</b>
            ```
            ---
            | 項目 | 値 |
            |---|--:|
            | 件数 | 42 |
            """)
        #expect(html.contains("<h2>背景</h2>"))
        #expect(html.contains("<p>窓口の予約を<br>オンライン化した。</p>"))
        #expect(html.contains("<ul><li><p>予約</p>\n<ul><li>当日枠</li></ul></li><li>案内</li></ul>"))
        #expect(html.contains("<ol><li>要件定義</li><li>調達</li></ol>"))
        #expect(html.contains("<blockquote><p>引用文</p></blockquote>"))
        #expect(html.contains("<pre><code>&lt;b&gt;コード&lt;/b&gt;</code></pre>"))
        #expect(html.contains("<hr>"))
        #expect(html.contains("<th scope=\"col\">項目</th>") && html.contains("<td>42</td>"))
    }

    @Test func inlineMarks() {
        #expect(Markdown.html("**重要**と*注意*と~~削除~~と`code`") == "<p><strong>重要</strong>と<em>注意</em>と<del>削除</del>と<code>code</code></p>")
        #expect(Markdown.html("[手引き](/knowledge/abc)") == "<p><a href=\"/knowledge/abc\">手引き</a></p>")
        #expect(Markdown.html("詳細はhttps://www.digital.go.jp/を参照")
            == "<p>詳細は<a href=\"https://www.digital.go.jp/\" rel=\"noopener noreferrer nofollow\">https://www.digital.go.jp/</a>を参照</p>")
        #expect(Markdown.html("snake_case_name と 2*3*4") == "<p>snake_case_name と 2<em>3</em>4</p>")
        #expect(Markdown.html("\\*そのまま\\*") == "<p>*そのまま*</p>")
    }

    @Test func authorsCannotInjectHTMLOrScript() {
        let hostile = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[押して](javascript:alert(1))",
            "[押して](JaVaScRiPt:alert(1))",
            "[押して]( javascript:alert(1))",
            "[押して](java\u{0}script:alert(1))",
            "[押して](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[押して](//evil.example/)",
            "![画像](javascript:alert(1))",
            "<javascript:alert(1)>",
            "[x](https://ok.example/\" onmouseover=\"alert(1))",
            "| <script>alert(1)</script> | b |\n|---|---|\n| <iframe> | c |",
            "`<script>`",
        ]
        for source in hostile {
            let html = Markdown.html(source)
            #expect(!html.lowercased().contains("<script"), "\(source) → \(html)")
            #expect(!html.lowercased().contains("<img"), "\(source) → \(html)")
            #expect(!html.lowercased().contains("<iframe"), "\(source) → \(html)")
            #expect(!html.lowercased().contains("href=\"javascript"), "\(source) → \(html)")
            #expect(!html.lowercased().contains("href=\"data"), "\(source) → \(html)")
            #expect(!html.contains("href=\"//"), "\(source) → \(html)")
            #expect(!html.contains("\" onmouseover"), "\(source) → \(html)")
        }
        #expect(Markdown.html("[押して](javascript:alert(1))") == "<p>押して)</p>")
    }

    @Test func hostileShapesEndQuickly() {
        // Each would take minutes with a quadratic search for closing marks.
        for unit in ["*", "**a", "`", "[", "[a](", "_a", "~~", "> ", "- "] {
            let html = Markdown.html(String(repeating: unit, count: 20_000))
            #expect(!html.isEmpty)
        }
    }

    @Test func plainTextKeepsWordsOnly() {
        #expect(Markdown.plainText("## 手順\n- **申請**は[こちら](https://x.example)") == "手順\n申請はこちら")
    }
}
