import Foundation

/// Fast UUID text conversion for the wire (`0c4ad9e2-…`): Foundation's `uuidString` and
/// `UUID(uuidString:)` cost several thousand instructions each, and every tenant-scoped statement
/// carries a few UUIDs.
enum PostgresUUID {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func format(_ uuid: UUID) -> String {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                    out[o] = hex[Int(byte >> 4)]
                    out[o + 1] = hex[Int(byte & 0x0f)]
                    o += 2
                }
                return o
            }
        }
    }

    /// Parses the canonical 8-4-4-4-12 form (either case), or returns nil.
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { bytes -> UUID? in
            guard bytes.count == 36 else { return nil }
            var raw = [UInt8](repeating: 0, count: 16)
            var b = 0
            var i = 0
            while i < 36 {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard bytes[i] == UInt8(ascii: "-") else { return nil }
                    i += 1
                    continue
                }
                guard let hi = nibble(bytes[i]), let lo = nibble(bytes[i + 1]) else { return nil }
                raw[b] = hi << 4 | lo
                b += 1
                i += 2
            }
            return UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                               raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
        }
    }

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}
