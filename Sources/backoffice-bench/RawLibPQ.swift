/// The baseline: what a careful programmer writes straight against libpq, with no layer in between.
///
/// This file exists so every figure's "raw" side shares one honest baseline: one `PQexecParams` per
/// statement with text-format parameters (copied once into a stack buffer) and explicit type OIDs
/// (exactly what `Connection.query` sends), values read with `PQgetvalue` and parsed into the same Swift
/// types our layer returns, every result `PQclear`ed. The connection carries the same session settings as `Connection.connect`, so the server
/// does the same work and sends the same text for both sides.
import CLibPQ
import Foundation
import Postgres

/// A bare libpq connection. Not thread-safe; used by one figure at a time.
final class RawConnection {
    let handle: OpaquePointer

    init(conninfo: String) throws(BenchError) {
        // The same keywords and session options as `Connection.connect`.
        let keywords = ["dbname", "client_encoding", "options", "fallback_application_name", "connect_timeout"]
        let values = [
            conninfo, "UTF8",
            "-c DateStyle=ISO,YMD -c TimeZone=UTC -c IntervalStyle=iso_8601 -c extra_float_digits=3 -c bytea_output=hex",
            "backoffice-bench-raw", "10",
        ]
        let handle = RawConnection.withCStringArray(keywords) { keywordPointers in
            RawConnection.withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else { throw BenchError("raw libpq: out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw BenchError("raw libpq: cannot connect: \(message)")
        }
        // Like `Connection`, keep server notices off the terminal (a stopping server sends one).
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
    }

    deinit { PQfinish(handle) }

    /// Runs one statement with text parameters; the caller must `PQclear` the returned result.
    func exec(_ sql: String, types: [Oid], values: [String?]) throws(BenchError) -> OpaquePointer {
        let result: OpaquePointer? = RawConnection.withParameterPointers(values) { pointers in
            PQexecParams(handle, sql, Int32(values.count), types, pointers, nil, nil, 0)
        }
        guard let result else {
            throw BenchError("raw libpq: \(String(cString: PQerrorMessage(handle)))")
        }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let message = String(cString: PQresultErrorMessage(result))
            PQclear(result)
            throw BenchError("raw libpq: \(sql): \(message)")
        }
        return result
    }

    /// Runs a parameterless statement (`BEGIN`, `COMMIT`) through `PQexecParams`, as our layer does.
    func command(_ sql: String) throws(BenchError) {
        PQclear(try exec(sql, types: [], values: []))
    }

    /// Runs a statement whose rows are not needed.
    func discard(_ sql: String, types: [Oid], values: [String?]) throws(BenchError) {
        PQclear(try exec(sql, types: types, values: values))
    }

    /// `BEGIN` and `set_config(name, value, true)` in one round trip (libpq pipeline mode), as
    /// `Connection.transaction(locals:)` sends them.
    func pipelinedBegin(setting name: String, to value: String) throws(BenchError) {
        guard PQenterPipelineMode(handle) == 1 else { throw BenchError("raw libpq: cannot enter pipeline mode") }
        defer { PQexitPipelineMode(handle) }
        let sentBegin = PQsendQueryParams(handle, "BEGIN", 0, nil, nil, nil, nil, 0)
        let types: [Oid] = [25, 25]
        let sentSet = RawConnection.withParameterPointers([name, value]) { pointers in
            PQsendQueryParams(handle, "SELECT set_config($1, $2, true)", 2, types, pointers, nil, nil, 0)
        }
        guard sentBegin == 1, sentSet == 1, PQpipelineSync(handle) == 1 else {
            throw BenchError("raw libpq: cannot send the pipeline: \(String(cString: PQerrorMessage(handle)))")
        }
        var failure: String?
        for _ in 0..<2 {
            while let result = PQgetResult(handle) {
                let status = PQresultStatus(result)
                if status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && failure == nil {
                    failure = String(cString: PQresultErrorMessage(result))
                }
                PQclear(result)
            }
        }
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let failure { throw BenchError("raw libpq: pipelined BEGIN: \(failure)") }
    }

    /// Sends several statements in one round trip (libpq pipeline mode), as `Connection.pipeline` does, and
    /// returns their results in order; the caller must `PQclear` each.
    func pipeline(_ statements: [(sql: String, types: [Oid], values: [String?])]) throws(BenchError) -> [OpaquePointer] {
        guard PQenterPipelineMode(handle) == 1 else { throw BenchError("raw libpq: cannot enter pipeline mode") }
        defer { PQexitPipelineMode(handle) }
        for statement in statements {
            let sent = RawConnection.withParameterPointers(statement.values) { pointers in
                PQsendQueryParams(handle, statement.sql, Int32(statement.values.count), statement.types, pointers, nil, nil, 0)
            }
            guard sent == 1 else { throw BenchError("raw libpq: cannot send a pipelined statement: \(String(cString: PQerrorMessage(handle)))") }
        }
        guard PQpipelineSync(handle) == 1 else { throw BenchError("raw libpq: cannot send the pipeline") }
        var results: [OpaquePointer] = []
        var failure: String?
        for _ in statements {
            while let result = PQgetResult(handle) {
                let status = PQresultStatus(result)
                if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK {
                    results.append(result)
                } else {
                    if failure == nil && status != PGRES_PIPELINE_ABORTED { failure = String(cString: PQresultErrorMessage(result)) }
                    PQclear(result)
                }
            }
        }
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let failure {
            results.forEach { PQclear($0) }
            throw BenchError("raw libpq: pipeline: \(failure)")
        }
        return results
    }

    /// Ends a failed transaction; errors are irrelevant on this path.
    func rollback() {
        if PQtransactionStatus(handle) != PQTRANS_IDLE, let result = PQexec(handle, "ROLLBACK") {
            PQclear(result)
        }
    }

    /// Copies the parameters, NUL-terminated, into one stack buffer and passes libpq pointers into it:
    /// no heap allocation beyond what the caller's `[String?]` already made.
    private static func withParameterPointers<R>(_ values: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        var total = 0
        for value in values {
            if let value { total += value.utf8.count + 1 }
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(total, 1)) { bytes in
            withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: max(values.count, 1)) { pointers in
                var offset = 0
                for (index, value) in values.enumerated() {
                    guard var value else {
                        pointers[index] = nil
                        continue
                    }
                    let start = bytes.baseAddress! + offset
                    let count = value.withUTF8 { utf8 in
                        if let source = utf8.baseAddress { start.update(from: source, count: utf8.count) }
                        return utf8.count
                    }
                    start[count] = 0
                    pointers[index] = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
                    offset += count + 1
                }
                return body(UnsafePointer(pointers.baseAddress))
            }
        }
    }

    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        withParameterPointers(strings + [nil], body)
    }
}

