import Foundation
import Postgres

/// A store's delivery methods (reference: delivery_methods). `manual` works end to end (and key pools
/// deliver on their own); the other types (email, webhook, file, plugin) are refused with a clear
/// "not available yet" until their issue lands, rather than accepted and never delivered.
public struct DeliveryMethodService: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One method as listed.
    public struct Method: Sendable, Equatable, Encodable {
        public var slug: String
        public var name: String
        public var type: String
        public var enabled: Bool
        /// Whether deliveries of this type are carried out yet.
        public var available: Bool
    }

    public static let types = ["email", "webhook", "file", "manual", "plugin"]

    public func list(_ context: TenantContext) throws -> [Method] {
        try context.require(.deliveriesRead)
        return try database.withTenant(context) { tx in
            try tx.query("""
                SELECT slug, name, type, enabled FROM delivery_methods WHERE tenant_id = \(tx.context.tenantID) ORDER BY name, slug
                """).map { row in
                let type: String = try row.decode("type")
                return Method(slug: try row.decode("slug"), name: try row.decode("name"), type: type, enabled: try row.decode("enabled"),
                              available: DeliveryService.availableMethodTypes.contains(type))
            }
        }
    }

    /// Creates a method; needs `settings.manage`.
    public func create(_ context: TenantContext, slug: String, name: String, type: String) throws -> Method {
        try context.require(.settingsManage)
        var validator = FieldValidator()
        ProductTypeDefinition.validateSlug(slug, into: &validator)
        let name = validator.requiredText("name", name, maxLength: 200)
        validator.oneOf("type", type, DeliveryMethodService.types)
        if DeliveryMethodService.types.contains(type) && !DeliveryService.availableMethodTypes.contains(type) {
            validator.fail("type", "notAvailable", "delivery method type '\(type)' is not available yet (available: \(DeliveryService.availableMethodTypes.joined(separator: ", ")))")
        }
        try validator.check()
        return try database.withTenant(context) { tx in
            do {
                try tx.execute("INSERT INTO delivery_methods (tenant_id, slug, name, type) VALUES (\(tx.context.tenantID), \(slug), \(name), \(type))")
            } catch let error as PostgresError where error.kind == .uniqueViolation {
                throw ConflictError("a delivery method '\(slug)' already exists in this store", field: "slug")
            }
            try AuditLog.record(tx, action: "delivery_method.created", entityType: "delivery_method", entityID: slug,
                                after: .object(["slug": .string(slug), "name": .string(name), "type": .string(type)]))
            return Method(slug: slug, name: name, type: type, enabled: true, available: true)
        }
    }
}
