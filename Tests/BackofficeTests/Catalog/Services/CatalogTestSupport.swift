import Foundation
import Postgres
import Testing
@testable import Domain

/// One catalog test's world: an `IdentityWorld` (its own database, a super admin) with store `shop`, an
/// owner signed in there, and the catalog services over a hook registry of the test's own.
final class CatalogWorld {
    let world: IdentityWorld
    let hooks: HookRegistry
    let catalog: CatalogEnvironment
    let types: ProductTypeService
    let products: ProductService
    let variants: VariantService
    let keys: LicenseKeyService
    let tenant: Tenant
    let owner: Member

    var ownerContext: TenantContext { owner.context }
    var database: Database { world.database }

    private init(_ world: IdentityWorld) throws {
        self.world = world
        hooks = HookRegistry()
        catalog = CatalogEnvironment(database: world.database, hooks: hooks)
        types = ProductTypeService(catalog: catalog)
        products = ProductService(catalog: catalog)
        variants = VariantService(catalog: catalog)
        keys = LicenseKeyService(catalog: catalog, box: SecretBox(keyring: try MasterKeyring.generate()))
        tenant = try world.makeTenant("shop")
        owner = try world.member(.owner, in: "shop", email: "owner@shop.test")
    }

    /// Runs `body` with a fresh database, store `shop` and its owner.
    static func with<T>(_ body: (CatalogWorld) throws -> T) throws -> T {
        try IdentityWorld.with { world in try body(try CatalogWorld(world)) }
    }

    /// Same, with the `game` product type already imported.
    static func withGame<T>(_ body: (CatalogWorld) throws -> T) throws -> T {
        try with { catalog in
            _ = try catalog.importGame()
            return try body(catalog)
        }
    }

    // MARK: - Fixtures

    /// A product type using every field type: product-scope fields plus two variant fields.
    static let gameDefinitionText = """
        {
          "slug": "game",
          "name": "Game",
          "schema": {
            "fields": [
              {"name": "title", "type": "text", "label": "Title", "required": true, "validation": {"minLength": 3, "maxLength": 255}},
              {"name": "platform", "type": "select", "options": [{"value": "steam", "label": "Steam"}, {"value": "epic", "label": "Epic Games"}]},
              {"name": "description", "type": "textarea"},
              {"name": "tags", "type": "multiselect", "options": [{"value": "rpg", "label": "RPG"}, {"value": "indie", "label": "Indie"}]},
              {"name": "players", "type": "integer", "validation": {"min": 1, "max": 64}},
              {"name": "rating", "type": "number", "validation": {"min": 0, "max": 10}},
              {"name": "msrp", "type": "money"},
              {"name": "multiplayer", "type": "boolean"},
              {"name": "released", "type": "date"},
              {"name": "launch", "type": "datetime"},
              {"name": "support", "type": "email"},
              {"name": "homepage", "type": "url"},
              {"name": "region", "type": "select", "scope": "variant", "options": [{"value": "eu", "label": "Europe"}, {"value": "us", "label": "United States"}]},
              {"name": "edition", "type": "text", "scope": "variant", "validation": {"maxLength": 50}}
            ]
          },
          "ui_config": {"columns": 2},
          "workflows": []
        }
        """

    static func json(_ text: String) -> JSONValue {
        do { return try JSONValue(parsing: text) } catch {
            Issue.record("test JSON does not parse: \(error)")
            return .null
        }
    }

    static func definition(_ text: String) throws -> ProductTypeDefinition {
        try ProductTypeDefinition.parse(text: text)
    }

    /// The `game` definition with `edit` applied to its JSON.
    static func gameDefinition(_ edit: (inout [String: JSONValue]) -> Void = { _ in }) throws -> ProductTypeDefinition {
        guard case .object(var members) = json(gameDefinitionText) else { throw TestFailure("game definition is not an object") }
        edit(&members)
        return try ProductTypeDefinition.parse(.object(members))
    }

