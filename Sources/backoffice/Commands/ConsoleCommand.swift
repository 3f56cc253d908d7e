import ArgumentParser
import Console
import Domain
import Foundation

/// `backoffice` with no command: ensures the database and opens the console.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Open the full-screen console (the default).")

    @Option(help: "The colour theme: default, light, high-contrast, mono, or a theme file's path (wins over BACKOFFICE_THEME).")
    var theme: String?

    func run() throws {
        try CommandOutput(json: false).run {
            let configuration = try DatabaseConfiguration.fromEnvironment()
            try DatabaseAdministration(configuration: configuration).start()
            let environment = ProcessInfo.processInfo.environment
            let dataDirectory: String? = if case .embedded(let cluster) = configuration { cluster.directory } else { nil }
            let services = ConsoleServices(
                databaseURL: try configuration.appURL(), ownerDatabaseURL: try? configuration.ownerURL(),
                claimTimeout: try CommandEnvironment.claimTimeout(environment), hooks: CommandEnvironment.hooks,
                secretBox: { SecretBox(keyring: try MasterKeyring.fromEnvironment(environment, embeddedDataDirectory: dataDirectory)) })
            try ConsoleApp(services: services, themeArgument: theme).run()
            return ([String: String](), "")
        }
    }
}
