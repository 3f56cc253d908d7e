import ArgumentParser
import Console
import Domain

/// `backoffice` with no command: ensures the database and opens the console.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Open the full-screen console (the default).")

    func run() throws {
        try CommandOutput(json: false).run {
            let configuration = try DatabaseConfiguration.fromEnvironment()
            try DatabaseAdministration(configuration: configuration).start()
            try ConsoleApp(databaseURL: try configuration.appURL()).run()
            return ([String: String](), "")
        }
    }
}
