import Foundation
import Postgres

/// A store on the platform (the reference's `tenants` row). Global: readable without a tenant set, so
/// a slug or domain can be resolved before anyone enters the store.
public struct Tenant: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case active, suspended, deleted
    }

    public enum Plan: String, Sendable, Codable, CaseIterable {
        case free, basic, pro, enterprise
    }

    public var id: UUID
    public var slug: String
    public var name: String
    public var domain: String?
    public var subdomain: String?
    public var status: Status
    public var plan: Plan
    public var settings: JSONValue
    /// How the console shows the store: `accentColor`, `displayName`.
    public var branding: JSONValue
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    /// The columns `init(row:)` reads, for SELECT lists.
    static let columns: SQL = "id, slug, name, domain, subdomain, status, plan, settings, branding, version, created_at, updated_at, deleted_at"

    init(row: Row) throws {
        id = try row.decode("id")
        slug = try row.decode("slug")
        name = try row.decode("name")
        domain = try row.decode("domain")
        subdomain = try row.decode("subdomain")
        let statusText: String = try row.decode("status")
        status = Status(rawValue: statusText) ?? .suspended
        let planText: String = try row.decode("plan")
        plan = Plan(rawValue: planText) ?? .free
        settings = try row.decode("settings")
        branding = try row.decode("branding")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
        deletedAt = try row.decode("deleted_at")
    }

    /// What the audit log records of a tenant.
    var auditValue: JSONValue {
        .object([
            "slug": .string(slug), "name": .string(name),
            "domain": domain.map(JSONValue.string) ?? .null, "subdomain": subdomain.map(JSONValue.string) ?? .null,
            "status": .string(status.rawValue), "plan": .string(plan.rawValue),
            "settings": settings, "branding": branding, "version": .integer(Int64(version)),
        ])
    }
}

/// The rules for a store's slug, domain and subdomain (reference: TenantService).
enum TenantRules {
    /// Slugs that would collide with the platform's own names.
    static let reservedSlugs: Set<String> = [
        "admin", "api", "www", "app", "mail", "ftp", "static", "assets", "cdn", "help", "support", "status",
        "billing", "root", "system", "platform", "backoffice", "login", "auth", "dashboard", "docs", "blog",
    ]

    static func validateSlug(_ slug: String, into validator: inout FieldValidator) {
        let allowed = slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if slug.count < 3 || slug.count > 63 {
            validator.fail("slug", "length", "slug must be 3 to 63 characters (got \(slug.count))")
        } else if !allowed {
            validator.fail("slug", "pattern", "slug may contain only lowercase letters, digits and hyphens")
        } else if slug.hasPrefix("-") || slug.hasSuffix("-") {
            validator.fail("slug", "pattern", "slug must not start or end with a hyphen")
        } else if reservedSlugs.contains(slug) {
            validator.fail("slug", "reserved", "slug '\(slug)' is reserved by the platform")
        }
    }

    /// A host name: labels of letters, digits and hyphens separated by dots, lowercased, at most 253.
    static func validateHost(_ field: String, _ host: String, into validator: inout FieldValidator) {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid = host.count <= 253 && labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
        if !valid {
            validator.fail(field, "hostname", "\(field) must be a host name like shop.example.com (lowercase letters, digits, hyphens, dots)")
        }
    }

    static func validateSubdomain(_ subdomain: String, into validator: inout FieldValidator) {
        let valid = subdomain.count >= 1 && subdomain.count <= 63 && !subdomain.hasPrefix("-") && !subdomain.hasSuffix("-")
            && subdomain.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if !valid {
            validator.fail("subdomain", "pattern", "subdomain must be one label of lowercase letters, digits and hyphens")
        } else if reservedSlugs.contains(subdomain) {
            validator.fail("subdomain", "reserved", "subdomain '\(subdomain)' is reserved by the platform")
        }
    }
}

extension Tenant {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeCanonical(id, forKey: .id)
        try container.encode(slug, forKey: .slug)
        try container.encode(name, forKey: .name)
        try container.encode(domain, forKey: .domain)
        try container.encode(subdomain, forKey: .subdomain)
        try container.encode(status, forKey: .status)
        try container.encode(plan, forKey: .plan)
        try container.encode(settings, forKey: .settings)
        try container.encode(branding, forKey: .branding)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(deletedAt, forKey: .deletedAt)
    }
}
