import Foundation
import Postgres

/// What a fulfilment clerk needs to hand one delivery over: the delivery, whom it is for and what was
/// bought. Clerks hold `deliveries.read` but not `orders.read`, so this is the one view of an order they
/// get: the customer's email and name, the product and variant of this item, nothing else of the order.
public struct DeliveryTicket: Sendable, Equatable {
    public var delivery: Delivery
    public var customerEmail: String?
    public var customerName: String?
    public var productName: String
    public var quantity: Int

    /// Reads the ticket of one delivery of the store (`deliveries.read`).
    public static func read(_ service: DeliveryService, _ context: TenantContext, id: UUID) throws -> DeliveryTicket {
        try context.require(.deliveriesRead)
        return try service.catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            let rows = try tx.query("""
                SELECT o.customer_email, o.customer_data ->> 'name' AS customer_name, p.name AS product_name, i.quantity
                  FROM deliveries d
                  JOIN orders o ON o.tenant_id = d.tenant_id AND o.id = d.order_id
                  JOIN order_items i ON i.tenant_id = d.tenant_id AND i.id = d.order_item_id
                  JOIN products p ON p.tenant_id = i.tenant_id AND p.id = i.product_id
                 WHERE d.tenant_id = \(tenant) AND d.id = \(id)
                """)
            guard let row = rows.first else { throw NotFoundError("no delivery \(id.uuidString.lowercased()) in this store") }
            return DeliveryTicket(delivery: try DeliveryService.find(tx, id: id), customerEmail: try row.decode("customer_email"),
                                  customerName: try row.decode("customer_name"), productName: try row.decode("product_name"),
                                  quantity: try row.decode("quantity"))
        }
    }
}
