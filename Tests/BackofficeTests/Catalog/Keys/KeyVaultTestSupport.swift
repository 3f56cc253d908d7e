import Foundation
@testable import Domain

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private temporary directory for key files, removed when `body` returns.
enum KeyVaultScratch {
    static func with<T>(_ body: (String) throws -> T) throws -> T {
        let directory = try make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    /// A new 0700 directory (mkdtemp); the caller removes it.
    static func make() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/keyvault-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ScratchError()
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Writes `text` to `directory/name` with `mode` (umask notwithstanding) and returns the path.
    static func write(_ text: String, to directory: String, name: String = "keys", mode: mode_t = 0o600) throws -> String {
        let path = directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw ScratchError() }
        guard chmod(path, mode) == 0 else { throw ScratchError() }
        return path
    }

    static func mode(of path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o777
    }

    struct ScratchError: Error {}

    /// Two fixed test keys, as their file lines would spell them.
    static let hex1 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    static let hex2 = "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f"

    static func bytes(_ hex: String) -> Data {
        var data = Data()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            data.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return data
    }
}
