import Foundation
import Postgres

/// Deliveries (reference: DeliveryService): on payment each unit of each item gets a delivery. A
/// variant with a key pool gets a key allocated exactly once (`FOR UPDATE SKIP LOCKED`, and the unique
/// `deliveries.license_key_id`); everything else, and a key variant whose pool is empty, waits in the
/// manual queue for a fulfilment clerk, who claims the oldest delivery, then delivers or fails it. A
/// claim not finished in time returns to the queue. The order becomes `fulfilled` when every delivery
/// is delivered.
public struct DeliveryService: Sendable {
    public let catalog: CatalogEnvironment
    public let box: SecretBox
    /// How long a claim lasts before the delivery returns to the queue.
    public var claimTimeout: TimeInterval = 15 * 60

    public init(catalog: CatalogEnvironment, box: SecretBox, claimTimeout: TimeInterval = 15 * 60) {
        self.catalog = catalog
        self.box = box
        self.claimTimeout = claimTimeout
    }

    /// Delivery method types that work end to end so far; the others are refused until their issue lands.
    public static let availableMethodTypes = ["manual"]

    // MARK: - On payment

    /// Makes the order's deliveries (inside the payment's transaction) and moves the order on:
    /// `fulfilling`, or straight through to `fulfilled` when every unit was delivered from key pools.
    func makeDeliveries(_ tx: TenantTransaction, orderID: UUID) throws {
        let tenant = tx.context.tenantID
        let items = try tx.query("""
            SELECT i.id, i.quantity, v.id AS variant_id, v.sku, v.inventory_mode, v.delivery_data ->> 'method' AS method,
                   m.id AS method_id, m.type AS method_type
              FROM order_items i
              JOIN product_variants v ON v.tenant_id = i.tenant_id AND v.id = i.variant_id
              LEFT JOIN delivery_methods m ON m.tenant_id = v.tenant_id AND m.slug = coalesce(v.delivery_data ->> 'method', 'manual')
             WHERE i.tenant_id = \(tenant) AND i.order_id = \(orderID)
             ORDER BY i.created_at, i.id
            """)
        for item in items {
            let itemID: UUID = try item.decode("id")
            let quantity: Int = try item.decode("quantity")
            let sku: String = try item.decode("sku")
            let methodID: UUID? = try item.decode("method_id")
            let methodType: String? = try item.decode("method_type")
            let isKeyPool = try item.decode("inventory_mode", as: String.self) == "keys"
            var delivered = 0
            for _ in 0..<quantity {
                if isKeyPool, try allocateKey(tx, orderID: orderID, itemID: itemID, variantID: try item.decode("variant_id"), methodID: methodID) {
                    delivered += 1
                    continue
                }
                let reason: String
                if isKeyPool {
                    reason = "the key pool of \(sku) is empty"
                } else if let methodType, !DeliveryService.availableMethodTypes.contains(methodType) {
                    reason = "delivery method type '\(methodType)' is not available yet; deliver by hand"
                } else {
                    reason = "manual delivery"
                }
                try tx.execute("""
                    INSERT INTO deliveries (tenant_id, order_id, order_item_id, delivery_method_id, delivery_data)
                    VALUES (\(tenant), \(orderID), \(itemID), \(methodID), \(JSONValue.object(["kind": .string("manual"), "reason": .string(reason)])))
                    """)
            }
            let status = delivered == quantity ? "delivered" : (delivered > 0 ? "partial" : "pending")
            try tx.execute("UPDATE order_items SET delivery_status = \(status) WHERE tenant_id = \(tenant) AND id = \(itemID)")
        }
        var order = try OrderService.find(tx, id: orderID, forUpdate: true)
        try OrderService.move(tx, hooks: catalog.hooks, order, to: .fulfilling)
        order.status = .fulfilling
        try completeIfDelivered(tx, order: order)
    }

    /// Takes the oldest available key of the variant for a new delivery, or returns false when the pool
    /// is empty. SKIP LOCKED lets concurrent payments take different keys instead of waiting; the unique
    /// `deliveries.license_key_id` makes a double allocation impossible even if this were wrong.
    private func allocateKey(_ tx: TenantTransaction, orderID: UUID, itemID: UUID, variantID: UUID, methodID: UUID?) throws -> Bool {
        let tenant = tx.context.tenantID
        let rows = try tx.query("""
            WITH key AS (
                SELECT id, ciphertext, key_id FROM license_keys
                 WHERE tenant_id = \(tenant) AND variant_id = \(variantID) AND status = 'available'
                 ORDER BY created_at, id LIMIT 1
                 FOR UPDATE SKIP LOCKED
            ), delivery AS (
                INSERT INTO deliveries (tenant_id, order_id, order_item_id, delivery_method_id, license_key_id, status,
                                        delivery_data, value_ciphertext, value_key_id, delivered_at)
                SELECT \(tenant), \(orderID), \(itemID), \(methodID), key.id, 'delivered',
                       '{"kind":"key"}'::jsonb, key.ciphertext, key.key_id, now()
                  FROM key
                RETURNING id, license_key_id
            )
            UPDATE license_keys k SET status = 'delivered', delivery_id = delivery.id, version = k.version + 1
              FROM delivery
             WHERE k.tenant_id = \(tenant) AND k.id = delivery.license_key_id
            RETURNING delivery.id
            """)
        return rows.count == 1
    }

