import Foundation
import Postgres

/// The Domain's door to PostgreSQL: a pool of app-role connections and the three ways in.
///
/// - `withTenant(context)`: a transaction scoped to one store (`app.tenant_id` set locally, so RLS
///   shows and accepts only that store's rows);
/// - `withPlatform(context)`: a super admin's cross-tenant transaction (`SET LOCAL ROLE backoffice_admin`);
/// - `withTransaction`: global tables only (tenants, users, sessions): no tenant is set, so every
///   tenant table reads as empty.
///
/// Database failures come out as the platform's error classes (`AppError`).
public final class Database: Sendable {
    public let pool: ConnectionPool

    public init(url: String, maxConnections: Int = 4) {
        pool = ConnectionPool(conninfo: url, maxConnections: maxConnections)
    }

    /// A transaction inside one tenant.
    public func withTenant<T>(_ context: TenantContext, _ body: (TenantTransaction) throws -> T) throws -> T {
        try DatabaseErrorMapping.mapping {
            try pool.withConnection { connection in
                try connection.transaction(locals: [(DatabaseRoles.tenantSetting, context.tenantID.uuidString)]) { connection in
                    try body(TenantTransaction(context: context, connection: connection))
                }
            }
        }
    }

    /// A super admin's transaction across tenants, as the admin role.
    public func withPlatform<T>(_ context: PlatformContext, _ body: (Connection) throws -> T) throws -> T {
        try DatabaseErrorMapping.mapping {
            try pool.withConnection { connection in
                try connection.transaction { connection in
                    try connection.execute("SET LOCAL ROLE \(ident: DatabaseRoles.admin)")
                    return try body(connection)
                }
            }
        }
    }

    /// The platform's own background work across stores (the outbox processor), as the admin role.
    /// Internal: no user reaches it.
    func withSystem<T>(_ body: (Connection) throws -> T) throws -> T {
        try DatabaseErrorMapping.mapping {
            try pool.withConnection { connection in
                try connection.transaction { connection in
                    try connection.execute("SET LOCAL ROLE \(ident: DatabaseRoles.admin)")
                    return try body(connection)
                }
            }
        }
    }

    /// A transaction with no tenant set, for the global tables.
    public func withTransaction<T>(_ body: (Connection) throws -> T) throws -> T {
        try DatabaseErrorMapping.mapping {
            try pool.withConnection { connection in
                try connection.transaction(body)
            }
        }
    }

    public func close() { pool.close() }
}

/// A transaction scoped to one tenant: the connection and the context that opened it. Services take
/// their tenant id from `context`, never from a caller.
public struct TenantTransaction {
    public let context: TenantContext
    public let connection: Connection

    @discardableResult
    public func query(_ sql: SQL) throws(PostgresError) -> QueryResult {
        try connection.query(sql)
    }

    @discardableResult
    public func execute(_ sql: SQL) throws(PostgresError) -> Int {
        try connection.execute(sql)
    }
}
