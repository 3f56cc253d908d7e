import Domain
import Foundation
import Postgres
import Testing

/// Runs the real `backoffice` executable (built beside the test bundle) against a test database, with
/// its own config directory (sessions) and its own 0600 master key file (created, then rotated once, so
/// the newer key seals), the way a user's shell would.
struct BackofficeCLI {
    let environment: [String: String]
    let configDirectory: String

    init(_ db: TestDatabase) throws {
        configDirectory = NSTemporaryDirectory() + "bo-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let keyDirectory = configDirectory + "/keys"
        _ = try MasterKeyring.loadOrCreateDefault(dataDirectory: keyDirectory)
        let keyFile = keyDirectory + "/" + MasterKeyring.defaultFileName
        try MasterKeyring.appendNewKey(path: keyFile)
        environment = [
            "BACKOFFICE_DATABASE_URL": try db.appConninfo,
            "BACKOFFICE_OWNER_DATABASE_URL": try db.ownerConninfo,
            MasterKeyring.keyFileVariable: keyFile,
            "XDG_CONFIG_HOME": configDirectory,
            "HOME": configDirectory,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }

    /// swift-testing on Linux runs `<build dir>/BackofficePackageTests.xctest`; the executable is beside it.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("backoffice").path
    }

    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// One run: exit status, both streams, and stdout read as the JSON envelope.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The envelope as Foundation objects (empty when stdout is not JSON).
        var envelope: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        }

        /// The envelope's `data` object as Foundation objects.
        var data: [String: Any] { envelope["data"] as? [String: Any] ?? [:] }

        /// The envelope as a `JSONValue` (null when stdout is not JSON).
        var json: JSONValue { (try? JSONValue(parsing: stdout)) ?? .null }
        var jsonData: JSONValue { json["data"] ?? .null }
        var statusCode: Int64? { if case .integer(let code)? = json["statusCode"] { code } else { nil } }
        var succeeded: Bool { status == 0 && json["success"] == .bool(true) }
        /// `field.rule` of each issue in the envelope.
        var issues: [String] {
            guard case .array(let items)? = json["issues"] else { return [] }
            return items.compactMap { item in
                guard case .string(let field)? = item["field"], case .string(let rule)? = item["rule"] else { return nil }
                return "\(field).\(rule)"
            }
        }
    }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil, extra: [String: String] = [:]) throws -> Result {
        try run(arguments, stdin: stdin, extra: extra)
    }

    func run(_ arguments: [String], stdin: String? = nil, extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BackofficeCLI.binary)
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Both pipes at once, so a large stderr cannot stall the child while stdout is read.
        let errorData = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.set(errors.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: errorData.get(), as: UTF8.self))
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }

    /// Signs in (the session lands in this CLI's config directory).
    func login(_ email: String, password: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run("login", "--email", email, "--password-stdin", stdin: password + "\n")
        #expect(result.status == 0, "login \(email): \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// Writes `text` to a file in the config directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = configDirectory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: configDirectory) }
}
