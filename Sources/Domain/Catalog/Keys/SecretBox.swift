import Crypto
import Foundation

/// Where a sealed secret belongs: the tenant that owns it and what it is (`license_key`, …). Bound into
/// the ciphertext as associated data, so a ciphertext copied to another tenant's row, or used as another
/// kind of secret, fails to open. It also keys the lookup hash, so equal plaintexts of different tenants
/// hash differently.
public struct SealContext: Sendable, Hashable {
    public var tenantID: UUID
    public var purpose: String

    public init(tenantID: UUID, purpose: String) {
        self.tenantID = tenantID
        self.purpose = purpose
    }

    /// `license_keys.ciphertext`.
    public static let licenseKeyPurpose = "license_key"

    /// The context of a license key of `tenantID`.
    public static func licenseKey(tenantID: UUID) -> SealContext {
        SealContext(tenantID: tenantID, purpose: licenseKeyPurpose)
    }
}

/// A sealed secret as stored: `ciphertext` (nonce ‖ ciphertext ‖ tag), `keyID` (the master key that
/// sealed it) and `lookupHash` (for duplicate checks and lookups) — the columns of `license_keys`.
public struct SealedSecret: Sendable, Equatable {
    public var ciphertext: Data
    public var keyID: String
    public var lookupHash: Data

    public init(ciphertext: Data, keyID: String, lookupHash: Data) {
        self.ciphertext = ciphertext
        self.keyID = keyID
        self.lookupHash = lookupHash
    }
}

/// Seals and opens secrets at rest (design §3) with swift-crypto's AES-256-GCM under a ``MasterKeyring``.
///
/// - Sealing uses the ring's newest key and a random 12-byte nonce and stores the combined
///   representation (nonce ‖ ciphertext ‖ 16-byte tag). The associated data binds the ciphertext to its
///   ``SealContext`` (tenant and purpose) and to the key id, so a ciphertext moved to another tenant's row
///   or to another purpose fails authentication. Plaintext is sealed exactly as given.
/// - Opening uses the key the stored key id names, so older keys keep opening after rotation.
/// - Lookup hashes are HMAC-SHA256 under a subkey derived with HKDF-SHA256 (info
///   `"backoffice lookup v1"`) from the FIRST (oldest) key of the ring, over the tenant id, the purpose
///   and the normalised plaintext (surrounding whitespace trimmed, Unicode NFC). Deriving from the oldest
///   key means rotating the sealing key leaves every stored lookup hash valid; the price is that the
///   oldest key must stay first in the ring (removing it changes every lookup hash, which then have to
///   be recomputed from the opened plaintexts).
///
/// Errors are ``KeyVaultError``s that never carry key material or plaintext.
public struct SecretBox: Sendable {
    public let keyring: MasterKeyring
    private let lookupKey: LookupKey

    private struct LookupKey: @unchecked Sendable {  // immutable SymmetricKey; see MasterKeyring.Entry
        let key: SymmetricKey
    }

    static let lookupInfo = Data("backoffice lookup v1".utf8)
    static let sealDomain = Data("backoffice seal v1".utf8)

    public init(keyring: MasterKeyring) {
        self.keyring = keyring
        self.lookupKey = LookupKey(key: HKDF<SHA256>.deriveKey(
            inputKeyMaterial: keyring.lookupRootKey, info: Self.lookupInfo, outputByteCount: 32))
    }

    /// Seals `plaintext` for `context` under the newest master key and computes its lookup hash.
    public func seal(_ plaintext: String, context: SealContext) throws -> SealedSecret {
        let entry = keyring.sealingKey
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(Data(plaintext.utf8), using: entry.key, nonce: AES.GCM.Nonce(),
                                   authenticating: Self.associatedData(context, keyID: entry.id))
        } catch {
            throw KeyVaultError(.authenticationFailed, "cannot seal a \(context.purpose) secret: \(type(of: error))")
        }
        guard let combined = box.combined else {  // only nil for non-12-byte nonces
            throw KeyVaultError(.authenticationFailed, "cannot seal a \(context.purpose) secret: no combined representation")
        }
        return SealedSecret(ciphertext: combined, keyID: entry.id, lookupHash: lookupHash(plaintext, context: context))
    }

    /// Opens a ciphertext sealed for `context` under the master key `keyID`. An unknown key id, a
    /// tampered or truncated ciphertext, or one sealed for another tenant or purpose is an error.
    public func open(_ sealed: Data, keyID: String, context: SealContext) throws -> String {
        guard let key = keyring.key(id: keyID) else {
            throw KeyVaultError(.unknownKey, "a \(context.purpose) secret was sealed with master key '\(keyID)', which the keyring (\(keyring.keyIDs.joined(separator: ", "))) does not hold; restore that key to the key file")
        }
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            plaintext = try AES.GCM.open(box, using: key, authenticating: Self.associatedData(context, keyID: keyID))
        } catch {
            throw KeyVaultError(.authenticationFailed, "a \(context.purpose) secret failed authentication under master key '\(keyID)': it was altered, truncated, or belongs to another tenant or purpose")
        }
        guard let text = String(data: plaintext, encoding: .utf8) else {
            throw KeyVaultError(.authenticationFailed, "a \(context.purpose) secret opened under master key '\(keyID)' is not UTF-8 text")
        }
        return text
    }

    /// Opens a ``SealedSecret``.
    public func open(_ secret: SealedSecret, context: SealContext) throws -> String {
        try open(secret.ciphertext, keyID: secret.keyID, context: context)
    }

    /// The deterministic keyed hash of `plaintext` for `context` (32 bytes): equal for equal normalised
    /// plaintexts of one tenant and purpose, whichever key sealed them; different across tenants.
    public func lookupHash(_ plaintext: String, context: SealContext) -> Data {
        var message = Self.contextBytes(context)
        message.append(contentsOf: Self.normalised(plaintext).utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: lookupKey.key))
    }

    /// For display without `keys.reveal`: at most the last 4 characters (never more than half of the
    /// key), the rest as `•`; keys of 4 characters or fewer are all bullets.
    public static func redacted(_ plaintext: String) -> String {
        let characters = Array(plaintext.trimmingCharacters(in: .whitespacesAndNewlines))
        let visible = characters.count <= 4 ? 0 : min(4, characters.count / 2)
        return String(repeating: "•", count: characters.count - visible) + String(characters.suffix(visible))
    }

    // MARK: - Encoding

    /// What lookup hashes are computed over: surrounding whitespace trimmed, then Unicode NFC.
    static func normalised(_ plaintext: String) -> String {
        plaintext.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
    }

    /// Tenant id (16 bytes) ‖ purpose length (UInt32 big-endian) ‖ purpose (UTF-8): unambiguous.
    static func contextBytes(_ context: SealContext) -> Data {
        var data = Data()
        withUnsafeBytes(of: context.tenantID.uuid) { data.append(contentsOf: $0) }
        appendLengthPrefixed(context.purpose, to: &data)
        return data
    }

    /// "backoffice seal v1" ‖ 0 ‖ context bytes ‖ key id (length-prefixed).
    static func associatedData(_ context: SealContext, keyID: String) -> Data {
        var data = sealDomain
        data.append(0)
        data.append(contextBytes(context))
        appendLengthPrefixed(keyID, to: &data)
        return data
    }

    private static func appendLengthPrefixed(_ text: String, to data: inout Data) {
        let bytes = Array(text.utf8)
        withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: bytes)
    }
}

extension SecretBox: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "SecretBox(\(keyring))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["keyring": keyring], displayStyle: .struct) }
}
