import CLibPQ
import Foundation

/// One libpq connection: runs `SQL` statements with bound parameters and returns decoded rows.
///
/// Blocking and not thread-safe by design: a connection belongs to one caller at a time (a
/// `ConnectionPool` lends it out; the console runs database work off its input loop). Every connection
/// uses the same session settings (UTC, ISO dates, hex bytea, UTF-8) so decoding never guesses, and
/// server notices are captured in `notices` instead of being printed over a terminal.
public final class Connection {
    let handle: OpaquePointer
    private let noticeBox: NoticeBox
    private var closed = false

    /// Where this connection points, for messages: `host:port/database` (never a password).
    public let endpoint: String

    /// Connects with a libpq connection string or URL (`postgresql://user@/db?host=/socket/dir`).
    /// A failure throws one clear line naming the server and libpq's reason.
    public static func connect(_ conninfo: String, applicationName: String = "backoffice") throws(PostgresError) -> Connection {
        // Keywords after `dbname` override what the connection string says, so the caller's own
        // `options` (a statement_timeout, a search_path) are carried over in front of ours; ours come
        // last because decoding depends on them.
        let sessionOptions = "-c DateStyle=ISO,YMD -c TimeZone=UTC -c IntervalStyle=iso_8601 -c extra_float_digits=3 -c bytea_output=hex"
        let callerOptions = ConnectionString.value(of: "options", in: conninfo) ?? ""
        let keywords = ["dbname", "client_encoding", "options", "fallback_application_name", "connect_timeout"]
        let values = [
            conninfo, "UTF8",
            callerOptions.isEmpty ? sessionOptions : callerOptions + " " + sessionOptions,
            applicationName, "10",
        ]
        let handle: OpaquePointer? = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else {
            throw PostgresError(kind: .connectionUnavailable, message: "cannot connect to PostgreSQL: out of memory")
        }
        let endpoint = Connection.describeEndpoint(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = Connection.firstLine(of: String(cString: PQerrorMessage(handle)))
            PQfinish(handle)
            throw PostgresError(kind: .connectionUnavailable, message: "cannot connect to PostgreSQL at \(endpoint): \(reason)")
        }
        return Connection(handle: handle, endpoint: endpoint)
    }

    private init(handle: OpaquePointer, endpoint: String) {
        self.handle = handle
        self.endpoint = endpoint
        self.noticeBox = NoticeBox()
        PQsetNoticeReceiver(handle, { argument, result in
            guard let argument, let result else { return }
            let box = Unmanaged<NoticeBox>.fromOpaque(argument).takeUnretainedValue()
            box.append(PostgresNotice(result: result))
        }, Unmanaged.passUnretained(noticeBox).toOpaque())
    }

    deinit {
        if !closed { PQfinish(handle) }
    }

    /// Closes the connection; using it afterwards throws.
    public func close() {
        guard !closed else { return }
        closed = true
        PQfinish(handle)
    }

    /// Server notices and warnings received so far (the newest 100), oldest first.
    public var notices: [PostgresNotice] { noticeBox.notices }

