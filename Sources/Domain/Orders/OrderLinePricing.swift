import Postgres

/// The rules `create` and `quote` share for the lines of an order, so the preview a form shows and the
/// order that is placed can never disagree: a line's variant must exist and be on sale, its unit price
/// comes from the `PriceEngine`, and an order holds one currency.
extension OrderService {
    /// A line priced, or the issue that stops it.
    enum LinePrice {
        case unit(Money)
        case refused(FieldIssue)
    }

    /// The variant of `sku` as both read it (`status`, `product_status`, `price_amount`, `currency`; nil when
    /// no variant has the sku) checked for sale and priced for `quantity`: its unit price, or the issue that stops it.
    func price(sku: String, quantity: Int, variant row: Row?, tx: TenantTransaction) throws -> LinePrice {
        guard let row else {
            return .refused(FieldIssue(field: "items", rule: "exists", message: "no variant with sku '\(sku)' in this store"))
        }
        if try row.decode("status", as: String.self) != "active" || row.decode("product_status", as: String.self) == "archived" {
            return .refused(FieldIssue(field: "items", rule: "available", message: "\(sku) is archived and cannot be sold"))
        }
        let list = Money(amount: try row.decode("price_amount"), currency: try row.decode("currency"))
        return .unit(try prices.unitPrice(sku: sku, listPrice: list, quantity: quantity, tx: tx))
    }

    /// The issue when the priced lines are in more than one currency.
    static func mixedCurrencies(_ currencies: Set<String>) -> FieldIssue? {
        guard currencies.count > 1 else { return nil }
        return FieldIssue(field: "items", rule: "currency", message: "one currency per order: these items are priced in \(currencies.sorted().joined(separator: ", "))")
    }
}
