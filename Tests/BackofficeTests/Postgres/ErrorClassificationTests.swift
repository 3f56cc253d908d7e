import Foundation
@testable import Postgres
import Testing
import Domain

/// Real constraint violations classified into `PostgresError.Kind` and mapped onto the platform's
/// error classes by `DatabaseErrorMapping`, without leaking row values into messages.
@Suite struct PostgresErrorClassificationTests {
    private func insertType(_ c: Connection, tenant: UUID, slug: String, name: String? = "Type") throws -> UUID {
        try c.query("INSERT INTO product_types (tenant_id, slug, name) VALUES (\(tenant), \(slug), \(name as String?)) RETURNING id").single().decode("id")
    }

    @Test func aDuplicateSlugIsAUniqueViolationOnSlugMappedTo409() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let c = try db.owner()
            defer { c.close() }
            let slug = "secret-slug-4242"
            _ = try insertType(c, tenant: tenant, slug: slug)
            let error = #expect(throws: PostgresError.self) { _ = try insertType(c, tenant: tenant, slug: slug) }
            guard let error else { return }
            #expect(error.kind == .uniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(error.keyColumns == ["slug"])
            #expect(error.field == "slug")
            #expect(error.table == "product_types")
            #expect(error.constraint == "product_types_tenant_id_slug_key")
            #expect(error.detail?.contains(slug) == true, "the DETAIL keeps the value, for logs")
            #expect(!error.message.contains(slug))

            let mapped = DatabaseErrorMapping.appError(from: error)
            #expect(mapped.statusCode == 409)
            let conflict = try #require(mapped as? ConflictError)
            #expect(conflict.field == "slug")
            #expect(conflict.message.contains("slug"))
            #expect(!conflict.message.contains(slug))
            #expect(!conflict.message.contains(tenant.uuidString.lowercased()))

