import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the key vault: a key file that is missing, unsafe or malformed, an unknown key id, or a
/// sealed secret that fails authentication. Messages name files, lines and key ids, never key material
/// or plaintext.
public struct KeyVaultError: AppError, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The key file or environment is wrong (missing, unsafe permissions, malformed, duplicate ids).
        case configuration
        /// A ciphertext names a master key the ring does not hold.
        case unknownKey
        /// A ciphertext is tampered with, truncated, or bound to another tenant or purpose.
        case authenticationFailed
    }

    public var statusCode: Int { 500 }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// The master keys that seal secrets at rest (design §3): one or more 256-bit AES keys, each with a
/// short id that is stored beside every ciphertext (`license_keys.key_id`).
///
/// Rotation: the LAST key seals, every key opens. To rotate, append a new key
/// (``appendNewKey(path:)``), restart, and keep the old keys in the file until nothing sealed under them
/// is left. The FIRST (oldest) key also roots the lookup-hash subkey (see ``SecretBox``), so it must stay
/// in the ring for as long as stored lookup hashes are in use.
///
/// The key file holds one key per line, `<id>:<64 hex characters>` (or base64 of the 32 bytes), with
/// `#` comment lines and blank lines ignored; it must be mode 0600 or stricter.
///
/// Never printable: `description`, `debugDescription` and reflection show ids only.
public struct MasterKeyring: Sendable {
    /// One master key. The bytes are never exposed.
    struct Entry: @unchecked Sendable {
        // SymmetricKey is an immutable value over SecureBytes (zeroed on release); swift-crypto 3.x
        // predates Sendable annotations, hence the unchecked conformance.
        let id: String
        let key: SymmetricKey
    }

    /// Oldest first; the last entry seals.
    let entries: [Entry]

    /// The environment variable that names a key file.
    public static let keyFileVariable = "BACKOFFICE_MASTER_KEY_FILE"
    /// The embedded default's file name inside the data directory.
    public static let defaultFileName = "master.key"

    /// The key ids, oldest first.
    public var keyIDs: [String] { entries.map(\.id) }
    /// The id of the key that seals new secrets (the newest).
    public var currentKeyID: String { entries[entries.count - 1].id }
    /// The id of the key that roots lookup hashes (the oldest).
    public var lookupRootKeyID: String { entries[0].id }

    /// A ring of the given keys, oldest first (each exactly 32 bytes, ids unique and well formed).
    public init(keys: [(id: String, material: Data)]) throws {
        guard !keys.isEmpty else {
            throw KeyVaultError(.configuration, "a master keyring needs at least one key")
        }
        var seen = Set<String>()
        var entries: [Entry] = []
        for (index, key) in keys.enumerated() {
            guard Self.isValidID(key.id) else {
                throw KeyVaultError(.configuration, "master key \(index + 1): \(Self.idRule)")
            }
            guard seen.insert(key.id).inserted else {
                throw KeyVaultError(.configuration, "master key \(index + 1): duplicate key id '\(key.id)'")
            }
            guard key.material.count == 32 else {
                throw KeyVaultError(.configuration, "master key '\(key.id)' must be 32 bytes (256 bits)")
            }
            entries.append(Entry(id: key.id, key: SymmetricKey(data: key.material)))
        }
        self.entries = entries
    }

    private init(entries: [Entry]) {
        self.entries = entries
    }

    /// A ring of one freshly generated key.
    public static func generate(id: String? = nil) throws -> MasterKeyring {
        let key = SymmetricKey(size: .bits256)
        let id = id ?? Self.defaultID(for: key)
        guard isValidID(id) else { throw KeyVaultError(.configuration, "master key: \(idRule)") }
        return MasterKeyring(entries: [Entry(id: id, key: key)])
    }

    /// This ring with a freshly generated key appended, which becomes the sealing key; the older keys
    /// still open. In memory only: to rotate a key file, use ``appendNewKey(path:)``.
    public func rotated(addingNewKey id: String? = nil) throws -> MasterKeyring {
        var key = SymmetricKey(size: .bits256)
        var newID = id ?? Self.defaultID(for: key)
        while id == nil && keyIDs.contains(newID) {  // a 32-bit id collision: draw again
            key = SymmetricKey(size: .bits256)
            newID = Self.defaultID(for: key)
        }
        guard Self.isValidID(newID) else { throw KeyVaultError(.configuration, "master key: \(Self.idRule)") }
        guard !keyIDs.contains(newID) else {
            throw KeyVaultError(.configuration, "the keyring already holds a key with id '\(newID)'")
        }
        return MasterKeyring(entries: entries + [Entry(id: newID, key: key)])
    }

