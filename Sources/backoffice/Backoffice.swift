import ArgumentParser

/// The `backoffice` command: the console when run bare, scripted commands otherwise.
@main
struct Backoffice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backoffice",
        abstract: "The back-office console of a multi-tenant digital-commerce platform.",
        discussion: """
            Run without a command to open the full-screen console. With no database configured, an embedded \
            PostgreSQL cluster is created in BACKOFFICE_DATA_DIR (default ~/.local/share/backoffice) and started.

            Environment: BACKOFFICE_DATABASE_URL (app role), BACKOFFICE_OWNER_DATABASE_URL (migrations), \
            BACKOFFICE_DATA_DIR (embedded cluster), BACKOFFICE_PG_BIN (PostgreSQL programs), \
            BACKOFFICE_TOKEN (a session token instead of the one `login` stores).
            """,
        subcommands: [ConsoleCommand.self, DatabaseCommand.self, LoginCommand.self, LogoutCommand.self, WhoAmICommand.self,
                      TenantCommand.self, UserCommand.self, AuditCommand.self, ProductTypeCommand.self, ProductCommand.self,
                      VariantCommand.self, KeysCommand.self, OrderCommand.self, DeliveryCommand.self, DemoCommand.self],
        defaultSubcommand: ConsoleCommand.self
    )
}