    /// Moves a `fulfilling` order to `fulfilled` when all its deliveries are delivered.
    private func completeIfDelivered(_ tx: TenantTransaction, order: Order) throws {
        let open: Int = try tx.query(openDeliveriesSQL(tx, orderID: order.id)).single().decode("n")
        if open == 0 && order.status == .fulfilling {
            try OrderService.move(tx, hooks: catalog.hooks, order, to: .fulfilled)
        }
    }

    // MARK: - The manual queue

    /// Claims whose time ran out go back to the queue (each announced).
    private func releaseExpiredClaimsSQL(_ tx: TenantTransaction) -> SQL {
        """
        WITH released AS (
            UPDATE deliveries SET status = 'pending', claimed_by = NULL, claimed_at = NULL, version = version + 1,
                   error_log = error_log || jsonb_build_array(jsonb_build_object('at', now(), 'by', claimed_by, 'reason', 'claim expired'))
             WHERE tenant_id = \(tx.context.tenantID) AND status = 'processing'
               AND claimed_at < now() - make_interval(secs => \(claimTimeout))
            RETURNING id
        )
        SELECT pg_notify(\(HookRegistry.changeChannel),
                         json_build_object('tenant', \(tx.context.tenantID), 'event', 'delivery_released', 'id', released.id)::text)
          FROM released
        """
    }

    /// The pending deliveries, oldest first (and, with `includeClaimed`, those being worked on).
    public func queue(_ context: TenantContext, limit: Int = 50, includeClaimed: Bool = true) throws -> [Delivery] {
        try context.require(.deliveriesRead)
        var validator = FieldValidator()
        if limit < 1 || limit > 500 { validator.fail("limit", "range", "limit must be between 1 and 500 (got \(limit))") }
        try validator.check()
        return try catalog.database.withTenant(context) { tx in
            let statuses = includeClaimed ? ["pending", "processing"] : ["pending"]
            return try tx.connection.pipeline([
                releaseExpiredClaimsSQL(tx),
                """
                SELECT \(Delivery.columns) FROM \(Delivery.source)
                 WHERE d.tenant_id = \(tx.context.tenantID) AND d.status = ANY(\(statuses))
                 ORDER BY d.created_at, d.id LIMIT \(limit)
                """,
            ])[1].map(Delivery.init(row:))
        }
    }

    /// Claims the oldest pending delivery for the acting clerk, or nil when the queue is empty.
    public func claim(_ context: TenantContext) throws -> Delivery? {
        try context.require(.deliveriesFulfil)
        return try catalog.database.withTenant(context) { tx in
            let tenant = tx.context.tenantID
            // Expired claims back to the queue, then the oldest pending one claimed, audited and announced:
            // one round trip.
            let results = try tx.connection.pipeline([
                releaseExpiredClaimsSQL(tx),
                """
                WITH claimed AS (
                    UPDATE deliveries SET status = 'processing', claimed_by = \(tx.context.userID), claimed_at = now(),
                           attempts = attempts + 1, version = version + 1
                     WHERE tenant_id = \(tenant) AND id = (
                           SELECT id FROM deliveries WHERE tenant_id = \(tenant) AND status = 'pending'
                            ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id
                ), audit AS (
                    INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id)
                    SELECT \(tenant), \(tx.context.userID), 'delivery.claimed', 'delivery', claimed.id::text FROM claimed
                )
                SELECT claimed.id,
                       pg_notify(\(HookRegistry.changeChannel),
                                 json_build_object('tenant', \(tenant), 'event', 'delivery_claimed', 'id', claimed.id)::text) AS notified
                  FROM claimed
                """,
            ])
            guard let row = results[1].first else { return nil }
            return try find(tx, id: try row.decode("id"))
        }
    }

