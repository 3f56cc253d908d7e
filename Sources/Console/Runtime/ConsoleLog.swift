import Domain
import Foundation

/// The console's log: lines appended to `console.log` in `DatabaseConfiguration.stateDirectory()`, never
/// the screen. Failing to open the file only loses the log.
public final class ConsoleLog: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private let handle: FileHandle?

    public init(directory: String = DatabaseConfiguration.stateDirectory()) {
        path = directory + "/console.log"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
    }

    deinit { try? handle?.close() }

    public func write(_ message: String) {
        let line = "\(Date().ISO8601Format()) [\(getpid())] \(message)\n"
        lock.lock()
        defer { lock.unlock() }
        try? handle?.write(contentsOf: Data(line.utf8))
    }
}
