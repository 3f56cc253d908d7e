import Foundation
import Postgres
import Testing
@testable import Domain

/// One order test's world: an `IdentityWorld` (its own database, a super admin) with store `shop`, its
/// owner, a product type `soft` with one product `orders-product` (active), and the catalog and order
/// services over a hook registry and a `SecretBox` of the test's own.
final class OrderWorld {
    let world: IdentityWorld
    let hooks: HookRegistry
    let catalog: CatalogEnvironment
    let box: SecretBox
    let types: ProductTypeService
    let products: ProductService
    let variants: VariantService
    let keys: LicenseKeyService
    let orders: OrderService
    let payments: PaymentService
    let deliveries: DeliveryService
    let tenant: Tenant
    let owner: Member

    static let productSlug = "orders-product"

    var ownerContext: TenantContext { owner.context }
    var sql: Connection { world.owner }

    private init(_ world: IdentityWorld, claimTimeout: TimeInterval) throws {
        self.world = world
        hooks = HookRegistry()
        catalog = CatalogEnvironment(database: world.database, hooks: hooks)
        box = SecretBox(keyring: try MasterKeyring.generate())
        types = ProductTypeService(catalog: catalog)
        products = ProductService(catalog: catalog)
        variants = VariantService(catalog: catalog)
        keys = LicenseKeyService(catalog: catalog, box: box)
        orders = OrderService(catalog: catalog)
        payments = PaymentService(catalog: catalog, box: box)
        deliveries = DeliveryService(catalog: catalog, box: box, claimTimeout: claimTimeout)
        tenant = try world.makeTenant("shop")
        owner = try world.member(.owner, in: "shop", email: "owner@shop.test")
        _ = try types.create(owner.context, try ProductTypeDefinition.parse(text: """
            {"slug": "soft", "name": "Software",
             "schema": {"fields": [{"name": "region", "type": "text", "scope": "variant"}]}}
            """))
        let product = try products.create(owner.context, typeSlug: "soft", name: "Orders Product", data: .object([:]), status: .active)
        precondition(product.slug == OrderWorld.productSlug)
    }

    /// Runs `body` with a fresh database, store `shop`, its owner and the `soft` catalog.
    static func with<T>(claimTimeout: TimeInterval = 15 * 60, _ body: (OrderWorld) throws -> T) throws -> T {
        try IdentityWorld.with { world in try body(try OrderWorld(world, claimTimeout: claimTimeout)) }
    }

    // MARK: - Catalog fixtures

    @discardableResult
    func variant(_ sku: String, price: String = "10.00", currency: String = "EUR", inventory: Variant.InventoryMode = .none,
                 quantity: Int? = nil, delivery: String? = nil, region: String? = nil, product: String = OrderWorld.productSlug) throws -> Variant {
        let data: JSONValue = region.map { .object(["region": .string($0)]) } ?? .object([:])
        return try variants.create(ownerContext, .init(productSlug: product, sku: sku, price: price, currency: currency, data: data,
                                                       inventory: inventory, quantity: quantity, deliveryMethod: delivery))
    }

    /// A variant with a key pool holding `keys`.
    @discardableResult
    func keyVariant(_ sku: String, keys poolKeys: [String], price: String = "10.00") throws -> Variant {
        let variant = try variant(sku, price: price, inventory: .keys)
        if !poolKeys.isEmpty {
            let report = try keys.importKeys(ownerContext, sku: sku, text: poolKeys.joined(separator: "\n"))
            precondition(report.imported == poolKeys.count)
        }
        return variant
    }

    // MARK: - Orders

    func order(_ lines: [(String, Int)], email: String = "buyer@example.com", as context: TenantContext? = nil) throws -> Order {
        try orders.create(context ?? ownerContext, .init(email: email, lines: lines.map { .init(sku: $0.0, quantity: $0.1) }))
    }

    @discardableResult
    func pay(_ number: Int64, _ amount: String, reference: String, method: String = "bank_transfer",
             using service: PaymentService? = nil, as context: TenantContext? = nil) throws -> PaymentService.Outcome {
        try (service ?? payments).record(context ?? ownerContext, number: number, amount: amount, method: method, reference: reference)
    }

    func show(_ number: Int64) throws -> Order { try orders.show(ownerContext, number: number) }

    // MARK: - Looking underneath (as the owner)

    static let orderTables = ["orders", "order_items", "payments", "deliveries", "license_keys", "product_variants",
                              "tenant_counters", "audit_log", "outbox"]

