import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice tenant …`: the platform's stores.
struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list, show, update, suspend, activate, delete and restore stores.",
        subcommands: [Create.self, List.self, Show.self, Update.self, Suspend.self, Activate.self, Delete.self, Restore.self])

    static func describe(_ tenant: Tenant) -> String {
        var lines = [
            "\(tenant.name) (\(tenant.slug))",
            "status: \(tenant.status.rawValue)", "plan: \(tenant.plan.rawValue)",
        ]
        if let domain = tenant.domain { lines.append("domain: \(domain)") }
        if let subdomain = tenant.subdomain { lines.append("subdomain: \(subdomain)") }
        lines.append("settings: \(tenant.settings.jsonText)")
        lines.append("branding: \(tenant.branding.jsonText)")
        lines.append("version: \(tenant.version)")
        return lines.joined(separator: "\n")
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a store with its owner, manager, staff and fulfilment roles (super admins).")
        @Option(help: "3–63 lowercase letters, digits and hyphens.") var slug: String
        @Option(help: "The store's name.") var name: String
        @Option(help: "The store's own domain, e.g. shop.example.com.") var domain: String?
        @Option(help: "free, basic, pro or enterprise.") var plan: String = "free"
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let tenant = try environment.tenants.create(try environment.platform(),
                                                            .init(slug: slug, name: name, domain: domain, plan: plan))
                return (tenant, "created store \(tenant.slug) (\(tenant.name))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stores: all of them for a super admin, your own otherwise.")
        @Flag(help: "Include deleted stores (super admins).") var includeDeleted = false
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let user = try environment.currentUser()
                if user.isSuperAdmin {
                    let tenants = try environment.tenants.list(try environment.authenticator.platform(user), includeDeleted: includeDeleted)
                    var table = TextTable("SLUG", "NAME", "STATUS", "PLAN", "DOMAIN")
                    for tenant in tenants {
                        table.add(tenant.slug, tenant.name, tenant.status.rawValue, tenant.plan.rawValue, tenant.domain ?? "")
                    }
                    return (TenantListing.all(tenants), table.text)
                }
                let stores = try environment.authenticator.memberships(of: user)
                var table = TextTable("SLUG", "NAME", "ROLE")
                for store in stores { table.add(store.slug, store.name, store.role) }
                return (TenantListing.member(stores), table.text)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one store.")
        @Argument(help: "The store's slug.") var slug: String
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let tenant = try environment.inStore(
                    slug,
                    asPlatform: { try environment.tenants.show($0, slug: slug) },
                    asMember: { _ in try environment.tenants.resolve(slug) })
                return (tenant, TenantCommand.describe(tenant))
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a store's name, domain, plan, settings or branding (super admins).")
        @Argument(help: "The store's slug.") var slug: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New domain (an empty string clears it).") var domain: String?
        @Option(help: "free, basic, pro or enterprise.") var plan: String?
        @Option(help: "Settings as a JSON object (replaces the current settings).") var settings: String?
        @Option(help: ##"Branding as a JSON object, e.g. {"accentColor":"#3366ff","displayName":"Acme"}."##) var branding: String?
        @Option(help: "Apply only if the store is still at this version (else 409).") var expectVersion: Int?
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let changes = TenantService.Changes(
                    name: name, domain: domain.map { Optional($0) }, plan: plan, settings: settings, branding: branding,
                    expectedVersion: expectVersion)
                let tenant = try environment.tenants.update(try environment.platform(), slug: slug, changes)
                return (tenant, "updated store \(tenant.slug) (version \(tenant.version))")
            }
        }
    }

    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend a store: its staff can no longer enter it.")
        @Argument(help: "The store's slug.") var slug: String
        @OptionGroup var options: OutputOptions
        func run() throws { try TenantCommand.changeStatus(slug, .suspend, options) }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reactivate a suspended store.")
        @Argument(help: "The store's slug.") var slug: String
        @OptionGroup var options: OutputOptions
        func run() throws { try TenantCommand.changeStatus(slug, .activate, options) }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Soft-delete a store (restore undoes it).")
        @Argument(help: "The store's slug.") var slug: String
        @OptionGroup var options: OutputOptions
        func run() throws { try TenantCommand.changeStatus(slug, .delete, options) }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restore a deleted store.")
        @Argument(help: "The store's slug.") var slug: String
        @OptionGroup var options: OutputOptions
        func run() throws { try TenantCommand.changeStatus(slug, .restore, options) }
    }

    static func changeStatus(_ slug: String, _ change: TenantService.StatusChange, _ options: OutputOptions) throws {
        try options.output.run {
            let environment = try CommandEnvironment.open()
            let tenant = try environment.tenants.change(try environment.platform(), slug: slug, change)
            return (tenant, "store \(tenant.slug) is now \(tenant.status.rawValue)")
        }
    }
}

/// `tenant list`'s data: full stores for a super admin, memberships for staff.
enum TenantListing: Encodable {
    case all([Tenant])
    case member([Membership])

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .all(let tenants): try tenants.encode(to: encoder)
        case .member(let stores): try stores.encode(to: encoder)
        }
    }
}
