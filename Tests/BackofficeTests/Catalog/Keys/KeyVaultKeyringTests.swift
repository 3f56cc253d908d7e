import Foundation
import Testing
@testable import Domain

/// MasterKeyring: the key file's format and permissions, the embedded default, the environment, rotation.
@Suite struct KeyVaultKeyringTests {
    let hex1 = KeyVaultScratch.hex1
    let hex2 = KeyVaultScratch.hex2
    let tenant = UUID(uuidString: "33333333-3333-4333-8333-333333333333")!

    /// Loading `text` (written with `mode`) fails with a configuration error whose message contains
    /// every one of `fragments` and no key material.
    func expectRefused(_ text: String, mode: mode_t = 0o600, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        try KeyVaultScratch.with { directory in
            let path = try KeyVaultScratch.write(text, to: directory, mode: mode)
            do {
                _ = try MasterKeyring.load(path: path)
                Issue.record("loaded a file that should be refused", sourceLocation: sourceLocation)
            } catch let error as KeyVaultError {
                #expect(error.kind == .configuration, sourceLocation: sourceLocation)
                #expect(error.message.contains(path), "\(error.message)", sourceLocation: sourceLocation)
                for fragment in fragments {
                    #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
                }
                for secret in [hex1, hex2, String(hex1.prefix(12)), String(hex2.prefix(12)), "c2VjcmV0"] {
                    #expect(!error.message.lowercased().contains(secret), "\(error.message)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test func loadsKeysCommentsAndBase64LastLineSeals() throws {
        try KeyVaultScratch.with { directory in
            let base64 = KeyVaultScratch.bytes(hex2).base64EncodedString()
            let path = try KeyVaultScratch.write("# master keys\n\nk1:\(hex1)\n  # rotated 2026-01\n  k2 : \(base64)  \r\n", to: directory)
            let ring = try MasterKeyring.load(path: path)
            #expect(ring.keyIDs == ["k1", "k2"])
            #expect(ring.currentKeyID == "k2")
            #expect(ring.lookupRootKeyID == "k1")
            // the base64 line holds the same key as its hex spelling
            let hexRing = try MasterKeyring(keys: [("k1", KeyVaultScratch.bytes(hex1)), ("k2", KeyVaultScratch.bytes(hex2))])
            let sealed = try SecretBox(keyring: hexRing).seal("X", context: .licenseKey(tenantID: tenant))
            #expect(try SecretBox(keyring: ring).open(sealed, context: .licenseKey(tenantID: tenant)) == "X")
            // 0400 is strict enough too
            _ = try KeyVaultScratch.write("k1:\(hex1)\n", to: directory, name: "readonly", mode: 0o400)
            #expect(try MasterKeyring.load(path: directory + "/readonly").keyIDs == ["k1"])
        }
    }

    /// A key file saved with Windows line endings reads like any other.
    @Test func loadsAFileWithWindowsLineEndings() throws {
        try KeyVaultScratch.with { directory in
            let path = try KeyVaultScratch.write("# keys\r\nk1:\(hex1)\r\nk2:\(hex2)\r\n", to: directory)
            let ring = try MasterKeyring.load(path: path)
            #expect(ring.keyIDs == ["k1", "k2"])
            #expect(ring.currentKeyID == "k2")
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o620, 0o602, 0o660, 0o666] as [mode_t])
    func refusesFilesOthersCanReachAtAnyMode(_ mode: mode_t) throws {
        try expectRefused("k1:\(hex1)\n", mode: mode, mentioning: ["group or others", "mode 0\(String(mode, radix: 8))", "chmod 600"])
    }

    @Test func refusesMalformedLinesNamingTheLine() throws {
        try expectRefused("# header\nk1:\(hex1)\n\(hex2)\n", mentioning: ["line 3", "expected `<id>:"])
        try expectRefused("k1:\(hex1.dropLast(2))\n", mentioning: ["line 1", "64 hex characters"])
        try expectRefused("k1:\(hex1)ff\n", mentioning: ["line 1", "64 hex characters"])
        try expectRefused("k1:\(hex1.dropLast())g\n", mentioning: ["line 1"])
        try expectRefused("k1:c2VjcmV0\n", mentioning: ["line 1", "base64 of exactly 32 bytes"])
        try expectRefused(":\(hex1)\n", mentioning: ["line 1", "key id"])
        try expectRefused("bad id:\(hex1)\n", mentioning: ["line 1", "key id"])
        try expectRefused("\(hex2):\(hex1)\n", mentioning: ["line 1", "key id"])  // an overlong id is not echoed
        try expectRefused("k1:\n", mentioning: ["line 1"])
    }

    @Test func refusesDuplicateIDs() throws {
        try expectRefused("k1:\(hex1)\nk2:\(hex2)\nk1:\(hex2)\n", mentioning: ["line 3", "duplicate key id 'k1'", "first on line 1"])
        #expect(throws: KeyVaultError.self) {
            try MasterKeyring(keys: [("k1", KeyVaultScratch.bytes(hex1)), ("k1", KeyVaultScratch.bytes(hex2))])
        }
    }

    @Test func refusesFilesWithoutKeys() throws {
        try expectRefused("", mentioning: ["holds no keys"])
        try expectRefused("# only a comment\n\n   \n", mentioning: ["holds no keys"])
        #expect(throws: KeyVaultError.self) { try MasterKeyring(keys: []) }
    }

    @Test func refusesMissingFilesAndDirectories() throws {
        try KeyVaultScratch.with { directory in
            #expect(throws: KeyVaultError.self) { try MasterKeyring.load(path: directory + "/absent") }
            #expect(throws: KeyVaultError.self) { try MasterKeyring.load(path: directory) }
        }
    }

    @Test func embeddedDefaultIsCreatedOnceWithMode0600() throws {
        try KeyVaultScratch.with { root in
            let directory = root + "/data/backoffice"  // created on demand
            let first = try MasterKeyring.loadOrCreateDefault(dataDirectory: directory)
            let path = directory + "/master.key"
            #expect(KeyVaultScratch.mode(of: path) == 0o600)
            #expect(first.keyIDs.count == 1 && first.currentKeyID.count == 8)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.hasPrefix("#"))
            #expect(text.contains("\(first.currentKeyID):"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["master.key"])  // no temp file left

            let second = try MasterKeyring.loadOrCreateDefault(dataDirectory: directory)
            #expect(second.keyIDs == first.keyIDs)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
            let context = SealContext.licenseKey(tenantID: tenant)
            let sealed = try SecretBox(keyring: first).seal("SAME-KEY", context: context)
            #expect(try SecretBox(keyring: second).open(sealed, context: context) == "SAME-KEY")
            #expect(SecretBox(keyring: second).lookupHash("SAME-KEY", context: context) == sealed.lookupHash)

            // another directory gets another key
            let other = try MasterKeyring.loadOrCreateDefault(dataDirectory: root + "/other")
            #expect(throws: KeyVaultError.self) { try SecretBox(keyring: other).open(sealed.ciphertext, keyID: other.currentKeyID, context: context) }

            // an existing default that became world-readable is refused, not replaced
            chmod(path, 0o644)
            #expect(throws: KeyVaultError.self) { try MasterKeyring.loadOrCreateDefault(dataDirectory: directory) }
        }
    }

    @Test func concurrentFirstUseAgreesOnOneKey() async throws {
        try await withScratch { directory in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask { try MasterKeyring.loadOrCreateDefault(dataDirectory: directory).currentKeyID }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["master.key"])
        }
    }

    @Test func environmentPicksTheFileThenTheEmbeddedDefault() throws {
        try KeyVaultScratch.with { directory in
            let path = try KeyVaultScratch.write("prod-1:\(hex1)\n", to: directory)
            let env = [MasterKeyring.keyFileVariable: path]
            #expect(try MasterKeyring.fromEnvironment(env, embeddedDataDirectory: directory + "/data").keyIDs == ["prod-1"])
            #expect(!FileManager.default.fileExists(atPath: directory + "/data"))  // the file wins; no default made
            #expect(try MasterKeyring.fromEnvironment(env, embeddedDataDirectory: nil).keyIDs == ["prod-1"])

            let embedded = try MasterKeyring.fromEnvironment([MasterKeyring.keyFileVariable: ""], embeddedDataDirectory: directory + "/data")
            #expect(FileManager.default.fileExists(atPath: directory + "/data/master.key"))
            #expect(embedded.keyIDs.count == 1)

            do {
                _ = try MasterKeyring.fromEnvironment([:], embeddedDataDirectory: nil)
                Issue.record("a configured server without a key file must be refused")
            } catch let error as KeyVaultError {
                #expect(error.kind == .configuration)
                #expect(error.message.contains("BACKOFFICE_MASTER_KEY_FILE is not set"))
            }
        }
    }

    @Test func appendNewKeyRotatesTheFile() throws {
        try KeyVaultScratch.with { directory in
            let path = try KeyVaultScratch.write("# keys\nk1:\(hex1)", to: directory)  // no final newline
            let context = SealContext.licenseKey(tenantID: tenant)
            let before = SecretBox(keyring: try MasterKeyring.load(path: path))
            let sealedBefore = try before.seal("LICENSE-1", context: context)

            let newID = try MasterKeyring.appendNewKey(path: path)
            #expect(newID.count == 8 && newID != "k1")
            #expect(KeyVaultScratch.mode(of: path) == 0o600)
            let after = SecretBox(keyring: try MasterKeyring.load(path: path))
            #expect(after.keyring.keyIDs == ["k1", newID])
            #expect(try after.open(sealedBefore, context: context) == "LICENSE-1")
            let sealedAfter = try after.seal("LICENSE-1", context: context)
            #expect(sealedAfter.keyID == newID)
            #expect(sealedAfter.lookupHash == sealedBefore.lookupHash)

            let third = try MasterKeyring.appendNewKey(path: path)
            #expect(try MasterKeyring.load(path: path).keyIDs == ["k1", newID, third])
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 4 && lines[1] == "k1:\(hex1)")

            chmod(path, 0o640)
            #expect(throws: KeyVaultError.self) { try MasterKeyring.appendNewKey(path: path) }
        }
    }

    private func withScratch(_ body: @Sendable (String) async throws -> Void) async throws {
        let directory = try KeyVaultScratch.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(directory)
    }
}