    /// A hash of every row of the tables an order operation can touch.
    func fingerprint() throws -> [String: String] {
        var result: [String: String] = [:]
        for table in OrderWorld.orderTables {
            result[table] = try sql.query("""
                SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM \(ident: table) t
                """).single().decode("h")
        }
        return result
    }

    /// Runs `body`, which must fail with `E`, and checks that no row of the order tables changed.
    @discardableResult
    func refused<E: Error>(_ type: E.Type, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws -> Void) throws -> E {
        let before = try fingerprint()
        let error = try #require(throws: E.self, comment, sourceLocation: sourceLocation) { try body() }
        let after = try fingerprint()
        for table in OrderWorld.orderTables where before[table] != after[table] {
            Issue.record("\(table) changed although the call was refused", sourceLocation: sourceLocation)
        }
        return error
    }

    func count(_ table: String, where condition: SQL = "true") throws -> Int { try world.count(table, where: condition) }

    func stock(_ sku: String) throws -> Int? {
        try sql.query("SELECT stock_quantity FROM product_variants WHERE tenant_id = \(tenant.id) AND sku = \(sku)").single().decode("stock_quantity")
    }

    func orderCounter() throws -> Int64? {
        try sql.query("SELECT value FROM tenant_counters WHERE tenant_id = \(tenant.id) AND name = 'order_number'").first?.decode("value")
    }

    func keyRows(_ sku: String) throws -> [KeyRow] {
        try sql.query("""
            SELECT k.id, k.status, k.delivery_id FROM license_keys k JOIN product_variants v ON v.tenant_id = k.tenant_id AND v.id = k.variant_id
             WHERE k.tenant_id = \(tenant.id) AND v.sku = \(sku) ORDER BY k.created_at, k.id
            """).map { KeyRow(id: try $0.decode("id"), status: try $0.decode("status"), deliveryID: try $0.decode("delivery_id")) }
    }

    func deliveryRows(order orderID: UUID? = nil) throws -> [DeliveryRow] {
        let scope: SQL = orderID.map { "AND order_id = \($0)" } ?? ""
        return try sql.query("""
            SELECT id, order_id, status, license_key_id, claimed_by, claimed_at, delivery_data, error_log, (value_ciphertext IS NOT NULL) AS sealed
              FROM deliveries WHERE tenant_id = \(tenant.id) \(scope) ORDER BY created_at, id
            """).map(DeliveryRow.init(row:))
    }

    func audit(_ action: String) throws -> [AuditRow] {
        try world.auditRows(tenant.id).filter { $0.action == action }
    }

    struct KeyRow: Equatable {
        var id: UUID
        var status: String
        var deliveryID: UUID?
    }

    struct DeliveryRow {
        var id: UUID
        var orderID: UUID
        var status: String
        var licenseKeyID: UUID?
        var claimedBy: UUID?
        var claimedAt: Date?
        var data: JSONValue
        var errorLog: JSONValue
        var sealed: Bool

        init(row: Row) throws {
            id = try row.decode("id")
            orderID = try row.decode("order_id")
            status = try row.decode("status")
            licenseKeyID = try row.decode("license_key_id")
            claimedBy = try row.decode("claimed_by")
            claimedAt = try row.decode("claimed_at")
            data = try row.decode("delivery_data")
            errorLog = try row.decode("error_log")
            sealed = try row.decode("sealed")
        }
    }
}

struct OrderTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Collects what hooks saw, from any thread.
final class OrderHookLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [(name: String, data: JSONValue)] = []

    func append(_ name: String, _ data: JSONValue) {
        lock.lock()
        defer { lock.unlock() }
        storage.append((name, data))
    }

    var entries: [(name: String, data: JSONValue)] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }

    var names: [String] { entries.map(\.name) }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        storage.removeAll()
    }
}

extension HookRegistry {
    /// Logs every before- and after-hook of the order, status and payment hook points into `log`, as
    /// `before_…`/`after_…` names with their data or payload.
    func logOrderHooks(into log: OrderHookLog) {
        for hook in [HookName.orderCreate, .orderStatusChange, .paymentProcess, .paymentSuccess] {
            before(hook, name: "test-log-\(hook.rawValue)") { context in log.append(hook.before, context.data) }
            after(hook, name: "test-log-\(hook.rawValue)") { event in log.append(event.event, event.payload) }
        }
    }
}

extension JSONValue {
    var orderTestString: String? { if case .string(let s) = self { s } else { nil } }
    var orderTestInt: Int64? { if case .integer(let i) = self { i } else { nil } }
    var orderTestArray: [JSONValue] { if case .array(let a) = self { a } else { [] } }
}
