import CCurses
import Domain
import Foundation
import Postgres

/// The full-screen console: opens the terminal through the runtime (`TerminalSession`, `EventLoop`),
/// runs the `ConsoleShell` over the Domain services, listens for live changes on the LISTEN socket, and
/// restores the terminal however it ends.
public struct ConsoleApp {
    public let services: ConsoleServices
    /// `--theme`, which wins over `BACKOFFICE_THEME` and the settings.
    public let themeArgument: String?

    public init(services: ConsoleServices, themeArgument: String? = nil) {
        self.services = services
        self.themeArgument = themeArgument
    }

    /// Runs until the user quits. On SIGINT, SIGTERM, SIGHUP or SIGQUIT it restores the terminal and exits
    /// the process with 128 + signal.
    public func run() throws {
        let log = ConsoleLog()
        let session = try TerminalSession()
        defer { session.restore() }
        let terminal = NcursesTerminal()
        let environment = ProcessInfo.processInfo.environment
        let settingsPath = ConsoleSettings.path(environment)
        let (settings, settingsWarning) = ConsoleSettings.load(path: settingsPath)
        var (theme, warning) = ThemeSelection.resolve(
            argument: themeArgument, environment: environment, terminalColors: Int(bo_colors()), settings: settings.theme)
        if let settingsWarning { warning = [settingsWarning, warning].compactMap { $0 }.joined(separator: " ") }
        log.write("console started: theme \(theme.name), codeset \(session.codeset), size \(terminal.size.width)x\(terminal.size.height)")
        if let warning { log.write(warning) }
        let loop = try EventLoop<ShellMessage>(signalPipe: session.signalPipe)
        let feed = LiveChangeFeed(url: services.listenURL, log: log, post: loop.poster)
        loop.watch(feed.source())
        feed.start()
        defer { feed.stop() }
        var shell = ConsoleShell(services: services, theme: theme, warning: warning,
                                 appearance: Appearance(environment: environment, terminalColors: Int(bo_colors()), settingsPath: settingsPath))
        let exit = loop.run(&shell, on: terminal)
        session.restore()
        giveBack(shell.heldClaims, log: log)
        if let token = shell.session?.token { revoke(token, log: log) }
        log.write("console stopped: \(exit)")
        if case .signal(let signal) = exit {
            feed.stop()
            Foundation.exit(128 + signal)
        }
    }

    /// Claims left unfinished go back to the queue for other clerks (waiting at most two seconds).
    private func giveBack(_ claims: [(store: TenantContext, delivery: UUID)], log: ConsoleLog) {
        guard !claims.isEmpty else { return }
        let done = DispatchSemaphore(value: 0)
        let services = self.services
        Thread.detachNewThread {
            for (store, id) in claims {
                do {
                    _ = try services.deliveries().release(store, id: id)
                    log.write("claim on delivery \(id.uuidString.lowercased()) given back")
                } catch {
                    log.write("could not give back the claim on \(id.uuidString.lowercased()): \(ConsoleFailure(error).message)")
                }
            }
            done.signal()
        }
        if done.wait(timeout: .now() + 2) == .timedOut { log.write("could not give back claims: the database did not answer in 2 s") }
    }

    /// The console's sign-in ends with the console (on quit and on signals alike): its session is
    /// revoked, waiting at most two seconds for the database.
    private func revoke(_ token: String, log: ConsoleLog) {
        let done = DispatchSemaphore(value: 0)
        let services = self.services
        Thread.detachNewThread {
            do {
                try services.authenticator.signOut(token: token)
                log.write("session revoked")
            } catch {
                log.write("could not revoke the session: \(ConsoleFailure(error).message)")
            }
            done.signal()
        }
        if done.wait(timeout: .now() + 2) == .timedOut { log.write("could not revoke the session: the database did not answer in 2 s") }
    }
}
