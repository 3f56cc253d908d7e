import Foundation
import Testing
@testable import Domain

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher.fast

    @Test func aHashVerifiesItsPassword() throws {
        let encoded = try hasher.hash("correct horse battery staple")
        #expect(hasher.verify("correct horse battery staple", against: encoded))
    }

    @Test func aWrongPasswordIsRejected() throws {
        let encoded = try hasher.hash("correct horse battery staple")
        #expect(!hasher.verify("correct horse battery stapler", against: encoded))
        #expect(!hasher.verify("", against: encoded))
        #expect(hasher.verificationCode("wrong", against: encoded) == -35) // ARGON2_VERIFY_MISMATCH
    }

    @Test func twoHashesOfOnePasswordDifferBySalt() throws {
        let first = try hasher.hash("same password")
        let second = try hasher.hash("same password")
        #expect(first != second)
        #expect(first.split(separator: "$")[3] != second.split(separator: "$")[3])
        #expect(hasher.verify("same password", against: first))
        #expect(hasher.verify("same password", against: second))
    }

    @Test func theEncodedStringHasThePHCShape() throws {
        let encoded = try hasher.hash("pw")
        #expect(encoded.hasPrefix("$argon2id$v=19$m="))
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(fields.count == 6)
        #expect(fields[3] == "m=1024,t=1,p=1")
        #expect(fields[4].count == 22) // 16-byte salt, unpadded base64
        #expect(fields[5].count == 43) // 32-byte hash, unpadded base64
    }

    @Test func theDefaultParametersAreOWASPMinimum() throws {
        let hasher = PasswordHasher()
        #expect(hasher == PasswordHasher(memoryKiB: 19456, iterations: 2, parallelism: 1))
        let encoded = try hasher.hash("pw")
        #expect(encoded.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(hasher.verify("pw", against: encoded))
        #expect(!hasher.needsRehash(encoded))
    }

    @Test(arguments: [
        "",
        "garbage",
        "$argon2id$",
        "$argon2id$v=19$m=1024,t=1,p=1$",
        "$argon2id$v=19$m=1024,t=1,p=1$vvrKqq5EX7GgYJjF+gIlNQ$",
        "$argon2id$v=19$m=1024,t=1,p=1$not base64!$not base64!",
        "$argon2id$v=19$m=abc,t=1,p=1$vvrKqq5EX7GgYJjF+gIlNQ$uizlzsuBIVlbzkGmoKDVV5s1i703joF2NsKZdgRaIHw",
        "$argon2i$v=19$m=1024,t=1,p=1$vvrKqq5EX7GgYJjF+gIlNQ$uizlzsuBIVlbzkGmoKDVV5s1i703joF2NsKZdgRaIHw",
        "$argon2d$v=19$m=1024,t=1,p=1$vvrKqq5EX7GgYJjF+gIlNQ$uizlzsuBIVlbzkGmoKDVV5s1i703joF2NsKZdgRaIHw",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        "sha256$abc$def",
    ])
    func malformedOrForeignStringsDoNotVerify(encoded: String) {
        #expect(!hasher.verify("", against: encoded))
        #expect(!hasher.verify("pw", against: encoded))
    }

    @Test func aValidHashWithTrailingNULAndJunkDoesNotVerify() throws {
        let encoded = try hasher.hash("pw")
        #expect(!hasher.verify("pw", against: encoded + "\0junk"))
    }

    @Test func otherAlgorithmsWithTheRightPasswordDoNotVerify() throws {
        let encoded = try hasher.hash("pw")
        let asArgon2i = encoded.replacingOccurrences(of: "$argon2id$", with: "$argon2i$")
        #expect(!hasher.verify("pw", against: asArgon2i))
    }

    @Test func needsRehashComparesParameters() throws {
        let encoded = try hasher.hash("pw")
        #expect(!hasher.needsRehash(encoded))
        #expect(PasswordHasher(memoryKiB: 2048, iterations: 1, parallelism: 1).needsRehash(encoded))
        #expect(PasswordHasher(memoryKiB: 1024, iterations: 2, parallelism: 1).needsRehash(encoded))
        #expect(PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 2).needsRehash(encoded))
        #expect(PasswordHasher().needsRehash(encoded))
        #expect(hasher.needsRehash(""))
        #expect(hasher.needsRehash("garbage"))
        #expect(hasher.needsRehash(encoded.replacingOccurrences(of: "$v=19$", with: "$v=16$")))
    }

    @Test func aRehashedPasswordStillVerifiesWithTheOldHasher() throws {
        let stronger = PasswordHasher(memoryKiB: 2048, iterations: 2, parallelism: 2)
        let old = try hasher.hash("pw")
        #expect(stronger.verify("pw", against: old))
        #expect(stronger.needsRehash(old))
        let new = try stronger.hash("pw")
        #expect(!stronger.needsRehash(new))
        #expect(hasher.verify("pw", against: new))
    }

    @Test func unicodePasswordsWork() throws {
        let password = "pässwörd 🔑 密码 Ω"
        let encoded = try hasher.hash(password)
        #expect(hasher.verify(password, against: encoded))
        #expect(!hasher.verify("passwort 🔑 密码 Ω", against: encoded))
        // Hashing uses the UTF-8 bytes as given: a differently normalised é is a different password.
        let composed = try hasher.hash("caf\u{E9}")
        #expect(hasher.verify("caf\u{E9}", against: composed))
        #expect(!hasher.verify("cafe\u{301}", against: composed))
    }

    @Test func passwordsContainingNULUseEveryByte() throws {
        let password = "abc\0def"
        let encoded = try hasher.hash(password)
        #expect(hasher.verify(password, against: encoded))
        #expect(!hasher.verify("abc", against: encoded))
        #expect(!hasher.verify("abc\0", against: encoded))
        #expect(!hasher.verify("abc\0deg", against: encoded))

        // A prefix-only C string would make these two hash identically with the same salt.
        let salt = [UInt8](repeating: 7, count: 16)
        #expect(try hasher.hash("abc\0def", salt: salt) != hasher.hash("abc\0xyz", salt: salt))
        #expect(try hasher.hash("\0", salt: salt) != hasher.hash("", salt: salt))
    }

    @Test func theEmptyPasswordHashes() throws {
        let encoded = try hasher.hash("")
        #expect(hasher.verify("", against: encoded))
        #expect(!hasher.verify("\0", against: encoded))
    }

    @Test func theDummyHashIsWellFormedAndMatchesTheHasherParameters() {
        #expect(!hasher.needsRehash(hasher.dummyHash))
        #expect(!PasswordHasher().needsRehash(PasswordHasher().dummyHash))
        // It decodes and runs the full computation: a mismatch, not a decoding failure.
        #expect(hasher.verificationCode("anything", against: hasher.dummyHash) == -35) // ARGON2_VERIFY_MISMATCH
        #expect(!hasher.verify("", against: hasher.dummyHash))
        hasher.performDummyVerification("anything")
    }

    @Test func invalidParametersThrowLibargon2sMessage() {
        let error = #expect(throws: PasswordHashingError.self) {
            try PasswordHasher(memoryKiB: 1024, iterations: 0, parallelism: 1).hash("pw")
        }
        #expect(error?.statusCode == 500)
        #expect(error?.message.contains("Time cost is too small") == true)
        #expect(throws: PasswordHashingError.self) {
            try PasswordHasher(memoryKiB: 1, iterations: 1, parallelism: 1).hash("pw")
        }
    }
}
