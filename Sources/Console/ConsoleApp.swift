import CCurses
import Domain
import Foundation
import Postgres

/// The full-screen console. For now it opens the terminal, shows which database it is connected to and
/// leaves cleanly on `q`; the screens (sign-in, tenant picker, catalog, orders) build on this entry point.
public struct ConsoleApp {
    public let databaseURL: String

    public init(databaseURL: String) {
        self.databaseURL = databaseURL
    }

    public func run() throws {
        let connection = try Connection.connect(databaseURL)
        defer { connection.close() }
        let version: String = try connection.query("SELECT current_setting('server_version') AS v").single().decode("v")
        let lines = [
            "Backoffice",
            "",
            "Connected to \(connection.endpoint) as \(DatabaseRoles.app) (PostgreSQL \(version)).",
            "",
            "Press q to quit.",
        ]
        setlocale(LC_ALL, "")
        guard initscr() != nil else { throw InternalError("cannot initialise the terminal (is TERM set?)") }
        defer { endwin() }
        raw() // Ctrl-C arrives as a key, so leaving always goes through endwin()
        noecho()
        keypad(bo_stdscr(), true)
        curs_set(0)
        while true {
            erase()
            for (row, line) in lines.enumerated() where row < bo_lines() {
                let text = TerminalText.sanitized(line)
                mvaddstr(Int32(row + 1), 2, String(text.prefix(max(0, Int(bo_cols()) - 4))))
            }
            refresh()
            var key: wint_t = 0
            let status = get_wch(&key)
            if status == OK && [wint_t(UInt8(ascii: "q")), wint_t(UInt8(ascii: "Q")), 3].contains(key) { break }
            if status == ERR { break }
        }
    }
}
