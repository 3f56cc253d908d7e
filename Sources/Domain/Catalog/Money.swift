import Foundation
import Postgres

/// An amount of money in integer minor units of an ISO 4217 currency (never floating point, design §3).
public struct Money: Sendable, Equatable, Codable {
    public var amount: Int64
    public var currency: String

    public init(amount: Int64, currency: String) {
        self.amount = amount
        self.currency = currency
    }

    /// Digits after the decimal point for a currency (ISO 4217); 2 unless listed.
    public static func exponent(of currency: String) -> Int {
        switch currency {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
            return 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            return 3
        case "CLF", "UYW":
            return 4
        default:
            return 2
        }
    }

    /// Parses a decimal amount as people type it (`19.99`, `20`, `0.5`) into minor units of `currency`.
    /// More decimals than the currency has, signs, exponents and separators are refused with the reason.
    public static func parse(_ text: String, currency rawCurrency: String, field: String = "price") throws(ValidationError) -> Money {
        let currency = rawCurrency.trimmingCharacters(in: .whitespaces).uppercased()
        var issues: [FieldIssue] = []
        if currency.count != 3 || !currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
            issues.append(FieldIssue(field: "currency", rule: "currency", message: "currency must be a 3-letter ISO code like EUR (got '\(rawCurrency)')"))
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (s: Substring) in !s.isEmpty && s.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        guard parts.count <= 2, digits(parts[0]), parts.count == 1 || digits(parts[1]), trimmed.count <= 24 else {
            issues.append(FieldIssue(field: field, rule: "decimal", message: "\(field) must be a decimal amount like 19.99 (got '\(text)')"))
            throw ValidationError(issues: issues)
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        let exponent = exponent(of: currency)
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        if fraction.count > exponent {
            throw ValidationError(issues: [FieldIssue(field: field, rule: "decimals", message: "\(field) has \(fraction.count) decimals but \(currency) allows \(exponent) (got '\(text)')")])
        }
        let padded = fraction + String(repeating: "0", count: exponent - fraction.count)
        guard let amount = Int64(String(parts[0]) + padded), amount <= 9_000_000_000_000_000 else {
            throw ValidationError(issues: [FieldIssue(field: field, rule: "max", message: "\(field) is too large (got '\(text)')")])
        }
        return Money(amount: amount, currency: currency)
    }

    /// `19.99 EUR`.
    public var formatted: String {
        let exponent = Money.exponent(of: currency)
        guard exponent > 0 else { return "\(amount) \(currency)" }
        var divisor: Int64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let fraction = String(amount % divisor)
        return "\(amount / divisor).\(String(repeating: "0", count: exponent - fraction.count))\(fraction) \(currency)"
    }

    /// `{"amount": 1999, "currency": "EUR"}`, the shape `price_data` and money fields use.
    public var json: JSONValue { .object(["amount": .integer(amount), "currency": .string(currency)]) }
}
