import Foundation
import Testing
@testable import Domain

/// SecretBox: AES-256-GCM sealing bound to tenant and purpose, keyed lookup hashes, rotation, redaction.
@Suite struct KeyVaultSealingTests {
    let tenantA = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    let tenantB = UUID(uuidString: "22222222-2222-4222-8222-222222222222")!

    func ring(_ ids: [String] = ["k1"]) throws -> MasterKeyring {
        let hexes = [KeyVaultScratch.hex1, KeyVaultScratch.hex2]
        return try MasterKeyring(keys: ids.enumerated().map { ($0.element, KeyVaultScratch.bytes(hexes[$0.offset])) })
    }

    func expectVaultError(_ kind: KeyVaultError.Kind, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected a \(kind) error", sourceLocation: sourceLocation)
        } catch let error as KeyVaultError {
            #expect(error.kind == kind, "\(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["ABCD-EFGH-IJKL-MNOP", "ключ-🔑-é-密钥", "", "  spaced  \n", String(repeating: "x", count: 10_000)])
    func sealAndOpenRoundTrip(_ plaintext: String) throws {
        let box = SecretBox(keyring: try ring())
        let context = SealContext.licenseKey(tenantID: tenantA)
        let sealed = try box.seal(plaintext, context: context)
        #expect(sealed.keyID == "k1")
        #expect(sealed.lookupHash.count == 32)
        #expect(sealed.ciphertext.count == 12 + plaintext.utf8.count + 16)  // nonce ‖ ciphertext ‖ tag
        #expect(try box.open(sealed.ciphertext, keyID: sealed.keyID, context: context) == plaintext)
        #expect(try box.open(sealed, context: context) == plaintext)
    }

    @Test func anotherTenantOrPurposeCannotOpen() throws {
        let box = SecretBox(keyring: try ring())
        let sealed = try box.seal("SECRET-KEY-1", context: .licenseKey(tenantID: tenantA))
        for context in [SealContext.licenseKey(tenantID: tenantB), SealContext(tenantID: tenantA, purpose: "gateway_credential")] {
            expectVaultError(.authenticationFailed) { _ = try box.open(sealed, context: context) }
            do {
                _ = try box.open(sealed, context: context)
            } catch let error as KeyVaultError {
                #expect(error.message.contains("secret failed authentication under master key 'k1'"))
                #expect(!error.message.contains("SECRET-KEY-1"))
                #expect(error.statusCode == 500)
            }
        }
    }

    @Test func tamperingWithAnyByteFails() throws {
        let box = SecretBox(keyring: try ring())
        let context = SealContext.licenseKey(tenantID: tenantA)
        let sealed = try box.seal("TAMPER-ME", context: context)
        for index in sealed.ciphertext.indices {
            var altered = sealed.ciphertext
            altered[index] ^= 0x01
            expectVaultError(.authenticationFailed) { _ = try box.open(altered, keyID: "k1", context: context) }
        }
        expectVaultError(.authenticationFailed) { _ = try box.open(sealed.ciphertext.dropLast(), keyID: "k1", context: context) }
        expectVaultError(.authenticationFailed) { _ = try box.open(sealed.ciphertext + [0], keyID: "k1", context: context) }
        expectVaultError(.authenticationFailed) { _ = try box.open(Data(), keyID: "k1", context: context) }
    }

    @Test func unknownOrWrongKeyIDFails() throws {
        let two = SecretBox(keyring: try ring(["k1", "k2"]))
        let context = SealContext.licenseKey(tenantID: tenantA)
        let sealed = try two.seal("KEY", context: context)
        #expect(sealed.keyID == "k2")
        expectVaultError(.unknownKey) { _ = try two.open(sealed.ciphertext, keyID: "k9", context: context) }
        expectVaultError(.authenticationFailed) { _ = try two.open(sealed.ciphertext, keyID: "k1", context: context) }
        do {
            _ = try two.open(sealed.ciphertext, keyID: "k9", context: context)
        } catch let error as KeyVaultError {
            #expect(error.message.contains("'k9'") && error.message.contains("k1, k2"))
        }
    }

    @Test func sealsDifferButLookupHashesMatch() throws {
        let box = SecretBox(keyring: try ring())
        let context = SealContext.licenseKey(tenantID: tenantA)
        let first = try box.seal("AAAA-BBBB", context: context)
        let second = try box.seal("AAAA-BBBB", context: context)
        #expect(first.ciphertext != second.ciphertext)
        #expect(first.lookupHash == second.lookupHash)
        #expect(box.lookupHash("  AAAA-BBBB\n", context: context) == first.lookupHash)  // trimmed
        #expect(box.lookupHash("aaaa-bbbb", context: context) != first.lookupHash)  // case matters
        #expect(box.lookupHash("AAAA-BBBC", context: context) != first.lookupHash)
        // NFC: "é" precomposed and decomposed hash alike
        #expect(box.lookupHash("caf\u{E9}", context: context) == box.lookupHash("cafe\u{301}", context: context))
        // deterministic across instances over the same keys
        #expect(SecretBox(keyring: try ring()).lookupHash("AAAA-BBBB", context: context) == first.lookupHash)
    }

    @Test func lookupHashDiffersAcrossTenantsAndPurposes() throws {
        let box = SecretBox(keyring: try ring())
        let a = box.lookupHash("SAME", context: .licenseKey(tenantID: tenantA))
        #expect(a != box.lookupHash("SAME", context: .licenseKey(tenantID: tenantB)))
        #expect(a != box.lookupHash("SAME", context: SealContext(tenantID: tenantA, purpose: "delivered_value")))
        // a different master key gives different hashes (the hash is keyed, not a bare digest)
        let other = SecretBox(keyring: try MasterKeyring(keys: [("k1", KeyVaultScratch.bytes(KeyVaultScratch.hex2))]))
        #expect(a != other.lookupHash("SAME", context: .licenseKey(tenantID: tenantA)))
    }

    @Test func rotationSealsWithNewestOpensOldKeepsLookupHashes() throws {
        let context = SealContext.licenseKey(tenantID: tenantA)
        let old = SecretBox(keyring: try ring(["k1"]))
        let sealedOld = try old.seal("ROTATE-ME", context: context)

        let rotated = SecretBox(keyring: try ring(["k1", "k2"]))
        #expect(rotated.keyring.currentKeyID == "k2")
        #expect(rotated.keyring.lookupRootKeyID == "k1")
        #expect(try rotated.open(sealedOld, context: context) == "ROTATE-ME")
        let sealedNew = try rotated.seal("ROTATE-ME", context: context)
        #expect(sealedNew.keyID == "k2")
        #expect(sealedNew.lookupHash == sealedOld.lookupHash)
        expectVaultError(.unknownKey) { _ = try old.open(sealedNew, context: context) }

        // in-memory rotation with a generated key behaves alike
        let generated = SecretBox(keyring: try old.keyring.rotated(addingNewKey: "k2"))
        #expect(generated.keyring.keyIDs == ["k1", "k2"])
        #expect(try generated.open(sealedOld, context: context) == "ROTATE-ME")
        #expect(try generated.seal("ROTATE-ME", context: context).lookupHash == sealedOld.lookupHash)
        #expect(throws: KeyVaultError.self) { try generated.keyring.rotated(addingNewKey: "k1") }
        let automatic = try generated.keyring.rotated()
        #expect(automatic.keyIDs.count == 3 && automatic.currentKeyID.count == 8)
    }

    @Test func descriptionsNeverShowKeyMaterial() throws {
        let box = SecretBox(keyring: try ring(["k1", "k2"]))
        for text in [String(describing: box), String(reflecting: box), String(describing: box.keyring), "\(Mirror(reflecting: box.keyring).children.map { "\($0)" })"] {
            #expect(!text.lowercased().contains(KeyVaultScratch.hex1.prefix(16)))
            #expect(!text.lowercased().contains(KeyVaultScratch.hex2.prefix(16)))
        }
        #expect(String(describing: box.keyring) == "MasterKeyring(keys: k1, k2; sealing: k2)")
    }

    @Test func redaction() {
        #expect(SecretBox.redacted("ABCD-EFGH-IJKL-MNOP") == "•••••••••••••••MNOP")
        #expect(SecretBox.redacted("12345678") == "••••5678")
        #expect(SecretBox.redacted("123456") == "•••456")  // never more than half
        #expect(SecretBox.redacted("12345") == "•••45")
        #expect(SecretBox.redacted("1234") == "••••")
        #expect(SecretBox.redacted("ab") == "••")
        #expect(SecretBox.redacted("") == "")
        #expect(SecretBox.redacted("  ABCD-EFGH \n") == "•••••EFGH")
        #expect(SecretBox.redacted("ключ🔑🔑🔑🔑") == "••••🔑🔑🔑🔑")  // characters, not bytes
    }
}
