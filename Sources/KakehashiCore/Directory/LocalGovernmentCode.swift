/// 全国地方公共団体コード: five digits and a check digit (modulus 11, weights 6–2).
public enum LocalGovernmentCode {
    /// Whether `code` is six digits with a correct check digit.
    public static func isValid(_ code: String) -> Bool {
        let digits = code.compactMap(\.wholeNumberValue)
        guard code.count == 6, digits.count == 6, code.allSatisfy(\.isASCII) else { return false }
        return checkDigit(Array(digits.prefix(5))) == digits[5]
    }

    static func checkDigit(_ five: [Int]) -> Int {
        let sum = zip(five, [6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
        return (11 - sum % 11) % 10
    }
}
