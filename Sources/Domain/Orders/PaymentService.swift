import Foundation
import Postgres

/// The payments ledger (reference: "Processing a Payment"): recording a manual payment (bank transfer,
/// cash, test gateway) is idempotent per method and reference; when the paid total covers the order,
/// the order becomes `paid` and its deliveries are made in the same transaction.
public struct PaymentService: Sendable {
    public let catalog: CatalogEnvironment
    public let deliveries: DeliveryService

    public init(catalog: CatalogEnvironment, box: SecretBox) {
        self.catalog = catalog
        self.deliveries = DeliveryService(catalog: catalog, box: box)
    }

    /// Methods staff may record by hand.
    public static let manualMethods = ["bank_transfer", "cash", "test", "card_terminal", "other"]

    /// What `record` did: the order as it is now, and whether this call recorded a new payment (false
    /// when the same method and reference were recorded before).
    public struct Outcome: Sendable, Encodable {
        public var order: Order
        public var recorded: Bool
    }

    /// Records a payment of `amount` (a decimal in the order's currency) for order `number`.
    public func record(_ context: TenantContext, number: Int64, amount: String, method: String, reference: String) throws -> Outcome {
        try context.require(.ordersWrite)
        var validator = FieldValidator()
        validator.oneOf("method", method, PaymentService.manualMethods)
        let reference = validator.requiredText("reference", reference, maxLength: 200)
        try validator.check()
        return try catalog.write(context) { tx in
            let tenant = tx.context.tenantID
            // The order row lock serialises payments of one order, so two recordings of the same payment
            // (or two payments racing to complete it) cannot both make deliveries.
            let order = try OrderService.find(tx, number: number, forUpdate: true)
            let money = try Money.parse(amount, currency: order.total.currency, field: "amount")
            if money.amount <= 0 {
                throw ValidationError(issues: [FieldIssue(field: "amount", rule: "min", message: "amount must be more than 0")])
            }
            let existing = try tx.query("""
                SELECT order_id, amount, currency FROM payments WHERE tenant_id = \(tenant) AND method = \(method) AND reference = \(reference)
                """)
            if let row = existing.first {
                let sameOrder = try row.decode("order_id", as: UUID.self) == order.id
                let sameAmount = try row.decode("amount", as: Int64.self) == money.amount
                guard sameOrder && sameAmount else {
                    throw ConflictError("payment reference '\(reference)' (\(method)) was already recorded \(sameOrder ? "with a different amount" : "for another order")", field: "reference")
                }
                return Outcome(order: try OrderService.show(tx, id: order.id), recorded: false)
            }
            guard order.status == .pendingPayment || order.status == .paid || order.status == .fulfilling || order.status == .fulfilled else {
                throw ConflictError("order \(number) is \(order.status.rawValue); payments cannot be recorded for it", field: "status")
            }
            _ = try catalog.hooks.runBefore(.paymentProcess, tx, data: .object([
                "order": .string(order.id.uuidString.lowercased()), "number": .integer(number), "amount": money.json,
                "method": .string(method), "reference": .string(reference),
            ]))
            let paymentID: UUID = try tx.query("""
                INSERT INTO payments (tenant_id, order_id, method, reference, amount, currency, status)
                VALUES (\(tenant), \(order.id), \(method), \(reference), \(money.amount), \(money.currency), 'succeeded')
                RETURNING id
                """).single().decode("id")
            let paid: Int64 = try tx.query("""
                SELECT coalesce(sum(amount), 0)::bigint AS paid FROM payments
                 WHERE tenant_id = \(tenant) AND order_id = \(order.id) AND status = 'succeeded'
                """).single().decode("paid")
            try tx.execute("""
                UPDATE orders SET payment_data = \(JSONValue.object(["paid": .integer(paid), "currency": .string(money.currency), "lastMethod": .string(method)]))
                 WHERE tenant_id = \(tenant) AND id = \(order.id)
                """)
            try AuditLog.record(tx, action: "payment.recorded", entityType: "payment", entityID: paymentID.uuidString.lowercased(),
                                after: .object(["order": .integer(number), "amount": money.json, "method": .string(method), "reference": .string(reference)]))
            try catalog.hooks.enqueueAfter(.paymentSuccess, tx, payload: .object([
                "id": .string(paymentID.uuidString.lowercased()), "order": .string(order.id.uuidString.lowercased()), "number": .integer(number),
            ]))
            if order.status == .pendingPayment && paid >= order.total.amount {
                try OrderService.move(tx, hooks: catalog.hooks, order, to: .paid)
                try deliveries.makeDeliveries(tx, orderID: order.id)
            }
            return Outcome(order: try OrderService.show(tx, id: order.id), recorded: true)
        }
    }
}