    /// Marks a claimed delivery delivered with what was handed over: `value` (a key, a link: a secret,
    /// stored sealed) and/or a `note`. Only the clerk who claimed it (or a super admin) may.
    public func deliver(_ context: TenantContext, id: UUID, value: String? = nil, note: String? = nil) throws -> Delivery {
        try context.require(.deliveriesFulfil)
        var validator = FieldValidator()
        if value == nil && note == nil { validator.fail("value", "required", "say what was handed over: --value (a key, a link) or --note") }
        if let value { validator.requiredText("value", value, maxLength: 4000) }
        if let note { validator.requiredText("note", note, maxLength: 2000) }
        try validator.check()
        let sealed = try value.map { try box.seal($0.trimmingCharacters(in: .whitespacesAndNewlines), context: SealContext(tenantID: context.tenantID, purpose: DeliveryService.valuePurpose)) }
        return try catalog.write(context) { tx in
            let delivery = try claimedByActor(tx, id: id)
            var data: [String: JSONValue] = ["kind": .string(delivery.kind)]
            if let reason = delivery.reason { data["reason"] = .string(reason) }
            if let note { data["note"] = .string(note.trimmingCharacters(in: .whitespacesAndNewlines)) }
            // The update, its audit line and announcement, the item's status, the order (locked) and what
            // is still open: one round trip.
            let results = try tx.connection.pipeline([
                """
                UPDATE deliveries SET status = 'delivered', delivered_at = now(), delivery_data = \(JSONValue.object(data)),
                       value_ciphertext = \(sealed?.ciphertext), value_key_id = \(sealed?.keyID), version = version + 1
                 WHERE tenant_id = \(tx.context.tenantID) AND id = \(id)
                """,
                AuditLog.insertSQL(tenantID: tx.context.tenantID, actor: tx.context.userID, action: "delivery.delivered",
                                   entityType: "delivery", entityID: id.uuidString.lowercased(), before: nil,
                                   after: .object(["order": .integer(delivery.orderNumber), "sku": .string(delivery.sku),
                                                   "value": sealed == nil ? .null : .string("[sealed]"), "note": note.map(JSONValue.string) ?? .null])),
                HookRegistry.announceSQL(tx, event: "delivery_delivered", id: id),
                itemStatusSQL(tx, orderID: delivery.orderID, itemID: delivery.orderItemID),
                "SELECT \(Order.columns) FROM orders o WHERE o.tenant_id = \(tx.context.tenantID) AND o.id = \(delivery.orderID) FOR UPDATE",
                openDeliveriesSQL(tx, orderID: delivery.orderID),
                "SELECT \(Delivery.columns) FROM \(Delivery.source) WHERE d.tenant_id = \(tx.context.tenantID) AND d.id = \(id)",
            ])
            let order = try Order(row: results[4].single())
            let open: Int = try results[5].single().decode("n")
            if open == 0 && order.status == .fulfilling {
                try OrderService.move(tx, hooks: catalog.hooks, order, to: .fulfilled)
            }
            return try Delivery(row: results[6].single())
        }
    }

    /// Marks a claimed delivery failed; the reason is appended to its error log.
    public func fail(_ context: TenantContext, id: UUID, reason: String) throws -> Delivery {
        try context.require(.deliveriesFulfil)
        var validator = FieldValidator()
        let reason = validator.requiredText("reason", reason, maxLength: 2000)
        try validator.check()
        return try catalog.write(context) { tx in
            let delivery = try claimedByActor(tx, id: id)
            try tx.execute("""
                UPDATE deliveries SET status = 'failed', version = version + 1,
                       error_log = error_log || jsonb_build_array(jsonb_build_object('at', now(), 'by', \(tx.context.userID), 'reason', \(reason)))
                 WHERE tenant_id = \(tx.context.tenantID) AND id = \(id)
                """)
            try AuditLog.record(tx, action: "delivery.failed", entityType: "delivery", entityID: id.uuidString.lowercased(),
                                after: .object(["order": .integer(delivery.orderNumber), "reason": .string(reason)]))
            try HookRegistry.announce(tx, event: "delivery_failed", id: id)
            try updateItemStatus(tx, orderID: delivery.orderID, itemID: delivery.orderItemID)
            return try find(tx, id: id)
        }
    }

    /// Gives a claim back to the queue unfinished (the clerk stepped away, the console is closing): the
    /// delivery is pending again for anyone to claim. Only the clerk holding the claim (or a super admin)
    /// may; an expired claim is already back, and releasing it again is a 409 saying so.
    public func release(_ context: TenantContext, id: UUID) throws -> Delivery {
        try context.require(.deliveriesFulfil)
        return try catalog.write(context) { tx in
            let delivery = try claimedByActor(tx, id: id)
            try tx.connection.pipeline([
                """
                UPDATE deliveries SET status = 'pending', claimed_by = NULL, claimed_at = NULL, version = version + 1,
                       error_log = error_log || jsonb_build_array(jsonb_build_object('at', now(), 'by', \(tx.context.userID), 'reason', 'claim released'))
                 WHERE tenant_id = \(tx.context.tenantID) AND id = \(id)
                """,
                AuditLog.insertSQL(tenantID: tx.context.tenantID, actor: tx.context.userID, action: "delivery.released",
                                   entityType: "delivery", entityID: id.uuidString.lowercased(), before: nil,
                                   after: .object(["order": .integer(delivery.orderNumber), "sku": .string(delivery.sku)])),
                HookRegistry.announceSQL(tx, event: "delivery_released", id: id),
            ])
            return try find(tx, id: id)
        }
    }

