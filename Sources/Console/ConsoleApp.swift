import CCurses
import Domain
import Foundation
import Postgres

/// The full-screen console. For now it opens the terminal through the runtime (`TerminalSession`,
/// `EventLoop`), shows a placeholder home screen and leaves cleanly on `q` or Ctrl-C; the screens
/// (sign-in, tenant picker, catalog, orders) build on this entry point.
public struct ConsoleApp {
    public let databaseURL: String

    public init(databaseURL: String) {
        self.databaseURL = databaseURL
    }

    /// Runs until the user quits. On SIGINT, SIGTERM, SIGHUP or SIGQUIT it restores the terminal and exits
    /// the process with 128 + signal.
    public func run() throws {
        let log = ConsoleLog()
        let connection = try Connection.connect(databaseURL)
        defer { connection.close() }
        let session = try TerminalSession()
        defer { session.restore() }
        let terminal = NcursesTerminal()
        let (theme, warning) = ThemeSelection.resolve(
            argument: nil, environment: ProcessInfo.processInfo.environment,
            terminalColors: Int(bo_colors()), settings: nil)
        log.write("console started: \(connection.endpoint), theme \(theme.name), codeset \(session.codeset), size \(terminal.size.width)x\(terminal.size.height)")
        if let warning { log.write(warning) }
        var home = HomeScreen(endpoint: connection.endpoint, theme: theme, warning: warning)
        let loop = try EventLoop<HomeScreen.Message>(signalPipe: session.signalPipe)
        let exit = loop.run(&home, on: terminal)
        session.restore()
        log.write("console stopped: \(exit)")
        if case .signal(let signal) = exit {
            connection.close()
            Foundation.exit(128 + signal)
        }
    }
}

/// The placeholder home screen: what the console is connected to, the theme, how to leave.
struct HomeScreen: Program {
    enum Message: Sendable {}

    let endpoint: String
    let theme: Theme
    let warning: String?

    mutating func update(_ event: Event<Message>) -> Command<Message>? {
        switch event {
        case .key(.character("q")), .key(.character("Q")), .key(.control("c")):
            return .quit
        default:
            return nil
        }
    }

    func view(into canvas: inout some Canvas) {
        let size = canvas.size
        canvas.fill(canvas.bounds, style: theme.style(.normal))
        canvas.fill(Rect(x: 0, y: 0, width: size.width, height: 1), style: theme.style(.header))
        canvas.put(" Backoffice", x: 0, y: 0, style: theme.style(.header))
        let lines: [(String, ThemeRole)] = [
            ("Home", .title),
            ("", .normal),
            ("connected to \(DisplayWidth.truncate(endpoint, to: max(1, size.width - 4 - 17 - DatabaseRoles.app.count))) as \(DatabaseRoles.app)", .normal),
            ("theme: \(theme.name)", .muted),
            ("", .normal),
            ("q or Ctrl-C to quit", .normal),
        ] + (warning.map { [("", .normal), ($0, .warning)] } ?? [])
        for (row, (text, role)) in lines.enumerated() where row + 2 < size.height - 1 {
            canvas.put(TerminalText.sanitized(text), x: 2, y: row + 2, style: theme.style(role), maxWidth: max(0, size.width - 4))
        }
        if size.height > 1 {
            let status = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
            canvas.fill(status, style: theme.style(.statusBar))
            canvas.put(" q quit · \(size.width)x\(size.height)", x: 0, y: size.height - 1, style: theme.style(.statusBarAccent))
        }
    }
}