            // The same slug in another tenant is fine.
            _ = try insertType(c, tenant: try db.makeTenant(), slug: slug)
        }
    }

    /// The console connects as `backoffice_app`, under row-level security, and there PostgreSQL leaves the
    /// key out of the DETAIL (it could reveal rows the role cannot see): no `Key (tenant_id, slug)=…`, so
    /// the field is read from the constraint's name.
    @Test func asTheAppRoleADuplicateIsStillA409NamingSlug() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let database = try db.database()
            defer { database.close() }
            let context = db.context(tenant: tenant)
            let slug = "dupe-value-77"
            try database.withTenant(context) { tx in
                _ = try tx.execute("INSERT INTO product_types (tenant_id, slug, name) VALUES (\(tx.context.tenantID), \(slug), 'A')")
            }
            let error = #expect(throws: ConflictError.self) {
                try database.withTenant(context) { tx in
                    try tx.execute("INSERT INTO product_types (tenant_id, slug, name) VALUES (\(tx.context.tenantID), \(slug), 'B')")
                }
            }
            #expect(error?.statusCode == 409)
            #expect(error?.message.contains(slug) == false)
            #expect(error?.field == "slug")
            #expect(error?.message.hasPrefix("slug ") == true, "\(error?.message ?? "")")
        }
    }

    @Test func asTheAppRoleAMissingReferenceIsStillA400NamingTheField() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let database = try db.database()
            defer { database.close() }
            let ghost = UUID()
            let error = #expect(throws: ValidationError.self) {
                try database.withTenant(db.context(tenant: tenant)) { tx in
                    try tx.execute("INSERT INTO products (tenant_id, product_type_id, name, slug) VALUES (\(tx.context.tenantID), \(ghost), 'P', 'p')")
                }
            }
            #expect(error?.statusCode == 400)
            #expect(error?.message.contains(ghost.uuidString.lowercased()) == false)
            #expect(error?.issues.map(\.field) == ["product_type_id"])
        }
    }

    /// `users_email_lower_key` is a unique index on `lower(email)`: its DETAIL reads
    /// `Key (lower(email))=(…) already exists.`, and the field should still be a field name.
    @Test func aUniqueExpressionIndexNamesAPlainField() throws {
        try TestDatabase.with { db in
            let c = try db.owner()
            defer { c.close() }
            try c.execute("INSERT INTO users (email) VALUES ('Someone@Example.com')")
            let error = #expect(throws: PostgresError.self) {
                try c.execute("INSERT INTO users (email) VALUES ('someone@example.COM')")
            }
            #expect(error?.kind == .uniqueViolation)
            #expect(error?.field == "email")
            let conflict = error.flatMap { DatabaseErrorMapping.appError(from: $0) as? ConflictError }
            #expect(conflict?.field == "email")
            #expect(error.map { DatabaseErrorMapping.appError(from: $0).message.lowercased().contains("someone@example") } == false)
        }
    }

    @Test func aMissingReferenceIsA400OnTheReferencingField() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let c = try db.owner()
            defer { c.close() }
            let ghost = UUID()
            let error = #expect(throws: PostgresError.self) {
                try c.execute("INSERT INTO products (tenant_id, product_type_id, name, slug) VALUES (\(tenant), \(ghost), 'P', 'p')")
            }
            guard let error else { return }
            #expect(error.kind == .foreignKeyMissing)
            #expect(error.field == "product_type_id")
            let mapped = DatabaseErrorMapping.appError(from: error)
            #expect(mapped.statusCode == 400)
            let validation = try #require(mapped as? ValidationError)
            #expect(validation.issues.map(\.field) == ["product_type_id"])
            #expect(validation.issues.first?.rule == "exists")
            #expect(!validation.message.contains(ghost.uuidString.lowercased()))
            #expect(!validation.message.contains(tenant.uuidString.lowercased()))
        }
    }

    @Test func deletingAReferencedRowIsA409() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let c = try db.owner()
            defer { c.close() }
            let type = try insertType(c, tenant: tenant, slug: "games")
            try c.execute("INSERT INTO products (tenant_id, product_type_id, name, slug) VALUES (\(tenant), \(type), 'P', 'p')")
            let error = #expect(throws: PostgresError.self) {
                try c.execute("DELETE FROM product_types WHERE tenant_id = \(tenant) AND id = \(type)")
            }
            guard let error else { return }
            #expect(error.kind == .foreignKeyInUse)
            #expect(error.sqlState == "23503")
            let mapped = DatabaseErrorMapping.appError(from: error)
            #expect(mapped.statusCode == 409)
            #expect(mapped is ConflictError)
            #expect(mapped.message.contains("products"))
            #expect(!mapped.message.contains(type.uuidString.lowercased()))
        }
    }

    @Test func aNullInANotNullColumnIsA400NamingTheColumn() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let c = try db.owner()
            defer { c.close() }
            let error = #expect(throws: PostgresError.self) { _ = try insertType(c, tenant: tenant, slug: "x", name: nil) }
            guard let error else { return }
            #expect(error.kind == .notNullViolation)
            #expect(error.column == "name")
            #expect(error.field == "name")
            let validation = try #require(DatabaseErrorMapping.appError(from: error) as? ValidationError)
            #expect(validation.statusCode == 400)
            #expect(validation.issues == [FieldIssue(field: "name", rule: "required", message: "name is required")])
        }
    }

    @Test func aCheckViolationIsA400WithoutTheValue() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let c = try db.owner()
            defer { c.close() }
            let bad = "Not A Slug!"
            let error = #expect(throws: PostgresError.self) { _ = try insertType(c, tenant: tenant, slug: bad) }
            guard let error else { return }
            #expect(error.kind == .checkViolation)
            #expect(error.sqlState == "23514")
            #expect(error.constraint == "product_types_slug_check")
            let mapped = DatabaseErrorMapping.appError(from: error)
            #expect(mapped.statusCode == 400)
            let validation = try #require(mapped as? ValidationError)
            #expect(validation.issues.first?.rule == "check")
            #expect(validation.message.contains("product_types_slug_check"))
            #expect(!validation.message.contains(bad))
        }
    }

    @Test func anRLSWithCheckViolationAsTheAppRoleIsA403() throws {
        try TestDatabase.with { db in
            let mine = try db.makeTenant()
            let theirs = try db.makeTenant()
            let app = try db.app()
            defer { app.close() }
            let error = #expect(throws: PostgresError.self) {
                try app.transaction { tx in
                    try tx.setLocal("app.tenant_id", to: mine.uuidString)
                    _ = try insertType(tx, tenant: theirs, slug: "sneaky")
                }
            }
            guard let error else { return }
            #expect(error.kind == .insufficientPrivilege)
            #expect(error.sqlState == "42501")
            let mapped = DatabaseErrorMapping.appError(from: error)
            #expect(mapped.statusCode == 403)
            #expect(mapped is ForbiddenError)
            #expect(!mapped.message.contains(theirs.uuidString.lowercased()))

            // Through the Domain door as well.
            let database = try db.database()
            defer { database.close() }
            #expect(throws: ForbiddenError.self) {
                try database.withTenant(db.context(tenant: mine)) { tx in
                    try tx.execute("INSERT INTO product_types (tenant_id, slug, name) VALUES (\(theirs), 'sneaky', 'S')")
                }
            }
            let owner = try db.owner()
            defer { owner.close() }
            let count: Int = try owner.query("SELECT count(*) AS n FROM product_types").single().decode("n")
            #expect(count == 0)
        }
    }

    /// Under row-level security the DETAIL ("is still referenced from table …") is withheld too; the
    /// delete must still be told apart from a missing reference.
    @Test func asTheAppRoleDeletingAReferencedRowIsStillA409() throws {
        try TestDatabase.with { db in
            let tenant = try db.makeTenant()
            let database = try db.database()
            defer { database.close() }
            let context = db.context(tenant: tenant)
            let type: UUID = try database.withTenant(context) { tx in
                let type: UUID = try tx.query("INSERT INTO product_types (tenant_id, slug, name) VALUES (\(tx.context.tenantID), 'games', 'Games') RETURNING id").single().decode("id")
                try tx.execute("INSERT INTO products (tenant_id, product_type_id, name, slug) VALUES (\(tx.context.tenantID), \(type), 'P', 'p')")
                return type
            }
            let error = #expect(throws: ConflictError.self) {
                try database.withTenant(context) { tx in
                    try tx.execute("DELETE FROM product_types WHERE tenant_id = \(tx.context.tenantID) AND id = \(type)")
                }
            }
            #expect(error?.statusCode == 409)
            #expect(error?.message.contains(type.uuidString.lowercased()) == false)
        }
    }

    @Test func constraintNamesAndKeyExpressionsGiveFieldNames() {
        #expect(PostgresError.keyColumns(inDetail: "Key (tenant_id, slug)=(a, b) already exists.") == ["tenant_id", "slug"])
        #expect(PostgresError.keyColumns(inDetail: "Key (lower(email))=(x) already exists.") == ["email"])
        #expect(PostgresError.keyColumns(inDetail: "Key (lower((name)::text), \"Odd Name\")=(x) already exists.") == ["name", "Odd Name"])
        #expect(PostgresError.keyColumns(inDetail: "Failing row contains (…).") == nil)
        #expect(PostgresError.keyColumns(inConstraint: "product_types_tenant_id_slug_key", table: "product_types") == ["slug"])
        #expect(PostgresError.keyColumns(inConstraint: "products_tenant_id_product_type_id_fkey", table: "products") == ["product_type_id"])
        #expect(PostgresError.keyColumns(inConstraint: "tenants_slug_key", table: nil) == ["tenants_slug"])
        #expect(PostgresError.keyColumns(inConstraint: "some_custom_name", table: "t") == nil)
        let hidden = PostgresError(kind: .uniqueViolation, message: "m", constraint: "tenants_domain_key", table: "tenants")
        #expect(hidden.field == "domain")
    }

    @Test func otherClassesMapAsDocumented() throws {
        try PGTest.withOwner { c in
            let badUUID = #expect(throws: PostgresError.self) { try c.query("SELECT \("not-a-uuid")::uuid") }
            #expect(badUUID?.kind == .invalidData)
            #expect(badUUID.map { DatabaseErrorMapping.appError(from: $0).statusCode } == 400)

            let syntax = #expect(throws: PostgresError.self) { try c.query("SELEC 1") }
            #expect(syntax?.kind == .other)
            #expect(syntax?.sqlState == "42601")
            #expect(syntax.map { DatabaseErrorMapping.appError(from: $0).statusCode } == 500)

            try c.execute("SET statement_timeout = '20ms'")
            let canceled = #expect(throws: PostgresError.self) { try c.query("SELECT pg_sleep(5)") }
            #expect(canceled?.kind == .queryCanceled)
            #expect(canceled.map { DatabaseErrorMapping.appError(from: $0).statusCode } == 503)
            try c.execute("RESET statement_timeout")

            let retryable = PostgresError(kind: .serializationFailure, message: "could not serialize", sqlState: "40001")
            #expect(retryable.isRetryable)
            #expect(DatabaseErrorMapping.appError(from: retryable).statusCode == 409)
            #expect(PostgresError(kind: .deadlock, message: "d").isRetryable)
            #expect(!PostgresError(kind: .uniqueViolation, message: "u").isRetryable)
        }
    }
}
