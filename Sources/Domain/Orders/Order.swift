import Foundation
import Postgres

/// A sale: who bought what (a snapshot of the items as sold), what it cost, how it was paid, and where
/// it is in its life. Numbers are per store and gap-free.
public struct Order: Sendable, Equatable {
    public var id: UUID
    public var number: Int64
    public var status: OrderStatus
    public var total: Money
    public var customerEmail: String?
    public var customer: JSONValue
    public var itemsData: JSONValue
    public var pricing: JSONValue
    public var payment: JSONValue
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// Filled by `show`.
    public var items: [OrderItem] = []
    public var payments: [Payment] = []
    public var deliveries: [Delivery] = []

    static let columns: SQL = """
        o.id, o.order_number, o.status, o.currency, o.total_amount, o.customer_email, o.customer_data, o.items_data, \
        o.pricing_data, o.payment_data, o.version, o.created_at, o.updated_at
        """

    init(row: Row) throws {
        id = try row.decode("id")
        number = try row.decode("order_number")
        status = OrderStatus(rawValue: try row.decode("status")) ?? .pendingPayment
        total = Money(amount: try row.decode("total_amount"), currency: try row.decode("currency"))
        customerEmail = try row.decode("customer_email")
        customer = try row.decode("customer_data")
        itemsData = try row.decode("items_data")
        pricing = try row.decode("pricing_data")
        payment = try row.decode("payment_data")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

extension Order: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, number, status, total, customerEmail, customer, itemsData, pricing, payment, version, createdAt, updatedAt
        case items, payments, deliveries
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encode(number, forKey: .number)
        try container.encode(status, forKey: .status)
        try container.encode(total, forKey: .total)
        try container.encode(customerEmail, forKey: .customerEmail)
        try container.encode(customer, forKey: .customer)
        try container.encode(itemsData, forKey: .itemsData)
        try container.encode(pricing, forKey: .pricing)
        try container.encode(payment, forKey: .payment)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(items, forKey: .items)
        try container.encode(payments, forKey: .payments)
        try container.encode(deliveries, forKey: .deliveries)
    }
}

/// One line of an order: a variant, how many, at what unit price, and how far its delivery got.
public struct OrderItem: Sendable, Equatable {
    public var id: UUID
    public var productID: UUID
    public var variantID: UUID
    public var sku: String
    public var quantity: Int
    public var unitPrice: Money
    public var deliveryStatus: String

    static let columns: SQL = "i.id, i.product_id, i.variant_id, v.sku, i.quantity, i.unit_price, i.currency, i.delivery_status"

    init(row: Row) throws {
        id = try row.decode("id")
        productID = try row.decode("product_id")
        variantID = try row.decode("variant_id")
        sku = try row.decode("sku")
        quantity = try row.decode("quantity")
        unitPrice = Money(amount: try row.decode("unit_price"), currency: try row.decode("currency"))
        deliveryStatus = try row.decode("delivery_status")
    }
}

extension OrderItem: Encodable {
    enum CodingKeys: String, CodingKey { case id, productID, variantID, sku, quantity, unitPrice, deliveryStatus }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encodeCanonical(productID, forKey: .productID)
        try container.encodeCanonical(variantID, forKey: .variantID)
        try container.encode(sku, forKey: .sku)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(deliveryStatus, forKey: .deliveryStatus)
    }
}

/// One entry of an order's payments ledger.
public struct Payment: Sendable, Equatable {
    public var id: UUID
    public var method: String
    public var reference: String
    public var amount: Money
    public var status: String
    public var createdAt: Date

    static let columns: SQL = "p.id, p.method, p.reference, p.amount, p.currency, p.status, p.created_at"

    init(row: Row) throws {
        id = try row.decode("id")
        method = try row.decode("method")
        reference = try row.decode("reference")
        amount = Money(amount: try row.decode("amount"), currency: try row.decode("currency"))
        status = try row.decode("status")
        createdAt = try row.decode("created_at")
    }
}

extension Payment: Encodable {
    enum CodingKeys: String, CodingKey { case id, method, reference, amount, status, createdAt }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encode(method, forKey: .method)
        try container.encode(reference, forKey: .reference)
        try container.encode(amount, forKey: .amount)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// A page of orders, newest first.
public struct OrderPage: Sendable, Encodable {
    public var orders: [Order]
    public var nextCursor: UUID?

    enum CodingKeys: String, CodingKey { case orders, nextCursor }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(orders, forKey: .orders)
        try container.encodeCanonical(nextCursor, forKey: .nextCursor)
    }
}