    /// Whether the connection is open and usable.
    ///
    /// `PQstatus` alone only notices a lost server on the next read, so a connection whose backend went
    /// away while it sat idle (server restart, an administrator, `idle_session_timeout`) would look fine.
    /// When the socket has something to read while nothing was asked, that input is consumed: a
    /// terminated backend leaves its FATAL message and end-of-file there, which marks the connection bad.
    public var isHealthy: Bool {
        guard !closed, PQstatus(handle) == CONNECTION_OK else { return false }
        guard PQisBusy(handle) == 0 else { return true }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        for _ in 0..<8 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(handle) == 0 { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether a transaction block is open (or failed and awaiting rollback).
    public var isInTransaction: Bool {
        guard !closed else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// The backend's process id (what `pg_stat_activity.pid` shows).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Runs a statement and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) throws(PostgresError) -> QueryResult {
        guard !closed else { throw PostgresError(kind: .usage, message: "the connection is closed") }
        let (text, binds) = sql.render()
        let result = try withParameters(binds) { types, values in
            PQexecParams(handle, text, Int32(binds.count), types, values, nil, nil, 0)
        }
        return try check(result, statement: text)
    }

    /// Lays bound parameters out as libpq wants them (type OIDs, NUL-terminated texts, NULL as nil) for
    /// the duration of `body`. A NUL character cannot be sent in text format and is refused.
    func withParameters<R>(_ binds: [PostgresBind], _ body: ([Oid], [UnsafePointer<CChar>?]) -> R) throws(PostgresError) -> R {
        var types = [Oid]()
        types.reserveCapacity(binds.count)
        var offsets = [Int](repeating: -1, count: binds.count)
        var size = 0
        for bind in binds { size += (bind.text?.utf8.count ?? -1) + 1 }
        var storage = [CChar]()
        storage.reserveCapacity(size)
        for (index, bind) in binds.enumerated() {
            types.append(bind.type.rawValue)
            guard var value = bind.text else { continue }
            let hasNUL = value.withUTF8 { bytes -> Bool in
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
                if memchr(base, 0, bytes.count) != nil { return true }
                offsets[index] = storage.count
                bytes.withMemoryRebound(to: CChar.self) { storage.append(contentsOf: $0) }
                return false
            }
            if hasNUL {
                throw PostgresError(kind: .invalidData, message: "a text value contains a NUL character, which PostgreSQL cannot store")
            }
            if offsets[index] < 0 { offsets[index] = storage.count }
            storage.append(0)
        }
        return storage.withUnsafeBufferPointer { buffer in
            var values = [UnsafePointer<CChar>?]()
            values.reserveCapacity(offsets.count)
            for offset in offsets {
                values.append(offset < 0 ? nil : buffer.baseAddress! + offset)
            }
            return body(types, values)
        }
    }

    /// Runs a statement for its effect and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: SQL) throws(PostgresError) -> Int {
        try query(sql).affectedRows
    }

    /// Runs a multi-statement script (migrations, fixtures) over the simple query protocol.
    public func execute(script: SQLScript) throws(PostgresError) {
        guard !closed else { throw PostgresError(kind: .usage, message: "the connection is closed") }
        guard PQsendQuery(handle, script.text) == 1 else {
            throw connectionError(prefix: "cannot send \(script.name)")
        }
        var firstError: PostgresError?
        while let result = PQgetResult(handle) {
            do {
                _ = try check(result, statement: script.name)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if var firstError {
            firstError.message = "\(script.name): \(firstError.message)"
            throw firstError
        }
    }

    /// Turns a libpq result into rows, or into a classified error (clearing the result).
    private func check(_ result: OpaquePointer?, statement: String) throws(PostgresError) -> QueryResult {
        guard let result else {
            throw connectionError(prefix: "query failed")
        }
        return try checkResult(result)
    }

    func checkResult(_ result: OpaquePointer) throws(PostgresError) -> QueryResult {
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(result: result)
        default:
            let error = makeError(result)
            PQclear(result)
            throw error
        }
    }

    private func makeError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let sqlState = field(Int32(UInt8(ascii: "C")))
        let primary = field(Int32(UInt8(ascii: "M"))) ?? Connection.firstLine(of: String(cString: PQresultErrorMessage(result)))
        let detail = field(Int32(UInt8(ascii: "D")))
        var kind = sqlState.map { PostgresError.kind(forSQLState: $0, message: primary, detail: detail) } ?? .other
        if PQstatus(handle) != CONNECTION_OK { kind = .connectionUnavailable }
        let message = kind == .connectionUnavailable && sqlState == nil
            ? "database unavailable: lost the connection to \(endpoint) (\(primary))"
            : primary
        return PostgresError(
            kind: kind, message: message, sqlState: sqlState, detail: detail,
            hint: field(Int32(UInt8(ascii: "H"))),
            constraint: field(Int32(UInt8(ascii: "n"))),
            table: field(Int32(UInt8(ascii: "t"))),
            column: field(Int32(UInt8(ascii: "c")))
        )
    }

    func connectionError(prefix: String) -> PostgresError {
        let reason = Connection.firstLine(of: String(cString: PQerrorMessage(handle)))
        if PQstatus(handle) != CONNECTION_OK {
            return PostgresError(kind: .connectionUnavailable, message: "database unavailable: lost the connection to \(endpoint) (\(reason))")
        }
        return PostgresError(kind: .other, message: "\(prefix): \(reason)")
    }

    static func describeEndpoint(_ handle: OpaquePointer) -> String {
        let host = PQhost(handle).map { String(cString: $0) } ?? ""
        let port = PQport(handle).map { String(cString: $0) } ?? ""
        let database = PQdb(handle).map { String(cString: $0) } ?? ""
        var text = host.isEmpty ? "the local socket" : host
        if !port.isEmpty && !host.hasPrefix("/") { text += ":\(port)" }
        if !database.isEmpty { text += "/\(database)" }
        return text
    }

    /// libpq's messages span lines ("connection to server … failed: reason\n\tIs the server running…").
    /// Keeps the reason: the part after the last "failed: " of the first line.
    static func firstLine(of message: String) -> String {
        let line = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? message
        var reason = line.trimmingCharacters(in: .whitespaces)
        if let range = reason.range(of: "failed: ", options: .backwards) {
            reason = String(reason[range.upperBound...])
        }
        return reason.isEmpty ? "unknown error" : reason
    }
}

/// Converts Swift strings to a NUL-terminated C string array for the duration of `body`.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var storage = [CChar]()
    var offsets = [Int]()
    for string in strings {
        offsets.append(storage.count)
        storage.append(contentsOf: string.utf8CString)
    }
    return storage.withUnsafeBufferPointer { buffer in
        var pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 }
        pointers.append(nil)
        return body(pointers)
    }
}

/// Collects notices from libpq's C callback; owned by its connection.
final class NoticeBox {
    private(set) var notices: [PostgresNotice] = []
    func append(_ notice: PostgresNotice) {
        if notices.count >= 100 { notices.removeFirst() }
        notices.append(notice)
    }
}

/// A NOTICE or WARNING the server sent (e.g. "relation already exists, skipping").
public struct PostgresNotice: Sendable, CustomStringConvertible {
    public var severity: String
    public var message: String

    init(result: OpaquePointer) {
        severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? "NOTICE"
        message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
    }

    public var description: String { "\(severity): \(message)" }
}