    func key(id: String) -> SymmetricKey? {
        entries.first(where: { $0.id == id })?.key
    }

    var sealingKey: Entry { entries[entries.count - 1] }
    var lookupRootKey: SymmetricKey { entries[0].key }

    // MARK: - Loading

    /// Reads a key file: one `<id>:<64 hex characters or base64>` per line, `#` comments allowed, the
    /// last key seals. Refuses a file that group or others may read or write, malformed lines, duplicate
    /// ids and a file without keys; errors name the file and line, never the key material.
    public static func load(path: String) throws -> MasterKeyring {
        let fd = try openKeyFile(path, flags: O_RDONLY)
        defer { close(fd) }
        return try parse(readAll(fd, path: path), path: path)
    }

    /// The embedded default: `<dataDirectory>/master.key`, generated on first use (32 bytes from the
    /// system CSPRNG, written 0600). Creation is atomic and exclusive: the key is written to a private
    /// temporary file created with `O_CREAT|O_EXCL`, then hard-linked into place, which fails if another
    /// process got there first; the loser reads the winner's file, so no reader sees a half-written key.
    public static func loadOrCreateDefault(dataDirectory: String) throws -> MasterKeyring {
        let path = (dataDirectory as NSString).appendingPathComponent(defaultFileName)
        if access(path, F_OK) == 0 {
            return try load(path: path)
        }
        try ensureDirectory(dataDirectory)
        let ring = try generate()
        let contents = fileHeader + line(for: ring.entries[0])
        try createExclusively(path: path, contents: contents)
        return try load(path: path)
    }

    /// `BACKOFFICE_MASTER_KEY_FILE` when set; else, for the embedded cluster, the default key file in its
    /// data directory; else an error (configured servers have no default key).
    public static func fromEnvironment(_ env: [String: String], embeddedDataDirectory: String?) throws -> MasterKeyring {
        if let file = env[keyFileVariable], !file.isEmpty {
            return try load(path: file)
        }
        if let directory = embeddedDataDirectory {
            return try loadOrCreateDefault(dataDirectory: directory)
        }
        throw KeyVaultError(.configuration, "\(keyFileVariable) is not set: with a configured database server there is no default master key; create a key file (mode 0600) with `<id>:<64 hex characters>` and point \(keyFileVariable) at it")
    }

    /// Rotation: appends a freshly generated key to the key file (which then seals; the older keys still
    /// open) and returns its id. The file is checked like ``load(path:)`` first and locked while written.
    @discardableResult
    public static func appendNewKey(path: String) throws -> String {
        let fd = try openKeyFile(path, flags: O_RDWR | O_APPEND)
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else {
            throw KeyVaultError(.configuration, "cannot lock master key file \(path): \(errnoText())")
        }
        defer { _ = flock(fd, LOCK_UN) }
        let existing = try readAll(fd, path: path)
        let rotated = try parse(existing, path: path).rotated()
        var text = line(for: rotated.sealingKey)
        if let last = existing.last, last != UInt8(ascii: "\n") { text = "\n" + text }
        try writeAll(fd, Array(text.utf8), path: path)
        guard fsync(fd) == 0 else {
            throw KeyVaultError(.configuration, "cannot sync master key file \(path): \(errnoText())")
        }
        return rotated.currentKeyID
    }

    // MARK: - File format

    static let idRule = "a key id is 1 to 32 letters, digits, '.', '_' or '-'"
    static let fileHeader = """
        # backoffice master keys: one `<id>:<64 hex characters>` per line; the LAST line seals new secrets,
        # every line opens. Keep this file mode 0600 and back it up: without it sealed secrets are lost.

        """

    static func isValidID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    /// The first 8 hex characters of SHA-256 of the key: stable, and unique without coordination.
    static func defaultID(for key: SymmetricKey) -> String {
        let digest = key.withUnsafeBytes { SHA256.hash(data: $0) }
        return String(digest.prefix(4).map { hexByte($0) }.joined())
    }

    static func line(for entry: Entry) -> String {
        let hex = entry.key.withUnsafeBytes { $0.map { hexByte($0) }.joined() }
        return "\(entry.id):\(hex)\n"
    }

