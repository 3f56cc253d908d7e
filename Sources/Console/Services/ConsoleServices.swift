import Domain
import Foundation

/// The Domain services the console's screens call, over one app-role pool. Built once by the
/// executable and handed to every `Effect.run`; screens never see SQL or a connection (design §2).
public final class ConsoleServices: Sendable {
    /// The app-role pool every service uses.
    public let database: Database
    /// The owner connection, for first-run set-up only (the first super admin, the demo data); nil when
    /// the console was not given one (a configured server without `BACKOFFICE_OWNER_DATABASE_URL`).
    public let ownerDatabase: Database?
    /// The connection string the live-change listener opens its own connection with.
    public let listenURL: String
    /// Opens the license-key sealing box (reads the master key file); nil when none can be had.
    private let openSecretBox: @Sendable () throws -> SecretBox
    /// How long a fulfilment claim lasts.
    public let claimTimeout: TimeInterval
    public let hooks: HookRegistry
    /// Hashes new passwords (the demo's, the first super admin's); tests pass a cheap one.
    public let hasher: PasswordHasher

    public init(
        databaseURL: String, ownerDatabaseURL: String?, claimTimeout: TimeInterval = 15 * 60,
        hooks: HookRegistry = HookRegistry(), hasher: PasswordHasher = PasswordHasher(),
        secretBox: @escaping @Sendable () throws -> SecretBox
    ) {
        self.hasher = hasher
        database = Database(url: databaseURL, maxConnections: 4)
        ownerDatabase = ownerDatabaseURL.map { Database(url: $0, maxConnections: 1) }
        listenURL = databaseURL
        openSecretBox = secretBox
        self.claimTimeout = claimTimeout
        self.hooks = hooks
    }

    public var authenticator: Authenticator { Authenticator(database: database, hasher: hasher) }
    public var tenants: TenantService { TenantService(database: database) }
    public var users: UserService { UserService(database: database, hasher: hasher) }
    public var catalog: CatalogEnvironment { CatalogEnvironment(database: database, hooks: hooks) }
    public var productTypes: ProductTypeService { ProductTypeService(catalog: catalog) }
    public var products: ProductService { ProductService(catalog: catalog) }
    public var variants: VariantService { VariantService(catalog: catalog) }
    public var deliveryMethods: DeliveryMethodService { DeliveryMethodService(database: database) }
    public var orders: OrderService { OrderService(catalog: catalog) }
    public var overview: StoreOverviewService { StoreOverviewService(database: database) }

    public func secretBox() throws -> SecretBox { try openSecretBox() }

    public func licenseKeys() throws -> LicenseKeyService {
        LicenseKeyService(catalog: catalog, box: try secretBox())
    }

    public func payments() throws -> PaymentService {
        PaymentService(catalog: catalog, box: try secretBox())
    }

    public func deliveries() throws -> DeliveryService {
        DeliveryService(catalog: catalog, box: try secretBox(), claimTimeout: claimTimeout)
    }

    /// Closes the pools (tests; the console process just exits).
    public func close() {
        database.close()
        ownerDatabase?.close()
    }

    /// Whether anyone can sign in yet: on an empty platform the console offers the first-run set-up.
    public func platformHasUsers() throws -> Bool {
        try UserService.platformHasUsers(database: database)
    }
}
