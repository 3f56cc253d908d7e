internal import CArgon2

/// Hashes and verifies staff passwords with argon2id (through the system libargon2), so that the
/// database never holds a password, only a salted, deliberately expensive PHC string
/// (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) that carries its own parameters. Those parameters can be
/// raised later: `needsRehash(_:)` says when a stored hash should be replaced after a successful sign-in.
public struct PasswordHasher: Sendable, Equatable {
    /// Memory cost in KiB (argon2's `m`).
    public let memoryKiB: UInt32
    /// Number of passes over memory (argon2's `t`).
    public let iterations: UInt32
    /// Number of lanes (argon2's `p`).
    public let parallelism: UInt32

    static let saltLength = 16
    static let hashLength = 32

    /// The defaults are OWASP's minimum recommendation for argon2id: 19 MiB, 2 iterations, 1 lane.
    public init(memoryKiB: UInt32 = 19456, iterations: UInt32 = 2, parallelism: UInt32 = 1) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// Cheap parameters (1 MiB, 1 iteration) for tests only: far too weak to protect real passwords.
    public static let fast = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)

    /// Hashes `password` (its UTF-8 bytes, NUL bytes included) with a fresh random 16-byte salt and
    /// returns the PHC encoded string.
    public func hash(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<Self.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try hash(password, salt: salt)
    }

    /// Hashes with a given salt; `hash(_:)` is the only caller outside tests.
    func hash(_ password: String, salt: [UInt8]) throws -> String {
        let length = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(salt.count), UInt32(Self.hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let passwordBytes = Array(password.utf8)
        let code = passwordBytes.withUnsafeBytes { pwd in
            salt.withUnsafeBytes { salt in
                encoded.withUnsafeMutableBufferPointer { out in
                    argon2id_hash_encoded(
                        iterations, memoryKiB, parallelism,
                        pwd.baseAddress, pwd.count,
                        salt.baseAddress, salt.count,
                        Self.hashLength, out.baseAddress, out.count
                    )
                }
            }
        }
        guard code == ARGON2_OK.rawValue else { throw PasswordHashingError(code: code) }
        return encoded.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Whether `password` matches `encoded`, using the parameters stored in `encoded` (not this hasher's).
    /// libargon2 compares in constant time. A malformed, empty or non-argon2id string gives `false`.
    public func verify(_ password: String, against encoded: String) -> Bool {
        verificationCode(password, against: encoded) == ARGON2_OK.rawValue
    }

    /// libargon2's result code for a verification (`ARGON2_OK`, `ARGON2_VERIFY_MISMATCH`, a decoding error…).
    func verificationCode(_ password: String, against encoded: String) -> Int32 {
        // An interior NUL would make libargon2 read only a prefix of the string.
        guard encoded.hasPrefix("$argon2id$"), !encoded.utf8.contains(0) else { return ARGON2_DECODING_FAIL.rawValue }
        let passwordBytes = Array(password.utf8)
        return passwordBytes.withUnsafeBytes { pwd in
            encoded.withCString { argon2id_verify($0, pwd.baseAddress, pwd.count) }
        }
    }

    /// True when `encoded` was not made with this hasher's parameters (m, t, p, or argon2 version 19),
    /// including when it cannot be parsed at all: after a successful sign-in, store a fresh `hash(_:)`.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let stored = EncodedParameters(encoded) else { return true }
        return stored != EncodedParameters(memoryKiB: memoryKiB, iterations: iterations, parallelism: parallelism)
    }

    /// A well-formed argon2id string with this hasher's parameters whose salt and hash are fixed bytes
    /// that no password produces. Verifying against it costs exactly as much as a real verification.
    public var dummyHash: String {
        "$argon2id$v=19$m=\(memoryKiB),t=\(iterations),p=\(parallelism)$vvrKqq5EX7GgYJjF+gIlNQ$uizlzsuBIVlbzkGmoKDVV5s1i703joF2NsKZdgRaIHw"
    }

    /// Runs one full verification of `password` against `dummyHash` and discards the result. Call it when
    /// sign-in finds no account for the email, so that an unknown email takes as long as a wrong password
    /// and response times do not reveal which emails have accounts.
    public func performDummyVerification(_ password: String) {
        _ = verificationCode(password, against: dummyHash)
    }
}

/// The (m, t, p) parameters of an argon2id v=19 PHC string.
struct EncodedParameters: Equatable {
    var memoryKiB: UInt32
    var iterations: UInt32
    var parallelism: UInt32

    init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// Parses `$argon2id$v=19$m=M,t=T,p=P$salt$hash`; nil for anything else.
    init?(_ encoded: String) {
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].isEmpty, fields[1] == "argon2id", fields[2] == "v=19" else { return nil }
        let pairs = fields[3].split(separator: ",", omittingEmptySubsequences: false)
        var values: [UInt32] = []
        for (pair, key) in zip(pairs, ["m=", "t=", "p="]) {
            guard pair.hasPrefix(key), let value = UInt32(pair.dropFirst(key.count)) else { return nil }
            values.append(value)
        }
        guard pairs.count == 3, values.count == 3 else { return nil }
        self.init(memoryKiB: values[0], iterations: values[1], parallelism: values[2])
    }
}

/// libargon2 refused to hash (for instance, parameters out of its range); carries libargon2's message.
public struct PasswordHashingError: AppError, Equatable {
    public var statusCode: Int { 500 }
    /// libargon2's error code (an `Argon2_ErrorCodes` value).
    public let code: Int32
    public let message: String

    init(code: Int32) {
        self.code = code
        self.message = "password hashing failed: " + String(cString: argon2_error_message(code))
    }
}
