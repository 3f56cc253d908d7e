import CCurses
import Domain
import Foundation

/// The terminal while the console owns it (design §5, §6): a UTF-8 locale, ncurses in raw mode (Ctrl-C
/// arrives as a key), no echo, keypad keys, a 25 ms escape delay, no cursor, non-blocking reads. The
/// terminal is restored exactly once by `restore()`, which `deinit` calls too, so normal exits and thrown
/// errors both leave it clean; SIGINT, SIGTERM, SIGHUP and SIGQUIT go to `signalPipe` (see `SignalTrap`)
/// for the loop to handle. SIGWINCH is left to ncurses, which reports `KEY_RESIZE`.
public final class TerminalSession {
    /// Where caught termination signals arrive, one byte (the signal number) each.
    public let signalPipe: WakePipe
    /// The codeset in use (`UTF-8` unless no UTF-8 locale exists at all).
    public let codeset: String
    private var savedModes: termios?
    private var restored = false

    public init() throws {
        codeset = TerminalSession.useUTF8Locale()
        signalPipe = try WakePipe()
        var modes = termios()
        savedModes = tcgetattr(STDIN_FILENO, &modes) == 0 ? modes : nil
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw InternalError("the console needs a terminal on stdin and stdout")
        }
        // newterm rather than initscr: initscr exits the process on failure, newterm returns NULL.
        guard newterm(nil, fdopen(STDOUT_FILENO, "w"), fdopen(STDIN_FILENO, "r")) != nil else {
            throw InternalError("cannot initialise the terminal (is TERM set?)")
        }
        SignalTrap.install(pipe: signalPipe, saved: savedModes)
        raw()
        noecho()
        nonl()
        keypad(bo_stdscr(), true)
        nodelay(bo_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
    }

    deinit { restore() }

    /// Ends ncurses and puts back the modes the terminal had before; only the first call does anything.
    public func restore() {
        guard !restored else { return }
        restored = true
        endwin()
        if var savedModes { _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &savedModes) }
        SignalTrap.uninstall()
    }

    /// `setlocale(LC_ALL, "")`, falling back to `C.UTF-8` when the environment's locale is not UTF-8 (as
    /// over many SSH logins). Returns the codeset in use.
    @discardableResult
    public static func useUTF8Locale() -> String {
        setlocale(LC_ALL, "")
        if isUTF8(currentCodeset()) { return currentCodeset() }
        if setlocale(LC_ALL, "C.UTF-8") == nil { setlocale(LC_ALL, "C.utf8") }
        return currentCodeset()
    }

    static func isUTF8(_ codeset: String) -> Bool {
        let normalized = codeset.lowercased().replacingOccurrences(of: "-", with: "")
        return normalized == "utf8"
    }

    private static func currentCodeset() -> String {
        guard let name = nl_langinfo(nl_item(CODESET)) else { return "" }
        return String(cString: name)
    }
}
