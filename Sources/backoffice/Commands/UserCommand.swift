import ArgumentParser
import Domain
import Foundation

/// `backoffice user …`: accounts and store roles.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create users, grant and revoke store roles, list and disable accounts.",
        subcommands: [Create.self, Grant.self, Revoke.self, List.self, Disable.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (super admins only; the first super admin without signing in, over the owner connection).")
        @Option(help: "Email address (unique, case-insensitive).") var email: String
        @Option(help: "Display name.") var name: String
        @Flag(help: "Make the user a super admin.") var superAdmin = false
        @Flag(help: "Read the password from the first line of stdin instead of prompting.") var passwordStdin = false
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let new = { (password: String) in UserService.NewUser(email: email, name: name, password: password, isSuperAdmin: superAdmin) }
                let user: User
                if environment.sessions.token() == nil {
                    guard superAdmin else {
                        throw UnauthorizedError("not signed in: sign in as a super admin to create users (the first super admin is created with --super-admin)")
                    }
                    let password = try PasswordPrompt.read(fromStdin: passwordStdin, confirm: !passwordStdin)
                    let owner = Database(url: try environment.configuration.ownerURL(), maxConnections: 1)
                    defer { owner.close() }
                    user = try UserService.bootstrapSuperAdmin(ownerDatabase: owner, new(password))
                } else {
                    let context = try environment.platform()
                    let password = try PasswordPrompt.read(fromStdin: passwordStdin, confirm: !passwordStdin)
                    user = try environment.users.create(context, new(password))
                }
                return (user, "created \(user.email)\(user.isSuperAdmin ? " (super admin)" : "")")
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a role in a store (or change it).")
        @Option(help: "The user's email.") var email: String
        @Option(help: "The store's slug.") var tenant: String
        @Option(help: "Role slug: owner, manager, staff, fulfilment, or one of the store's own.") var role: String
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let member = try environment.inStore(
                    tenant,
                    asPlatform: { try environment.users.grant($0, email: email, tenantSlug: tenant, role: role) },
                    asMember: { try environment.users.grant($0, email: email, role: role) })
                return (member, "\(member.email) is \(member.role ?? role) in \(tenant)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user from a store.")
        @Option(help: "The user's email.") var email: String
        @Option(help: "The store's slug.") var tenant: String
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                try environment.inStore(
                    tenant,
                    asPlatform: { try environment.users.revoke($0, email: email, tenantSlug: tenant) },
                    asMember: { try environment.users.revoke($0, email: email) })
                return (["email": email, "tenant": tenant], "\(email) no longer works in \(tenant)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the platform's users (super admins) or a store's members.")
        @Option(help: "Only the members of this store (required unless you are a super admin).") var tenant: String?
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let user = try environment.currentUser()
                let users: [User]
                if user.isSuperAdmin {
                    users = try environment.users.list(try environment.authenticator.platform(user), tenantSlug: tenant)
                } else {
                    guard let tenant else {
                        throw ValidationError(issues: [FieldIssue(field: "tenant", rule: "required", message: "--tenant is required: name the store whose members to list")])
                    }
                    users = try environment.users.list(try environment.authenticator.enter(tenant, user: user))
                }
                var table = TextTable("EMAIL", "NAME", tenant == nil ? "KIND" : "ROLE", "STATE")
                for listed in users {
                    let kind = listed.role ?? (listed.isSuperAdmin ? "super admin" : "user")
                    table.add(listed.email, listed.name, kind, listed.disabled ? "disabled" : "active")
                }
                return (users, table.text)
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions (super admins only).")
        @Option(help: "The user's email.") var email: String
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let user = try environment.users.disable(try environment.platform(), email: email)
                return (user, "disabled \(user.email); their sessions are revoked")
            }
        }
    }
}
