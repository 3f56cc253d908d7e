import Domain
import Foundation

/// The console's own settings, kept per user in `${XDG_CONFIG_HOME:-~/.config}/backoffice/console.json`
/// (0600): for now the theme chosen from the palette, which `ThemeSelection` uses after `--theme` and
/// `BACKOFFICE_THEME`. A missing file is no settings; a broken one is reported and ignored, never fatal.
public struct ConsoleSettings: Sendable, Equatable, Codable {
    public var theme: String?

    public init(theme: String? = nil) {
        self.theme = theme
    }

    /// Where the settings live for this environment.
    public static func path(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        }
        return base + "/backoffice/console.json"
    }

    /// Reads the file: no file is empty settings; a broken file gives empty settings and a warning.
    public static func load(path: String) -> (settings: ConsoleSettings, warning: String?) {
        guard let data = FileManager.default.contents(atPath: path) else { return (ConsoleSettings(), nil) }
        do {
            return (try JSONDecoder().decode(ConsoleSettings.self, from: data), nil)
        } catch {
            return (ConsoleSettings(), "Settings file \(path) is not valid JSON ({\"theme\": \"light\"}); ignoring it.")
        }
    }

    /// Writes the file (0600) atomically, creating its directory (0700).
    public func save(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: try encoder.encode(self) + Data("\n".utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ConsoleFailure(statusCode: 500, message: "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ConsoleFailure(statusCode: 500, message: "cannot save settings to \(path): \(reason)")
        }
    }
}
