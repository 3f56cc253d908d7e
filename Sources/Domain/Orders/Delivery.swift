import Foundation
import Postgres

/// One unit to hand over to a customer: allocated from a key pool at payment, or waiting in the manual
/// queue for a fulfilment clerk (claimed, then delivered or failed).
public struct Delivery: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case pending, processing, delivered, failed, revoked
    }

    public var id: UUID
    public var orderID: UUID
    public var orderNumber: Int64
    public var orderItemID: UUID
    public var sku: String
    public var status: Status
    /// `key` (allocated from a pool) or `manual`.
    public var kind: String
    /// Why it is in the manual queue, when it is.
    public var reason: String?
    public var note: String?
    public var hasValue: Bool
    public var licenseKeyID: UUID?
    public var claimedBy: UUID?
    public var claimedAt: Date?
    public var deliveredAt: Date?
    public var attempts: Int
    public var errorLog: JSONValue
    public var version: Int
    public var createdAt: Date

    static let columns: SQL = """
        d.id, d.order_id, o.order_number, d.order_item_id, v.sku, d.status, d.delivery_data, \
        (d.value_ciphertext IS NOT NULL OR d.license_key_id IS NOT NULL) AS has_value, d.license_key_id, \
        d.claimed_by, d.claimed_at, d.delivered_at, d.attempts, d.error_log, d.version, d.created_at
        """

    /// FROM clause matching `columns`.
    static let source: SQL = """
        deliveries d JOIN orders o ON o.tenant_id = d.tenant_id AND o.id = d.order_id
        JOIN order_items i ON i.tenant_id = d.tenant_id AND i.id = d.order_item_id
        JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
        """

    init(row: Row) throws {
        id = try row.decode("id")
        orderID = try row.decode("order_id")
        orderNumber = try row.decode("order_number")
        orderItemID = try row.decode("order_item_id")
        sku = try row.decode("sku")
        status = Status(rawValue: try row.decode("status")) ?? .pending
        let data: JSONValue = try row.decode("delivery_data")
        kind = data["kind"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "manual"
        reason = data["reason"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        note = data["note"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        hasValue = try row.decode("has_value")
        licenseKeyID = try row.decode("license_key_id")
        claimedBy = try row.decode("claimed_by")
        claimedAt = try row.decode("claimed_at")
        deliveredAt = try row.decode("delivered_at")
        attempts = try row.decode("attempts")
        errorLog = try row.decode("error_log")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
    }
}

extension Delivery: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, orderID, orderNumber, orderItemID, sku, status, kind, reason, note, hasValue, licenseKeyID, claimedBy, claimedAt
        case deliveredAt, attempts, errorLog, version, createdAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encodeCanonical(orderID, forKey: .orderID)
        try container.encode(orderNumber, forKey: .orderNumber)
        try container.encodeCanonical(orderItemID, forKey: .orderItemID)
        try container.encode(sku, forKey: .sku)
        try container.encode(status, forKey: .status)
        try container.encode(kind, forKey: .kind)
        try container.encode(reason, forKey: .reason)
        try container.encode(note, forKey: .note)
        try container.encode(hasValue, forKey: .hasValue)
        try container.encodeCanonical(licenseKeyID, forKey: .licenseKeyID)
        try container.encodeCanonical(claimedBy, forKey: .claimedBy)
        try container.encode(claimedAt, forKey: .claimedAt)
        try container.encode(deliveredAt, forKey: .deliveredAt)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(errorLog, forKey: .errorLog)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
