import Foundation
import Postgres

/// What the catalog services share: the database, the hook registry, and delivery of after-hooks once a
/// change has committed (in this process; a crash leaves the events in the outbox for the next one).
public struct CatalogEnvironment: Sendable {
    public let database: Database
    public let hooks: HookRegistry

    public init(database: Database, hooks: HookRegistry = HookRegistry()) {
        self.database = database
        self.hooks = hooks
    }

    /// A write inside the store: runs `body` in one transaction, then delivers the store's after-hooks.
    /// Delivery problems do not undo the committed change: the events stay in the outbox for a retry.
    func write<T>(_ context: TenantContext, _ body: (TenantTransaction) throws -> T) throws -> T {
        let result = try database.withTenant(context, body)
        if hooks.hasAfterHandlers {
            _ = try? OutboxProcessor(database: database, hooks: hooks).processPending(tenantID: context.tenantID)
        }
        return result
    }
}

/// Turns schema-check issues into one 400, or does nothing when there are none.
func throwIfInvalid(_ issues: [FieldIssue]) throws(ValidationError) {
    if !issues.isEmpty { throw ValidationError(issues: issues) }
}
