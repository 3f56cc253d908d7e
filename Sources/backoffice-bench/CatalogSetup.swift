/// What the catalog figures share: a real super admin, signed in, who creates stores and enters them,
/// so every service call runs with a `TenantContext` exactly as the CLI's would (every permission, the
/// super admin's entry audited), plus the product type the figures create products of.
///
/// This file exists so the three catalog figures (`ProductCreateBenchmark`, `ProductFilterBenchmark`,
/// `KeyImportBenchmark`) set up the same way: the first super admin is bootstrapped over the owner URL
/// (`UserService.bootstrapSuperAdmin`, the fast test hasher), or, on an existing database that already has
/// one, inserted as the owner; stores come from `TenantService.create` and are recorded for teardown.
import Domain
import Foundation
import Postgres

final class CatalogSetup {
    let benchDatabase: BenchDatabase
    /// The app role's pool the services use (one connection: the figures run one call at a time).
    let database: Database
    let catalog: CatalogEnvironment
    let authenticator: Authenticator
    let user: AuthenticatedUser
    let platform: PlatformContext
    /// Distinguishes this run's slugs from any other's in the same database.
    let run = String(UInt32.random(in: 0...UInt32.max), radix: 16)

    init(_ benchDatabase: BenchDatabase) throws {
        self.benchDatabase = benchDatabase
        let email = "bench-\(run)@example.com"
        let password = "bench-" + UUID().uuidString
        let owner = Database(url: benchDatabase.ownerURL, maxConnections: 1)
        defer { owner.close() }
        let userID: UUID
        do {
            userID = try UserService.bootstrapSuperAdmin(
                ownerDatabase: owner, .init(email: email, name: "Bench", password: password, isSuperAdmin: true), hasher: .fast
            ).id
        } catch is ForbiddenError {
            // An existing database with a super admin already: add ours as the owner, as the bootstrap would.
            let hash = try PasswordHasher.fast.hash(password)
            userID = try owner.withTransaction { connection in
                try connection.query("""
                    INSERT INTO users (email, name, password_hash, is_super_admin) VALUES (\(email), 'Bench', \(hash), true) RETURNING id
                    """).single().decode("id")
            }
        }
        benchDatabase.record(user: userID)
        database = Database(url: benchDatabase.appURL, maxConnections: 1)
        catalog = CatalogEnvironment(database: database)
        authenticator = Authenticator(database: database, hasher: .fast)
        user = try authenticator.signIn(email: email, password: password).user
        platform = try authenticator.platform(user)
    }

    func close() { database.close() }

    /// Creates a store (`bench-<label>-<run>`) and enters it as the super admin.
    func createStore(_ label: String) throws -> TenantContext {
        let slug = "bench-\(label)-\(run)"
        let tenant = try TenantService(database: database).create(platform, .init(slug: slug, name: "Bench \(label)"))
        benchDatabase.record(tenant: tenant.id)
        return try authenticator.enter(slug, user: user)
    }

    /// Creates the `game` product type in a store.
    func createGameType(_ context: TenantContext) throws -> ProductType {
        try ProductTypeService(catalog: catalog).create(context, try ProductTypeDefinition.parse(GameType.definition))
    }
}

/// The product type the catalog figures use: ten product-scope fields, one of each kind a store is likely
/// to filter or show (text, integer, select, boolean, number, date, email, url, money, textarea).
enum GameType {
    static let slug = "game"
    static let platforms = ["steam", "gog", "epic", "origin", "uplay", "battlenet", "xbox", "psn", "nintendo", "itch"]

    static let definition: JSONValue = .object([
        "slug": .string(slug),
        "name": .string("Game"),
        "schema": .object(["fields": .array([
            field("title", "text", ["required": .bool(true), "validation": .object(["maxLength": .integer(200)])]),
            field("platform", "select", ["required": .bool(true),
                                         "options": .array(platforms.map { .object(["value": .string($0), "label": .string($0.capitalized)]) })]),
            field("release_year", "integer", ["validation": .object(["min": .integer(1970), "max": .integer(2100)])]),
            field("multiplayer", "boolean", [:]),
            field("rating", "number", ["validation": .object(["min": .integer(0), "max": .integer(10)])]),
            field("release_date", "date", [:]),
            field("support_email", "email", [:]),
            field("homepage", "url", [:]),
            field("msrp", "money", [:]),
            field("description", "textarea", ["validation": .object(["maxLength": .integer(5000)])]),
        ])]),
    ])

    private static func field(_ name: String, _ type: String, _ extra: [String: JSONValue]) -> JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "type": .string(type), "label": .string(name)]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    /// The field types by name, as the raw side writes them into `product_attributes.attribute_type`.
    static let fieldTypes: [(name: String, type: String)] = [
        ("title", "text"), ("platform", "select"), ("release_year", "integer"), ("multiplayer", "boolean"),
        ("rating", "number"), ("release_date", "date"), ("support_email", "email"), ("homepage", "url"),
        ("msrp", "money"), ("description", "textarea"),
    ]

    /// Product number `i`'s values, all ten fields set (each kind of value varies with `i`).
    static func values(_ i: Int) -> [String: JSONValue] {
        [
            "title": .string("Bench Game \(i)"),
            "platform": .string(platforms[i % platforms.count]),
            "release_year": .integer(Int64(1990 + i % 35)),
            "multiplayer": .bool(i % 3 == 0),
            "rating": .number(Double(i % 10) + 0.5),
            "release_date": .string(String(format: "20%02d-%02d-%02d", i % 25, 1 + i % 12, 1 + i % 28)),
            "support_email": .string("support\(i)@example.com"),
            "homepage": .string("https://example.com/games/\(i)"),
            "msrp": .object(["amount": .integer(Int64(999 + (i % 50) * 100)), "currency": .string("EUR")]),
            "description": .string("Bench game number \(i).\nTwo lines of text."),
        ]
    }

    /// The text projection of product `i`'s values (`product_attributes.value_text`), as a raw program
    /// would write it: the value as text, integers and numbers in their shortest form, money as
    /// `"<minor units> <currency>"`, booleans as true/false, textarea none.
    static func projections(_ i: Int) -> [String: String?] {
        [
            "title": "Bench Game \(i)",
            "platform": platforms[i % platforms.count],
            "release_year": String(1990 + i % 35),
            "multiplayer": i % 3 == 0 ? "true" : "false",
            "rating": "\(i % 10).5",
            "release_date": String(format: "20%02d-%02d-%02d", i % 25, 1 + i % 12, 1 + i % 28),
            "support_email": "support\(i)@example.com",
            "homepage": "https://example.com/games/\(i)",
            "msrp": "\(999 + (i % 50) * 100) EUR",
            "description": String?.none,
        ]
    }
}