/// Reads values of a libpq result (text format) into Swift types.
enum RawValue {
    static func isNull(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Bool {
        PQgetisnull(result, row, column) == 1
    }

    static func string(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> String {
        String(cString: PQgetvalue(result, row, column))
    }

    static func optionalString(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> String? {
        isNull(result, row, column) ? nil : string(result, row, column)
    }

    static func uuid(_ result: OpaquePointer, _ row: Int32, _ column: Int32) throws(BenchError) -> UUID {
        guard let uuid = UUID(uuidString: string(result, row, column)) else {
            throw BenchError("raw libpq: column \(column) is not a uuid")
        }
        return uuid
    }

    /// `jsonb` text into our `JSONValue` (the same decoder our layer uses), or nil for NULL.
    static func json(_ result: OpaquePointer, _ row: Int32, _ column: Int32) throws -> JSONValue? {
        if isNull(result, row, column) { return nil }
        return try JSONValue(parsing: String(cString: PQgetvalue(result, row, column)))
    }

    /// `timestamptz` text as the session settings produce it (`2025-01-02 03:04:05.123456+00`), parsed
    /// in place from libpq's buffer.
    static func timestamp(_ result: OpaquePointer, _ row: Int32, _ column: Int32) throws(BenchError) -> Date {
        let start = UnsafeRawPointer(PQgetvalue(result, row, column)!).assumingMemoryBound(to: UInt8.self)
        let bytes = UnsafeBufferPointer(start: start, count: Int(PQgetlength(result, row, column)))
        guard let date = parseTimestamp(bytes) else {
            throw BenchError("raw libpq: column \(column) is not an ISO timestamptz: \(String(decoding: bytes, as: UTF8.self))")
        }
        return date
    }

    static func parseTimestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<digits {
                let c = bytes[i]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
                i += 1
            }
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              expect(32), let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2)
        else { return nil }
        var micros: Int64 = 0
        if expect(46) {
            var scale: Int64 = 100_000
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                micros += Int64(bytes[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < bytes.count, bytes[i] == 43 || bytes[i] == 45 else { return nil }
        let sign: Int64 = bytes[i] == 45 ? -1 : 1
        i += 1
        guard let offsetHours = number(2) else { return nil }
        var offsetMinutes: Int64 = 0
        if expect(58) {
            guard let value = number(2) else { return nil }
            offsetMinutes = value
        }
        guard i == bytes.count else { return nil }
        // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - sign * (offsetHours * 3600 + offsetMinutes * 60)
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }
}
