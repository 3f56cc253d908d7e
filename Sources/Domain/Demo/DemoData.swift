import Foundation
import Postgres

/// `backoffice demo`: two stores with staff of every role, product types, products with variants and
/// license keys, and orders in every status a store can rest in, so the console has something to show.
/// Idempotent: what exists is left alone, so running it twice changes nothing.
public struct DemoData: Sendable {
    public let database: Database
    public let box: SecretBox
    public let hasher: PasswordHasher

    public init(database: Database, box: SecretBox, hasher: PasswordHasher = PasswordHasher()) {
        self.database = database
        self.box = box
        self.hasher = hasher
    }

    /// The demo's super admin and the password every demo account has.
    public static let adminEmail = "admin@demo.test"
    public static let password = "demo-password"

    /// One sign-in the demo prints.
    public struct Account: Sendable, Encodable {
        public var email: String
        public var store: String?
        public var role: String
    }

    /// What was loaded (and what already existed).
    public struct Report: Sendable, Encodable {
        public var accounts: [Account]
        public var password: String
        public var created: [String]
    }

    struct StoreSpec {
        var slug: String
        var name: String
        var accent: String
    }

    static let stores = [
        StoreSpec(slug: "demo-games", name: "Demo Games", accent: "#3f8cff"),
        StoreSpec(slug: "demo-software", name: "Demo Software", accent: "#2bb673"),
    ]

    /// Loads the demo. `platform` is the signed-in super admin's context when there is one; with none,
    /// the demo's own super admin is used (created over `ownerDatabase` on an empty platform).
    public func load(platform given: PlatformContext?, ownerDatabase: Database?) throws -> Report {
        var created: [String] = []
        let authenticator = Authenticator(database: database, hasher: hasher)
        let users = UserService(database: database, hasher: hasher)
        let platform = try adminContext(given, ownerDatabase: ownerDatabase, authenticator: authenticator, created: &created)
        let tenants = TenantService(database: database)
        var accounts = [Account(email: DemoData.adminEmail, store: nil, role: "super admin")]
        let existingUsers = Set(try users.list(platform).map { $0.email.lowercased() })
        for store in DemoData.stores {
            let existing = try tenants.list(platform, includeDeleted: true).first { $0.slug == store.slug }
            if existing == nil {
                _ = try tenants.create(platform, .init(slug: store.slug, name: store.name, plan: "pro"))
                _ = try tenants.update(platform, slug: store.slug, .init(branding: "{\"accentColor\":\"\(store.accent)\",\"displayName\":\"\(store.name)\"}"))
                created.append("store \(store.slug)")
            }
            for role in SystemRole.allCases {
                let email = "\(role.rawValue)@\(store.slug).test"
                if !existingUsers.contains(email) {
                    _ = try users.create(platform, .init(email: email, name: "\(role.name) of \(store.name)", password: DemoData.password))
                    _ = try users.grant(platform, email: email, tenantSlug: store.slug, role: role.rawValue)
                    created.append("user \(email)")
                }
                accounts.append(Account(email: email, store: store.slug, role: role.rawValue))
            }
            let admin = try authenticator.authenticate(token: try authenticator.signIn(email: DemoData.adminEmail, password: DemoData.password).token)
            let context = try authenticator.enter(store.slug, user: admin)
            created += try loadCatalogAndOrders(context, store: store)
        }
        return Report(accounts: accounts, password: DemoData.password, created: created)
    }

    private func adminContext(_ given: PlatformContext?, ownerDatabase: Database?, authenticator: Authenticator, created: inout [String]) throws -> PlatformContext {
        if let signIn = try? authenticator.signIn(email: DemoData.adminEmail, password: DemoData.password) {
            return try authenticator.platform(try authenticator.authenticate(token: signIn.token))
        }
        let demoAdmin = UserService.NewUser(email: DemoData.adminEmail, name: "Demo Admin", password: DemoData.password, isSuperAdmin: true)
        if let given {
            _ = try UserService(database: database, hasher: hasher).create(given, demoAdmin)
        } else if let ownerDatabase {
            _ = try UserService.bootstrapSuperAdmin(ownerDatabase: ownerDatabase, demoAdmin, hasher: hasher)
        } else {
            throw UnauthorizedError("sign in as a super admin to load the demo")
        }
        created.append("user \(DemoData.adminEmail)")
        let signIn = try authenticator.signIn(email: DemoData.adminEmail, password: DemoData.password)
        return try authenticator.platform(try authenticator.authenticate(token: signIn.token))
    }

    static let gameType = """
        {"slug": "game", "name": "Game key", "schema": {"fields": [
          {"name": "title", "type": "text", "label": "Title", "required": true, "validation": {"minLength": 3, "maxLength": 255}},
          {"name": "platform", "type": "select", "label": "Platform", "required": true,
           "options": [{"value": "steam", "label": "Steam"}, {"value": "epic", "label": "Epic Games"}, {"value": "gog", "label": "GOG"}]},
          {"name": "release_date", "type": "date", "label": "Release date"},
          {"name": "rating", "type": "number", "label": "Rating", "validation": {"min": 0, "max": 10}},
          {"name": "description", "type": "textarea", "label": "Description", "validation": {"maxLength": 2000}},
          {"name": "region", "type": "select", "label": "Region", "scope": "variant",
           "options": [{"value": "eu", "label": "Europe"}, {"value": "us", "label": "USA"}, {"value": "global", "label": "Global"}]}
        ]}, "ui_config": {"sections": [{"title": "Game", "fields": ["title", "platform", "release_date", "rating", "description"]}]}}
        """