    /// The delivery, locked, if the acting user holds its live claim (409 otherwise, saying why).
    private func claimedByActor(_ tx: TenantTransaction, id: UUID) throws -> Delivery {
        let rows = try tx.query("""
            SELECT \(Delivery.columns) FROM \(Delivery.source) WHERE d.tenant_id = \(tx.context.tenantID) AND d.id = \(id) FOR UPDATE OF d
            """)
        guard let row = rows.first else { throw NotFoundError("no delivery \(id.uuidString.lowercased()) in this store") }
        let delivery = try Delivery(row: row)
        guard delivery.status == .processing else {
            throw ConflictError("delivery \(id.uuidString.lowercased()) is \(delivery.status.rawValue); claim it first (`delivery claim`)", field: "status")
        }
        if delivery.claimedBy != tx.context.userID && !tx.context.isSuperAdminEntry {
            throw ConflictError("delivery \(id.uuidString.lowercased()) is claimed by someone else", field: "claimedBy")
        }
        if let claimedAt = delivery.claimedAt, Date().timeIntervalSince(claimedAt) > claimTimeout {
            throw ConflictError("your claim on delivery \(id.uuidString.lowercased()) expired; claim it again", field: "claimedAt")
        }
        return delivery
    }

    /// How many of an order's deliveries are not delivered yet (column `n`).
    private func openDeliveriesSQL(_ tx: TenantTransaction, orderID: UUID) -> SQL {
        "SELECT count(*)::int AS n FROM deliveries WHERE tenant_id = \(tx.context.tenantID) AND order_id = \(orderID) AND status <> 'delivered'"
    }

    private func updateItemStatus(_ tx: TenantTransaction, orderID: UUID, itemID: UUID) throws {
        try tx.execute(itemStatusSQL(tx, orderID: orderID, itemID: itemID))
    }

    /// Sets an item's delivery status from its deliveries. The order id lets the (tenant_id, order_id,
    /// order_item_id) index bound the read; without it every delivery of the store is read.
    private func itemStatusSQL(_ tx: TenantTransaction, orderID: UUID, itemID: UUID) -> SQL {
        return """
            UPDATE order_items i SET delivery_status = s.status
              FROM (SELECT CASE WHEN bool_and(status = 'delivered') THEN 'delivered'
                                WHEN bool_or(status = 'delivered') THEN 'partial'
                                WHEN bool_and(status = 'failed') THEN 'failed'
                                ELSE 'pending' END AS status
                      FROM deliveries WHERE tenant_id = \(tx.context.tenantID) AND order_id = \(orderID) AND order_item_id = \(itemID)) s
             WHERE i.tenant_id = \(tx.context.tenantID) AND i.id = \(itemID)
            """
    }

    /// Reveals what a delivery handed over (a key from a pool or a sealed value); needs `keys.reveal`, audited.
    public func reveal(_ context: TenantContext, id: UUID) throws -> String {
        try context.require(.keysReveal)
        return try catalog.database.withTenant(context) { tx in
            let rows = try tx.query("""
                SELECT value_ciphertext, value_key_id, license_key_id FROM deliveries
                 WHERE tenant_id = \(tx.context.tenantID) AND id = \(id)
                """)
            guard let row = rows.first else { throw NotFoundError("no delivery \(id.uuidString.lowercased()) in this store") }
            guard let ciphertext: Data = try row.decode("value_ciphertext"), let keyID: String = try row.decode("value_key_id") else {
                throw NotFoundError("delivery \(id.uuidString.lowercased()) holds no value")
            }
            let isKey = try row.decode("license_key_id", as: UUID?.self) != nil
            let purpose = isKey ? SealContext.licenseKeyPurpose : DeliveryService.valuePurpose
            let value = try box.open(ciphertext, keyID: keyID, context: SealContext(tenantID: tx.context.tenantID, purpose: purpose))
            try AuditLog.record(tx, action: "delivery.revealed", entityType: "delivery", entityID: id.uuidString.lowercased())
            return value
        }
    }

    static let valuePurpose = "delivery_value"

    static func find(_ tx: TenantTransaction, id: UUID) throws -> Delivery {
        try Delivery(row: tx.query("SELECT \(Delivery.columns) FROM \(Delivery.source) WHERE d.tenant_id = \(tx.context.tenantID) AND d.id = \(id)").single())
    }

    func find(_ tx: TenantTransaction, id: UUID) throws -> Delivery { try DeliveryService.find(tx, id: id) }
}
