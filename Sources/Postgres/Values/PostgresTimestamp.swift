import Foundation

/// Formats and parses `timestamptz` text in the ISO style every connection of ours uses
/// (`DateStyle=ISO`, `TimeZone=UTC`, set when connecting), to microsecond precision.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard totalMicros.isFinite, abs(totalMicros) < 9.0e18 else {
            return totalMicros < 0 ? "-infinity" : "infinity"
        }
        var micros = Int64(totalMicros)
        var seconds = micros / 1_000_000
        micros %= 1_000_000
        if micros < 0 { micros += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        let hh = secondOfDay / 3600, mm = (secondOfDay % 3600) / 60, ss = secondOfDay % 60
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2)).\(pad(micros, 6))+00"
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]` (and `infinity`), or returns nil.
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= bytes.count else { return nil }
            var v: Int64 = 0
            for _ in 0..<digits {
                let c = bytes[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
                i += 1
            }
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2) else { return nil }
        var hh: Int64 = 0, mi: Int64 = 0, ss: Int64 = 0, micros: Int64 = 0, offset: Int64 = 0
        if i < bytes.count, bytes[i] == 32 || bytes[i] == 84 {
            i += 1
            guard let h = number(2), expect(58), let m = number(2), expect(58), let s = number(2) else { return nil }
            hh = h; mi = m; ss = s
            if i < bytes.count, bytes[i] == 46 {
                i += 1
                var scale: Int64 = 100_000
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    micros += Int64(bytes[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
            }
            if i < bytes.count, bytes[i] == 43 || bytes[i] == 45 {
                let sign: Int64 = bytes[i] == 45 ? -1 : 1
                i += 1
                guard let oh = number(2) else { return nil }
                var om: Int64 = 0, os: Int64 = 0
                if expect(58) { guard let v = number(2) else { return nil }; om = v }
                if expect(58) { guard let v = number(2) else { return nil }; os = v }
                offset = sign * (oh * 3600 + om * 60 + os)
            } else if i < bytes.count, bytes[i] == 90 {
                i += 1
            }
        }
        guard i == bytes.count else { return nil }
        let days = days(fromCivil: y, mo, d)
        let seconds = days * 86_400 + hh * 3600 + mi * 60 + ss - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    // Howard Hinnant's civil-from-days algorithms (proleptic Gregorian calendar).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