    /// The game schema's fields with `transform` applied to each field object (by name).
    static func gameFields(_ transform: (String, inout [String: JSONValue]) -> Bool = { _, _ in true }) -> JSONValue {
        guard case .object(let schema)? = json(gameDefinitionText)["schema"], case .array(let fields)? = schema["fields"] else { return .null }
        var out: [JSONValue] = []
        for field in fields {
            guard case .object(var members) = field, case .string(let name)? = members["name"] else { continue }
            if transform(name, &members) { out.append(.object(members)) }
        }
        return .object(["fields": .array(out)])
    }

    @discardableResult
    func importGame() throws -> ProductType {
        try types.importDefinition(ownerContext, try CatalogWorld.gameDefinition()).type
    }

    @discardableResult
    func product(_ name: String, _ data: String = #"{"title": "A title"}"#, status: Product.Status = .draft,
                 as context: TenantContext? = nil) throws -> Product {
        try products.create(context ?? ownerContext, typeSlug: "game", name: name, data: CatalogWorld.json(data), status: status)
    }

    @discardableResult
    func variant(_ product: String, sku: String, price: String = "19.99", currency: String = "EUR", data: String = "{}",
                 inventory: Variant.InventoryMode = .none, quantity: Int? = nil, delivery: String? = nil) throws -> Variant {
        try variants.create(ownerContext, .init(productSlug: product, sku: sku, price: price, currency: currency, data: CatalogWorld.json(data),
                                                 inventory: inventory, quantity: quantity, deliveryMethod: delivery))
    }

    // MARK: - Looking underneath

    static let catalogTables = ["product_types", "products", "product_attributes", "product_variants", "license_keys", "audit_log", "outbox"]

    /// Row counts of the catalog tables plus audit_log and outbox: equal before and after means nothing was written.
    func counts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in CatalogWorld.catalogTables { counts[table] = try world.count(table) }
        return counts
    }

    /// A hash of every row of the catalog tables (and the outbox), to show a refused change changed nothing.
    func fingerprint() throws -> [String: String] {
        var result: [String: String] = [:]
        for table in CatalogWorld.catalogTables {
            result[table] = try world.owner.query("""
                SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM \(ident: table) t
                """).single().decode("h")
        }
        return result
    }

    /// Runs `body`, which must fail with `E`, and checks that no catalog, audit or outbox row changed.
    @discardableResult
    func refused<E: Error>(_ type: E.Type, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws -> Void) throws -> E {
        let before = try fingerprint()
        let counted = try counts()
        let error = try #require(throws: E.self, comment, sourceLocation: sourceLocation) { try body() }
        #expect(try counts() == counted, "rows were written", sourceLocation: sourceLocation)
        #expect(try fingerprint() == before, "rows were changed", sourceLocation: sourceLocation)
        return error
    }

    /// A product's EAV rows as the owner sees them, by key.
    func attributeRows(_ productID: UUID) throws -> [String: (type: String, value: JSONValue, text: String?)] {
        var rows: [String: (type: String, value: JSONValue, text: String?)] = [:]
        for row in try world.owner.query("""
            SELECT attribute_key, attribute_type, attribute_value, value_text FROM product_attributes
             WHERE tenant_id = \(tenant.id) AND product_id = \(productID)
            """) {
            rows[try row.decode("attribute_key")] = (try row.decode("attribute_type"), try row.decode("attribute_value"), try row.decode("value_text"))
        }
        return rows
    }

    /// The stored row of a product (as the owner).
    func productRow(_ slug: String) throws -> (metadata: JSONValue, schemaVersion: Int, version: Int) {
        let row = try world.owner.query("""
            SELECT metadata, schema_version, version FROM products WHERE tenant_id = \(tenant.id) AND slug = \(slug)
            """).single()
        return (try row.decode("metadata"), try row.decode("schema_version"), try row.decode("version"))
    }

    func auditActions() throws -> [String] {
        try world.auditRows(tenant.id).map(\.action)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Collects what hooks saw, from any thread.
final class HookLog<Entry: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Entry] = []

    func append(_ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        storage.append(entry)
    }

    var entries: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

extension JSONValue {
    var objectKeys: [String] {
        if case .object(let members) = self { return members.keys.sorted() }
        return []
    }
}
