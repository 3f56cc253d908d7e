import Domain
import Foundation

/// Where the CLI keeps its session token between commands: `${XDG_CONFIG_HOME:-~/.config}/backoffice/session`,
/// a 0600 file in a 0700 directory. `BACKOFFICE_TOKEN`, when set, is used instead of the file.
struct SessionStore {
    let environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    var directory: String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/backoffice" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/backoffice"
    }

    var path: String { directory + "/session" }

    /// The token to use: `BACKOFFICE_TOKEN`, else the stored one, else nil.
    func token() -> String? {
        if let token = environment["BACKOFFICE_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return token
        }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// Stores a token, readable by this user only.
    func save(_ token: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        _ = chmod(directory, 0o700)
        // Create the file 0600 before the token is written into it, so it is never readable by others.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw InternalError("cannot write the session file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        _ = fchmod(descriptor, 0o600)
        let bytes = Array((token + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else {
            throw InternalError("cannot write the session file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Forgets the stored token (not `BACKOFFICE_TOKEN`, which belongs to the caller's environment).
    func clear() {
        _ = unlink(path)
    }
}
