import Domain
import Foundation

/// What a scripted command needs: the database (the embedded cluster started on demand, as the console
/// does), the Domain services over it, and the signed-in user from the session store.
struct CommandEnvironment {
    let configuration: DatabaseConfiguration
    let database: Database
    let sessions: SessionStore

    /// Opens the app-role database; with nothing configured, starts the embedded cluster first.
    static func open() throws -> CommandEnvironment {
        let configuration = try DatabaseConfiguration.fromEnvironment()
        if case .embedded = configuration {
            try DatabaseAdministration(configuration: configuration).start()
        }
        let environment = CommandEnvironment(configuration: configuration, database: Database(url: try configuration.appURL(), maxConnections: 2),
                                             sessions: SessionStore())
        // After-hook events an earlier process committed but did not deliver (it crashed, say) go out now,
        // but only from a process that has handlers: one without would mark them processed unheard.
        if environment.catalog.hooks.hasAfterHandlers {
            _ = try? OutboxProcessor(database: environment.database, hooks: environment.catalog.hooks).processPending()
        }
        return environment
    }

    var authenticator: Authenticator { Authenticator(database: database) }
    var tenants: TenantService { TenantService(database: database) }
    var users: UserService { UserService(database: database) }
    var catalog: CatalogEnvironment { CatalogEnvironment(database: database, hooks: CommandEnvironment.hooks) }
    var productTypes: ProductTypeService { ProductTypeService(catalog: catalog) }
    var products: ProductService { ProductService(catalog: catalog) }
    var variants: VariantService { VariantService(catalog: catalog) }

    /// License keys, sealed with the master key from `BACKOFFICE_MASTER_KEY_FILE` (or, for the embedded
    /// cluster, `master.key` in its data directory, created on first use).
    func licenseKeys() throws -> LicenseKeyService {
        LicenseKeyService(catalog: catalog, box: try secretBox())
    }

    var orders: OrderService { OrderService(catalog: catalog) }
    func payments() throws -> PaymentService { PaymentService(catalog: catalog, box: try secretBox()) }
    /// The delivery queue; `BACKOFFICE_CLAIM_TIMEOUT_MINUTES` sets how long a claim lasts (default 15).
    func deliveries() throws -> DeliveryService {
        DeliveryService(catalog: catalog, box: try secretBox(), claimTimeout: try CommandEnvironment.claimTimeout(ProcessInfo.processInfo.environment))
    }

    /// How long a fulfilment claim lasts: `BACKOFFICE_CLAIM_TIMEOUT_MINUTES` (default 15), checked.
    static func claimTimeout(_ environment: [String: String]) throws -> TimeInterval {
        guard let text = environment["BACKOFFICE_CLAIM_TIMEOUT_MINUTES"], !text.isEmpty else { return 15 * 60 }
        guard let minutes = Double(text), minutes > 0, minutes <= 24 * 60 else {
            throw ValidationError(issues: [FieldIssue(field: "BACKOFFICE_CLAIM_TIMEOUT_MINUTES", rule: "range",
                                                      message: "BACKOFFICE_CLAIM_TIMEOUT_MINUTES must be minutes between 0 and 1440 (got '\(text)')")])
        }
        return minutes * 60
    }

    /// The sealing box over the master key ring.
    func secretBox() throws -> SecretBox {
        var dataDirectory: String?
        if case .embedded(let cluster) = configuration { dataDirectory = cluster.directory }
        return SecretBox(keyring: try MasterKeyring.fromEnvironment(ProcessInfo.processInfo.environment, embeddedDataDirectory: dataDirectory))
    }

    /// The hooks this process registers (built-in ones only, for now).
    static let hooks = HookRegistry()

    /// The signed-in user, or 401 telling how to sign in.
    func currentUser() throws -> AuthenticatedUser {
        guard let token = sessions.token() else {
            throw UnauthorizedError("not signed in: run `backoffice login --email E`")
        }
        return try authenticator.authenticate(token: token)
    }

    /// The signed-in super admin's platform context (403 for anyone else).
    func platform() throws -> PlatformContext {
        try authenticator.platform(try currentUser())
    }

    /// Store-level work as the signed-in user: a super admin does it as platform work on store `slug`;
    /// anyone else enters the store (403 unless a member of an active store) and does it inside.
    func inStore<T>(_ slug: String, asPlatform: (PlatformContext) throws -> T, asMember: (TenantContext) throws -> T) throws -> T {
        let user = try currentUser()
        if user.isSuperAdmin { return try asPlatform(try authenticator.platform(user)) }
        return try asMember(try authenticator.enter(slug, user: user))
    }

    /// The signed-in user inside store `slug`.
    func enter(_ slug: String) throws -> TenantContext {
        try authenticator.enter(slug, user: try currentUser())
    }
}
