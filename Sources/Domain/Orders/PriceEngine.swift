import Foundation
import Postgres

/// The seam prices go through: given what is being bought, the unit price to charge. The pricing-rules
/// work extends this (tiers, coupons, rules per role); for now a variant sells at its own price.
public protocol PriceEngine: Sendable {
    /// The unit price for `quantity` of a variant whose list price is `listPrice`, inside the store's
    /// transaction (so rules can be read under the same snapshot).
    func unitPrice(sku: String, listPrice: Money, quantity: Int, tx: TenantTransaction) throws -> Money
}

/// Sells every variant at its list price.
public struct ListPriceEngine: PriceEngine {
    public init() {}

    public func unitPrice(sku: String, listPrice: Money, quantity: Int, tx: TenantTransaction) throws -> Money {
        listPrice
    }
}
