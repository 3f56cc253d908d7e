import Foundation

/// Bearer tokens for sessions: 32 random bytes from the system's CSPRNG, base64url, prefixed `bo_` so a
/// leaked one is recognisable. The database keeps only `sha256(token)`.
enum SessionToken {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "bo_" + base64
    }
}
