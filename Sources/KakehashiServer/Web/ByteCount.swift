/// File sizes as people read them: 820 B, 14 KB, 3.2 MB.
enum ByteCount {
    static func text(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(Int((Double(bytes) / 1024).rounded())) KB" }
        let mb = Double(bytes) / 1_048_576
        return mb < 10 ? "\((mb * 10).rounded() / 10) MB" : "\(Int(mb.rounded())) MB"
    }
}
