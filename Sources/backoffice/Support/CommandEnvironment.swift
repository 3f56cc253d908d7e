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
        return CommandEnvironment(configuration: configuration, database: Database(url: try configuration.appURL(), maxConnections: 2),
                                  sessions: SessionStore())
    }

    var authenticator: Authenticator { Authenticator(database: database) }
    var tenants: TenantService { TenantService(database: database) }
    var users: UserService { UserService(database: database) }

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

    /// The signed-in user inside store `slug`.
    func enter(_ slug: String) throws -> TenantContext {
        try authenticator.enter(slug, user: try currentUser())
    }
}