    static func parse(_ bytes: [UInt8], path: String) throws -> MasterKeyring {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw KeyVaultError(.configuration, "master key file \(path) is not UTF-8 text")
        }
        var entries: [Entry] = []
        var firstLine: [String: Int] = [:]
        // "\r\n" is one Character in Swift: split on it too, so a file saved with Windows line endings reads.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw KeyVaultError(.configuration, "master key file \(path) line \(number): expected `<id>:<64 hex characters or base64 of 32 bytes>`")
            }
            let id = line[..<colon].trimmingCharacters(in: .whitespaces)
            let material = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard isValidID(id) else {
                throw KeyVaultError(.configuration, "master key file \(path) line \(number): \(idRule)")
            }
            guard let bytes = decodeKey(material) else {
                throw KeyVaultError(.configuration, "master key file \(path) line \(number): the key must be 64 hex characters or base64 of exactly 32 bytes")
            }
            if let first = firstLine[id] {
                throw KeyVaultError(.configuration, "master key file \(path) line \(number): duplicate key id '\(id)' (first on line \(first))")
            }
            firstLine[id] = number
            entries.append(Entry(id: id, key: SymmetricKey(data: bytes)))
        }
        guard !entries.isEmpty else {
            throw KeyVaultError(.configuration, "master key file \(path) holds no keys: add a line `<id>:<64 hex characters>`")
        }
        return MasterKeyring(entries: entries)
    }

    static func decodeKey(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        if utf8.count == 64, let bytes = decodeHex(utf8) { return bytes }
        if let data = Data(base64Encoded: text), data.count == 32 { return Array(data) }
        return nil
    }

    private static func decodeHex(_ utf8: [UInt8]) -> [UInt8]? {
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index + 1 < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }

    // MARK: - Files

    /// Opens a key file and checks, on the open descriptor, that it is a regular file that neither group
    /// nor others may read or write.
    private static func openKeyFile(_ path: String, flags: Int32) throws -> Int32 {
        let fd = open(path, flags | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "does not exist" : errnoText()
            throw KeyVaultError(.configuration, "cannot open master key file \(path): \(reason)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = errnoText()
            close(fd)
            throw KeyVaultError(.configuration, "cannot stat master key file \(path): \(reason)")
        }
        let mode = UInt32(info.st_mode)
        guard mode & UInt32(S_IFMT) == UInt32(S_IFREG) else {
            close(fd)
            throw KeyVaultError(.configuration, "master key file \(path) is not a regular file")
        }
        guard mode & 0o077 == 0 else {
            close(fd)
            let octal = String(mode & 0o777, radix: 8)
            throw KeyVaultError(.configuration, "master key file \(path) is readable or writable by group or others (mode 0\(octal)); it must be 0600 or stricter: chmod 600 \(path)")
        }
        return fd
    }

    private static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw KeyVaultError(.configuration, "cannot read master key file \(path): \(errnoText())")
            }
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
            guard result.count <= 1 << 20 else {
                throw KeyVaultError(.configuration, "master key file \(path) is larger than 1 MiB; is it the right file?")
            }
        }
        _ = buffer.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
        return result
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw KeyVaultError(.configuration, "cannot write master key file \(path): \(errnoText())")
            }
            offset += count
        }
    }

    private static func ensureDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw KeyVaultError(.configuration, "the data directory \(directory) is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeyVaultError(.configuration, "cannot create the data directory \(directory): \(error.localizedDescription)")
        }
    }

    /// Writes `contents` to a fresh `O_CREAT|O_EXCL` 0600 temporary file beside `path`, syncs it and links
    /// it to `path`; when `path` already exists (another process won), leaves that file alone.
    private static func createExclusively(path: String, contents: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(path).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw KeyVaultError(.configuration, "cannot create master key file in \(directory): \(errnoText())")
        }
        defer { unlink(temporary) }
        do {
            defer { close(fd) }
            _ = fchmod(fd, 0o600)
            try writeAll(fd, Array(contents.utf8), path: temporary)
            guard fsync(fd) == 0 else {
                throw KeyVaultError(.configuration, "cannot sync master key file \(temporary): \(errnoText())")
            }
        }
        if link(temporary, path) != 0 {
            let code = errno
            guard code == EEXIST else {
                throw KeyVaultError(.configuration, "cannot create master key file \(path): \(String(cString: strerror(code)))")
            }
            return  // another process created it first; the caller reads theirs
        }
        let directoryFD = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

extension MasterKeyring: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "MasterKeyring(keys: \(keyIDs.joined(separator: ", ")); sealing: \(currentKeyID))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["keyIDs": keyIDs], displayStyle: .struct) }
}
