import Domain
import Foundation

/// Reads a password for `login` and `user create`: the first line of stdin with `--password-stdin`
/// (scripts), otherwise a prompt on the terminal with echo turned off (restored even on Ctrl-C's way out).
enum PasswordPrompt {
    static func read(fromStdin: Bool, prompt: String = "Password: ", confirm: Bool = false) throws -> String {
        if fromStdin {
            guard let line = Swift.readLine(strippingNewline: true) else {
                throw ValidationError(issues: [FieldIssue(field: "password", rule: "required", message: "--password-stdin: stdin was empty")])
            }
            return line
        }
        let first = try fromTerminal(prompt)
        if confirm {
            let second = try fromTerminal("Repeat the password: ")
            guard first == second else {
                throw ValidationError(issues: [FieldIssue(field: "password", rule: "confirmation", message: "the two passwords differ")])
            }
        }
        return first
    }

    private static func fromTerminal(_ prompt: String) throws -> String {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else {
            throw ValidationError(issues: [FieldIssue(field: "password", rule: "required", message: "no terminal to ask for the password on: pass it with --password-stdin")])
        }
        defer { close(tty) }
        var saved = termios()
        let isTerminal = tcgetattr(tty, &saved) == 0
        if isTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(tty, TCSAFLUSH, &silent)
        }
        defer { if isTerminal { _ = tcsetattr(tty, TCSAFLUSH, &saved) } }
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Foundation.read(tty, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