    static let games: [(name: String, platform: String, date: String, rating: Double)] = [
        ("Portal 2", "steam", "2011-04-19", 9.5), ("Hades", "epic", "2020-09-17", 9.3), ("Celeste", "gog", "2018-01-25", 9.0),
        ("Stardew Valley", "steam", "2016-02-26", 9.1), ("Disco Elysium", "gog", "2019-10-15", 9.4),
    ]

    /// The product type, products with a key-pool variant (with keys) and a hand-delivered variant, and
    /// orders in every resting status; each step skipped when its data is there.
    private func loadCatalogAndOrders(_ context: TenantContext, store: StoreSpec) throws -> [String] {
        var created: [String] = []
        let catalog = CatalogEnvironment(database: database)
        let types = ProductTypeService(catalog: catalog)
        if try !types.list(context).contains(where: { $0.slug == "game" }) {
            _ = try types.create(context, try ProductTypeDefinition.parse(text: DemoData.gameType))
            created.append("\(store.slug): product type game")
        }
        let products = ProductService(catalog: catalog)
        let keys = LicenseKeyService(catalog: catalog, box: box)
        let existing = Set(try products.list(context, .init(limit: 200)).products.map(\.slug))
        for (index, game) in DemoData.games.enumerated() {
            let slug = Slug.make(from: game.name)
            if existing.contains(slug) { continue }
            let prefix = "\(store.slug == "demo-games" ? "G" : "S")\(index + 1)"
            _ = try products.create(context, typeSlug: "game", name: game.name, data: .object([
                "title": .string(game.name), "platform": .string(game.platform), "release_date": .string(game.date),
                "rating": .number(game.rating), "description": .string("\(game.name), a demo product of \(store.name)."),
            ]), status: .active, variants: [
                .init(productSlug: "", sku: "\(prefix)-KEY", price: "\(19 + index).99", currency: "EUR", data: .object(["region": .string("eu")]),
                      inventory: .keys),
                .init(productSlug: "", sku: "\(prefix)-BOX", price: "\(29 + index).00", currency: "EUR", data: .object(["region": .string("global")]),
                      inventory: .count, quantity: 25, deliveryMethod: "manual"),
            ])
            let poolKeys = (1...(index == 4 ? 1 : 12)).map { "DEMO-\(prefix)-\(String(format: "%04d", $0))-\(store.slug.count * 7 + $0)" }
            _ = try keys.importKeys(context, sku: "\(prefix)-KEY", text: poolKeys.joined(separator: "\n"))
            created.append("\(store.slug): product \(slug) with \(poolKeys.count) keys")
        }
        let orders = OrderService(catalog: catalog)
        guard try orders.list(context, .init(limit: 1)).orders.isEmpty else { return created }
        let payments = PaymentService(catalog: catalog, box: box)
        let prefix = store.slug == "demo-games" ? "G" : "S"
        // fulfilled (keys only), fulfilling (a box waits in the queue), pending, cancelled, refunded.
        let fulfilled = try orders.create(context, .init(email: "alice@example.com", name: "Alice", lines: [.init(sku: "\(prefix)1-KEY", quantity: 1)]))
        _ = try payments.record(context, number: fulfilled.number, amount: fulfilled.total.decimalText, method: "test", reference: "DEMO-\(fulfilled.number)")
        let waiting = try orders.create(context, .init(email: "bob@example.com", name: "Bob", lines: [
            .init(sku: "\(prefix)2-KEY", quantity: 1), .init(sku: "\(prefix)2-BOX", quantity: 1)]))
        _ = try payments.record(context, number: waiting.number, amount: waiting.total.decimalText, method: "bank_transfer", reference: "DEMO-\(waiting.number)")
        _ = try orders.create(context, .init(email: "carol@example.com", name: "Carol", lines: [.init(sku: "\(prefix)3-BOX", quantity: 2)]))
        let cancelled = try orders.create(context, .init(email: "dave@example.com", lines: [.init(sku: "\(prefix)4-KEY", quantity: 1)]))
        _ = try orders.cancel(context, number: cancelled.number)
        let refunded = try orders.create(context, .init(email: "erin@example.com", lines: [.init(sku: "\(prefix)1-KEY", quantity: 1)]))
        _ = try payments.record(context, number: refunded.number, amount: refunded.total.decimalText, method: "cash", reference: "DEMO-\(refunded.number)")
        _ = try orders.refund(context, number: refunded.number, reason: "demo refund")
        // The last key of a one-key pool: this order's key goes, the next waits in the queue with the reason.
        let lastKey = try orders.create(context, .init(email: "frank@example.com", lines: [.init(sku: "\(prefix)5-KEY", quantity: 2)]))
        _ = try payments.record(context, number: lastKey.number, amount: lastKey.total.decimalText, method: "test", reference: "DEMO-\(lastKey.number)")
        created.append("\(store.slug): 6 orders")
        return created
    }
}
