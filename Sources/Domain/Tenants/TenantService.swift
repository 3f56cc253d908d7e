import Foundation
import Postgres

/// Creating and running stores: the super admin's side of the reference's TenantService, plus
/// resolution by slug or domain for staff (only active stores resolve).
///
/// Every change is written to the store's own audit log in the same transaction, as the admin role
/// (platform work crosses tenants, design §3).
public struct TenantService: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// What `create` needs.
    public struct NewTenant: Sendable {
        public var slug: String
        public var name: String
        public var domain: String?
        public var subdomain: String?
        public var plan: String

        public init(slug: String, name: String, domain: String? = nil, subdomain: String? = nil, plan: String = "free") {
            self.slug = slug
            self.name = name
            self.domain = domain
            self.subdomain = subdomain
            self.plan = plan
        }
    }

    /// A partial update: nil leaves a field as it is; `domain: .some(nil)` clears the domain.
    public struct Changes: Sendable {
        public var name: String?
        public var domain: String??
        public var subdomain: String??
        public var plan: String?
        /// JSON object text.
        public var settings: String?
        /// JSON object text (`accentColor`, `displayName`).
        public var branding: String?
        /// When set, the update applies only if the row still has this version (else 409).
        public var expectedVersion: Int?

        public init(name: String? = nil, domain: String?? = nil, subdomain: String?? = nil, plan: String? = nil,
                    settings: String? = nil, branding: String? = nil, expectedVersion: Int? = nil) {
            self.name = name
            self.domain = domain
            self.subdomain = subdomain
            self.plan = plan
            self.settings = settings
            self.branding = branding
            self.expectedVersion = expectedVersion
        }

        var isEmpty: Bool {
            name == nil && domain == nil && subdomain == nil && plan == nil && settings == nil && branding == nil
        }
    }

    // MARK: - Platform

    /// Creates a store with its four system roles and the `manual` and `email` delivery methods.
    public func create(_ context: PlatformContext, _ new: NewTenant) throws -> Tenant {
        var validator = FieldValidator()
        let slug = new.slug.trimmingCharacters(in: .whitespaces)
        TenantRules.validateSlug(slug, into: &validator)
        let name = validator.requiredText("name", new.name, maxLength: 200)
        let domain = new.domain.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let domain { TenantRules.validateHost("domain", domain, into: &validator) }
        let subdomain = new.subdomain.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let subdomain { TenantRules.validateSubdomain(subdomain, into: &validator) }
        validator.oneOf("plan", new.plan, Tenant.Plan.allCases.map(\.rawValue))
        try validator.check()

        return try database.withPlatform(context) { connection in
            let tenant = try Tenant(row: connection.query("""
                INSERT INTO tenants (slug, name, domain, subdomain, plan)
                VALUES (\(slug), \(name), \(domain), \(subdomain), \(new.plan))
                RETURNING \(Tenant.columns)
                """).single())
            for role in SystemRole.allCases {
                let permissions = JSONValue.array(role.permissions.map(\.rawValue).sorted().map(JSONValue.string))
                try connection.execute("""
                    INSERT INTO user_roles (tenant_id, name, slug, permissions, is_system)
                    VALUES (\(tenant.id), \(role.name), \(role.rawValue), \(permissions), true)
                    """)
            }
            // Every store can deliver by hand (a fulfilment clerk) and by email from the start.
            try connection.execute("""
                INSERT INTO delivery_methods (tenant_id, slug, name, type)
                VALUES (\(tenant.id), 'manual', 'Manual delivery', 'manual'), (\(tenant.id), 'email', 'Email', 'email')
                """)
            try AuditLog.record(connection, tenantID: tenant.id, actor: context.userID, action: "tenant.created",
                                entityType: "tenant", entityID: tenant.id.uuidString.lowercased(), after: tenant.auditValue)
            return tenant
        }
    }

    /// Every store, by name; deleted ones only when asked.
    public func list(_ context: PlatformContext, includeDeleted: Bool = false) throws -> [Tenant] {
        try database.withPlatform(context) { connection in
            try connection.query("""
                SELECT \(Tenant.columns) FROM tenants
                 WHERE \(includeDeleted) OR status <> 'deleted'
                 ORDER BY name, slug
                """).map(Tenant.init(row:))
        }
    }

    /// One store by slug, whatever its status.
    public func show(_ context: PlatformContext, slug: String) throws -> Tenant {
        try database.withPlatform(context) { connection in
            try find(connection, slug: slug)
        }
    }

    public func update(_ context: PlatformContext, slug: String, _ changes: Changes) throws -> Tenant {
        var validator = FieldValidator()
        var name: String?
        if let newName = changes.name { name = validator.requiredText("name", newName, maxLength: 200) }
        var domain: String?? = nil
        if let newDomain = changes.domain {
            let cleaned = newDomain.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
            if let cleaned { TenantRules.validateHost("domain", cleaned, into: &validator) }
            domain = .some(cleaned)
        }
        var subdomain: String?? = nil
        if let newSubdomain = changes.subdomain {
            let cleaned = newSubdomain.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
            if let cleaned { TenantRules.validateSubdomain(cleaned, into: &validator) }
            subdomain = .some(cleaned)
        }
        if let plan = changes.plan { validator.oneOf("plan", plan, Tenant.Plan.allCases.map(\.rawValue)) }
        let settings = changes.settings.flatMap { validator.jsonObject("settings", $0) }
        let branding = changes.branding.flatMap { validator.jsonObject("branding", $0) }
        if let branding { TenantService.validateBranding(branding, into: &validator) }
        if changes.isEmpty { validator.fail("changes", "required", "nothing to change: give --name, --domain, --plan, --settings or --branding") }
        try validator.check()

        return try database.withPlatform(context) { connection in
            let before = try find(connection, slug: slug, forUpdate: true)
            if let expected = changes.expectedVersion, expected != before.version {
                throw ConflictError("store '\(slug)' was changed by someone else (version \(before.version), you edited version \(expected)); reload and try again", field: "version")
            }
            var sets: [SQL] = []
            if let name { sets.append("name = \(name)") }
            if let domain { sets.append("domain = \(domain)") }
            if let subdomain { sets.append("subdomain = \(subdomain)") }
            if let plan = changes.plan { sets.append("plan = \(plan)") }
            if let settings { sets.append("settings = \(settings)") }
            if let branding { sets.append("branding = \(branding)") }
            sets.append("version = version + 1")
            let after = try Tenant(row: connection.query("""
                UPDATE tenants SET \(SQL.join(sets, with: ", "))
                 WHERE id = \(before.id) AND version = \(before.version)
                RETURNING \(Tenant.columns)
                """).single())
            try AuditLog.record(connection, tenantID: after.id, actor: context.userID, action: "tenant.updated",
                                entityType: "tenant", entityID: after.id.uuidString.lowercased(),
                                before: before.auditValue, after: after.auditValue)
            return after
        }
    }

    /// suspend: active → suspended; activate: suspended → active; delete: any → deleted (soft);
    /// restore: deleted → active.
    public enum StatusChange: String, Sendable, CaseIterable {
        case suspend, activate, delete, restore

        var target: Tenant.Status {
            switch self {
            case .suspend: .suspended
            case .activate, .restore: .active
            case .delete: .deleted
            }
        }

        /// The audit log's action, in the past tense like the others (`tenant.suspended`).
        var auditAction: String {
            switch self {
            case .suspend: "tenant.suspended"
            case .activate: "tenant.activated"
            case .delete: "tenant.deleted"
            case .restore: "tenant.restored"
            }
        }

        var allowedFrom: Set<Tenant.Status> {
            switch self {
            case .suspend: [.active]
            case .activate: [.suspended]
            case .delete: [.active, .suspended]
            case .restore: [.deleted]
            }
        }
    }

    public func change(_ context: PlatformContext, slug: String, _ change: StatusChange) throws -> Tenant {
        try database.withPlatform(context) { connection in
            let before = try find(connection, slug: slug, forUpdate: true)
            guard change.allowedFrom.contains(before.status) else {
                throw ConflictError("store '\(slug)' is \(before.status.rawValue); \(change.rawValue) applies only to a store that is \(change.allowedFrom.map(\.rawValue).sorted().joined(separator: " or "))", field: "status")
            }
            let deletedAt: SQL = change == .delete ? "now()" : "NULL"
            let after = try Tenant(row: connection.query("""
                UPDATE tenants SET status = \(change.target.rawValue), deleted_at = \(deletedAt), version = version + 1
                 WHERE id = \(before.id)
                RETURNING \(Tenant.columns)
                """).single())
            // Staff sessions stay valid, but `Authenticator.enter` refuses a store that is not active.
            try AuditLog.record(connection, tenantID: after.id, actor: context.userID, action: change.auditAction,
                                entityType: "tenant", entityID: after.id.uuidString.lowercased(),
                                before: .object(["status": .string(before.status.rawValue)]),
                                after: .object(["status": .string(after.status.rawValue)]))
            return after
        }
    }

    /// A store's audit log, for the super admin (newest first, keyset-paginated).
    public func audit(_ context: PlatformContext, slug: String, limit: Int = 50, after cursor: UUID? = nil) throws -> AuditPage {
        try AuditLog.validate(limit: limit)
        return try database.withPlatform(context) { connection in
            let tenant = try find(connection, slug: slug)
            return try AuditLog.page(connection, tenantID: tenant.id, limit: limit, after: cursor)
        }
    }

    // MARK: - Resolution

    /// The active store with this slug or domain (reference: resolution by subdomain/domain), or 404.
    public func resolve(_ slugOrDomain: String) throws -> Tenant {
        let key = slugOrDomain.trimmingCharacters(in: .whitespaces).lowercased()
        return try database.withTransaction { connection in
            let rows = try connection.query("""
                SELECT \(Tenant.columns) FROM tenants
                 WHERE status = 'active' AND (slug = \(key) OR domain = \(key) OR subdomain = \(key))
                 ORDER BY (slug = \(key)) DESC LIMIT 1
                """)
            guard let row = rows.first else { throw NotFoundError("no active store '\(key)'") }
            return try Tenant(row: row)
        }
    }

    // MARK: - Helpers

    func find(_ connection: Connection, slug: String, forUpdate: Bool = false) throws -> Tenant {
        let lock: SQL = forUpdate ? " FOR UPDATE" : ""
        let rows = try connection.query("SELECT \(Tenant.columns) FROM tenants WHERE slug = \(slug)\(lock)")
        guard let row = rows.first else { throw NotFoundError("no store '\(slug)'") }
        return try Tenant(row: row)
    }

    /// Branding the console understands: `accentColor` as `#rrggbb`, `displayName` up to 60 characters.
    static func validateBranding(_ branding: JSONValue, into validator: inout FieldValidator) {
        guard case .object(let members) = branding else { return }
        if let accent = members["accentColor"] {
            let valid: Bool
            if case .string(let text) = accent, text.count == 7, text.hasPrefix("#"),
               text.dropFirst().allSatisfy({ $0.isHexDigit }) {
                valid = true
            } else {
                valid = false
            }
            if !valid { validator.fail("branding.accentColor", "pattern", "branding.accentColor must be a colour like #3366ff") }
        }
        if let display = members["displayName"] {
            if case .string(let text) = display, !text.isEmpty, text.count <= 60 {} else {
                validator.fail("branding.displayName", "length", "branding.displayName must be text of 1 to 60 characters")
            }
        }
    }
}
