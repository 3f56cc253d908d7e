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
            BACKOFFICE_DATA_DIR (embedded cluster), BACKOFFICE_PG_BIN (PostgreSQL programs).
            """,
        subcommands: [ConsoleCommand.self, DatabaseCommand.self],
        defaultSubcommand: ConsoleCommand.self
    )
}
