import Foundation
import Postgres
import Testing

/// Every supported Swift type, bound as a parameter and decoded back through the real server.
@Suite struct PostgresValueRoundTripTests {
    /// `SELECT $1 AS v` and decode it back as the same type.
    private func roundTrip<T: PostgresEncodable & PostgresDecodable>(_ value: T, _ c: Connection) throws -> T {
        try c.query("SELECT \(value) AS v").single().decode("v", as: T.self)
    }

    @Test func strings() throws {
        try PGTest.withOwner { c in
            let samples = [
                "", " ", "  padded  ", "plain", "héllo wörld", "日本語テキスト", "emoji 🎉👩‍👩‍👧‍👦🇫🇷",
                "line\nbreak\ttab\r", "quote ' double \" back\\slash", "NULL", "{a,b}", "\u{202E}rtl",
                String(repeating: "long ", count: 20_000),
            ]
            for sample in samples {
                #expect(try roundTrip(sample, c) == sample)
                // The server sees the same characters (code points), not a re-encoding.
                let length: Int = try c.query("SELECT length(\(sample)) AS n").single().decode("n")
                #expect(length == sample.unicodeScalars.count)
            }
            let sub = "a substring here".dropFirst(2).prefix(9)
            #expect(try c.query("SELECT \(sub) AS v").single().decode("v", as: String.self) == "substring")
        }
    }

    @Test func nullBindsAsATypedNullAndDecodesAsOptional() throws {
        try PGTest.withOwner { c in
            let text: String? = nil
            let number: Int? = nil
            let id: UUID? = nil
            let when: Date? = nil
            let row = try c.query("""
                SELECT \(text as String?) AS t, \(number as Int?) AS n, \(id as UUID?) AS u, \(when as Date?) AS d,
                       pg_typeof(\(text as String?))::text AS tt, pg_typeof(\(number as Int?))::text AS nt,
                       pg_typeof(\(id as UUID?))::text AS ut, pg_typeof(\(when as Date?))::text AS dt
                """).single()
            #expect(try row.decode("t", as: String?.self) == nil)
            #expect(try row.decode("n", as: Int?.self) == nil)
            #expect(try row.decode("u", as: UUID?.self) == nil)
            #expect(try row.decode("d", as: Date?.self) == nil)
            #expect(row.isNull("t"))
            #expect(try row.decode("tt", as: String.self) == "text")
            #expect(try row.decode("nt", as: String.self) == "bigint")
            #expect(try row.decode("ut", as: String.self) == "uuid")
            #expect(try row.decode("dt", as: String.self) == "timestamp with time zone")

            let some: String? = ""
            let empty = try c.query("SELECT \(some as String?) AS v, \(some as String?) IS NULL AS isnull").single()
            #expect(try empty.decode("v", as: String?.self) == "")
            #expect(try empty.decode("isnull", as: Bool.self) == false)
        }
    }

    @Test func integersAtTheirLimits() throws {
        try PGTest.withOwner { c in
            for value in [Int64.min, -1, 0, 1, Int64(Int32.max) + 1, Int64.max] {
                #expect(try roundTrip(value, c) == value)
            }
            for value in [Int.min, 0, Int.max] {
                #expect(try roundTrip(value, c) == value)
            }
            for value in [Int32.min, -1, 0, Int32.max] {
                #expect(try roundTrip(value, c) == value)
            }
            for value in [Int16.min, 0, Int16.max] {
                #expect(try roundTrip(value, c) == value)
            }
            let types = try c.query("""
                SELECT pg_typeof(\(Int16(1)))::text AS a, pg_typeof(\(Int32(1)))::text AS b,
                       pg_typeof(\(Int64(1)))::text AS c, pg_typeof(\(1))::text AS d,
                       \(Int64.max) - 1 AS arithmetic
                """).single()
            #expect(try types.decode("a", as: String.self) == "smallint")
            #expect(try types.decode("b", as: String.self) == "integer")
            #expect(try types.decode("c", as: String.self) == "bigint")
            #expect(try types.decode("d", as: String.self) == "bigint")
            #expect(try types.decode("arithmetic", as: Int64.self) == Int64.max - 1)
        }
    }

    @Test func booleans() throws {
        try PGTest.withOwner { c in
            #expect(try roundTrip(true, c) == true)
            #expect(try roundTrip(false, c) == false)
            let row = try c.query("SELECT \(true) AND NOT \(false) AS v").single()
            #expect(try row.decode("v", as: Bool.self))
        }
    }

    @Test func doublesIncludingSpecialValues() throws {
        try PGTest.withOwner { c in
            let samples: [Double] = [
                0, 1.5, -2.25, 0.1, .pi, 1e300, -1e-300, 123_456_789.123_456_789,
                .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude,
                .infinity, -.infinity,
            ]
            for sample in samples {
                #expect(try roundTrip(sample, c) == sample)
            }
            let negativeZero = try roundTrip(-0.0, c)
            #expect(negativeZero == 0 && negativeZero.sign == .minus)
            #expect(try roundTrip(Double.nan, c).isNaN)
            let row = try c.query("""
                SELECT \(Double.nan) = 'NaN'::float8 AS nan, \(Double.infinity) = 'Infinity'::float8 AS inf,
                       \(-Double.infinity) = '-Infinity'::float8 AS ninf, \(0.1) = 0.1::float8 AS tenth
                """).single()
            for column in ["nan", "inf", "ninf", "tenth"] {
                #expect(try row.decode(column, as: Bool.self), "\(column)")
            }
        }
    }

    @Test func uuids() throws {
        try PGTest.withOwner { c in
            let nilUUID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!
            for id in [UUID(), UUID(), nilUUID] {
                #expect(try roundTrip(id, c) == id)
            }
            let id = UUID()
            let text: String = try c.query("SELECT \(id)::text AS v").single().decode("v")
            #expect(text == id.uuidString.lowercased())
            let server: UUID = try c.query("SELECT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS v").single().decode("v")
            #expect(server == UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        }
    }

    @Test func datesKeepMicrosecondsAndWorkBefore1970() throws {
        try PGTest.withOwner { c in
            let cases: [(Double, String)] = [
                (1_700_000_000.123456, "2023-11-14 22:13:20.123456"),
                (0, "1970-01-01 00:00:00.000000"),
                (-1.5, "1969-12-31 23:59:58.500000"),
                (-0.000001, "1969-12-31 23:59:59.999999"),
                (-618_061_903.210988, "1950-06-01 12:08:16.789012"),
                (-2_208_988_800, "1900-01-01 00:00:00.000000"),
                (951_782_400.000001, "2000-02-29 00:00:00.000001"),
            ]
            for (seconds, expected) in cases {
                let date = Date(timeIntervalSince1970: seconds)
                let text: String = try c.query("SELECT to_char(\(date) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS v").single().decode("v")
                #expect(text == expected, "\(seconds)")
                let back = try roundTrip(date, c)
                #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000_000_5, "\(seconds)")
                // Writing what we read gives the same instant on the server, to the microsecond.
                let same: Bool = try c.query("SELECT \(back) = \(date) AS v").single().decode("v")
                #expect(same, "\(seconds)")
            }
        }
    }

    @Test func datesReadFromServerTypes() throws {
        try PGTest.withOwner { c in
            let row = try c.query("""
                SELECT '2024-02-29 12:00:00.5+02'::timestamptz AS tz, '2024-02-29 12:00:00'::timestamp AS ts,
                       '2024-02-29'::date AS d, '0001-01-01 00:00:00+00'::timestamptz AS old,
                       'infinity'::timestamptz AS inf
                """).single()
            #expect(try row.decode("tz", as: Date.self).timeIntervalSince1970 == 1_709_200_800.5)
            #expect(try row.decode("ts", as: Date.self).timeIntervalSince1970 == 1_709_208_000)
            #expect(try row.decode("d", as: Date.self).timeIntervalSince1970 == 1_709_164_800)
            let old = try row.decode("old", as: Date.self)
            #expect(old.timeIntervalSince1970 == -62_135_596_800)
            let oldText: String = try c.query("SELECT \(old)::text AS v").single().decode("v")
            #expect(oldText == "0001-01-01 00:00:00+00")
            #expect(try row.decode("inf", as: Date.self) == .distantFuture)
        }
    }

    @Test func byteaWithEveryByteValue() throws {
        try PGTest.withOwner { c in
            let all = Data((0...255).map { UInt8($0) })
            #expect(try roundTrip(all, c) == all)
            #expect(try roundTrip(Data(), c) == Data())
            #expect(try roundTrip(Data([0, 0, 0]), c) == Data([0, 0, 0]))
            let row = try c.query("SELECT length(\(all)) AS n, get_byte(\(all), 0) AS first, get_byte(\(all), 255) AS last, md5(\(all)) AS h").single()
            #expect(try row.decode("n", as: Int.self) == 256)
            #expect(try row.decode("first", as: Int.self) == 0)
            #expect(try row.decode("last", as: Int.self) == 255)
            #expect(try row.decode("h", as: String.self) == "e2c865db4162bed963bfaa9ef6ac18f0")
            let server: Data = try c.query("SELECT '\\xDEADbeef'::bytea AS v").single().decode("v")
            #expect(server == Data([0xDE, 0xAD, 0xBE, 0xEF]))
        }
    }

    @Test func jsonValuesRoundTripExactly() throws {
        try PGTest.withOwner { c in
            let big: Int64 = 9_007_199_254_740_993 // 2^53 + 1: not representable as a Double
            let value = JSONValue.object([
                "big": .integer(big),
                "max": .integer(.max),
                "min": .integer(.min),
                "one": .integer(1),
                "zero": .integer(0),
                "half": .number(1.5),
                "flag": .bool(true),
                "off": .bool(false),
                "nothing": .null,
                "text": .string("héllo \"quoted\" \\ / 🎉\n"),
                "list": .array([.integer(1), .string("two"), .array([]), .object([:]), .null]),
                "nested": .object(["deeper": .object(["deepest": .array([.bool(false), .number(-0.25)])])]),
                "ünïcode kéy": .string(""),
            ])
            #expect(try roundTrip(value, c) == value)
            let row = try c.query("""
                SELECT \(value) ->> 'big' AS big, jsonb_typeof(\(value) -> 'flag') AS flag,
                       jsonb_typeof(\(value) -> 'one') AS one, pg_typeof(\(value))::text AS type,
                       \(value) #>> '{nested,deeper,deepest,1}' AS deep
                """).single()
            #expect(try row.decode("big", as: String.self) == "9007199254740993")
            #expect(try row.decode("flag", as: String.self) == "boolean")
            #expect(try row.decode("one", as: String.self) == "number")
            #expect(try row.decode("type", as: String.self) == "jsonb")
            #expect(try row.decode("deep", as: String.self) == "-0.25")

            for scalar in [JSONValue.null, .bool(true), .integer(big), .string("s"), .array([]), .object([:])] {
                #expect(try roundTrip(scalar, c) == scalar)
            }
            let fromServer: JSONValue = try c.query("SELECT '{\"n\": 12345678901234567}'::jsonb AS v").single().decode("v")
            #expect(fromServer == .object(["n": .integer(12_345_678_901_234_567)]))
        }
    }

    struct Settings: Codable, Sendable, Equatable {
        struct Limits: Codable, Sendable, Equatable {
            var maxItems: Int
            var ratio: Double
        }
        var theme: String
        var tags: [String]
        var limits: Limits
        var note: String?
        var counts: [String: Int64]
    }

    @Test func jsonbOfACodableStruct() throws {
        try PGTest.withOwner { c in
            let settings = Settings(
                theme: "dark \"mode\" 🌙", tags: ["a", "b,c", ""], limits: .init(maxItems: 50, ratio: 0.75),
                note: nil, counts: ["big": 9_007_199_254_740_993]
            )
            let back: Jsonb<Settings> = try c.query("SELECT \(Jsonb(settings)) AS v").single().decode("v")
            #expect(back.value == settings)
            let row = try c.query("SELECT \(Jsonb(settings)) ->> 'theme' AS theme, \(Jsonb(settings)) #>> '{limits,maxItems}' AS max").single()
            #expect(try row.decode("theme", as: String.self) == settings.theme)
            #expect(try row.decode("max", as: Int.self) == 50)

            // Through a table column, too.
            try c.execute("CREATE TEMP TABLE prefs (id int PRIMARY KEY, settings jsonb NOT NULL)")
            try c.execute("INSERT INTO prefs VALUES (1, \(Jsonb(settings)))")
            let stored = try c.query("SELECT settings FROM prefs WHERE id = 1").single().decode("settings", as: Jsonb<Settings>.self)
            #expect(stored.value == settings)
        }
    }

    @Test func textArraysWithAwkwardElements() throws {
        try PGTest.withOwner { c in
            let elements: [String?] = [
                "plain", "", " spaced ", "a,b", "{braces}", "quo\"te", "back\\slash", "NULL", "null", nil,
                "émoji 🎉", "multi\nline", "\\\"", "end",
            ]
            let back: [String?] = try c.query("SELECT \(elements)::text[] AS v").single().decode("v")
            #expect(back == elements)
            let row = try c.query("""
                SELECT cardinality(\(elements)) AS n, (\(elements))[10] IS NULL AS null10,
                       (\(elements))[8] AS word, array_position(\(elements), 'a,b') AS comma,
                       (\(elements))[6] AS quote, (\(elements))[7] AS backslash
                """).single()
            #expect(try row.decode("n", as: Int.self) == elements.count)
            #expect(try row.decode("null10", as: Bool.self))
            #expect(try row.decode("word", as: String.self) == "NULL")
            #expect(try row.decode("comma", as: Int.self) == 4)
            #expect(try row.decode("quote", as: String.self) == "quo\"te")
            #expect(try row.decode("backslash", as: String.self) == "back\\slash")

            let empty: [String] = try c.query("SELECT \([String]())::text[] AS v").single().decode("v")
            #expect(empty.isEmpty)
            let nonOptional: [String] = try c.query("SELECT \(["x", "y z"]) AS v").single().decode("v")
            #expect(nonOptional == ["x", "y z"])
        }
    }

    @Test func arraysWorkWithAny() throws {
        try PGTest.withOwner { c in
            try c.execute("CREATE TEMP TABLE things (id int NOT NULL, uid uuid NOT NULL, name text NOT NULL)")
            let ids = (0..<5).map { _ in UUID() }
            let names = ["plain", "a,b", "quo\"te", "back\\slash", "NULL"]
            for index in 0..<5 {
                try c.execute("INSERT INTO things VALUES (\(Int32(index)), \(ids[index]), \(names[index]))")
            }
            let byName: [Int] = try c.query("SELECT id FROM things WHERE name = ANY(\(["a,b", "back\\slash", "NULL", "absent"])) ORDER BY id").map { try $0.decode("id") }
            #expect(byName == [1, 3, 4])
            let byID: [Int] = try c.query("SELECT id FROM things WHERE uid = ANY(\([ids[0], ids[2], UUID()])) ORDER BY id").map { try $0.decode("id") }
            #expect(byID == [0, 2])
            let byNumber: [Int] = try c.query("SELECT id FROM things WHERE id = ANY(\([4, 0, 99])) ORDER BY id").map { try $0.decode("id") }
            #expect(byNumber == [0, 4])
            let none: Int = try c.query("SELECT count(*) AS n FROM things WHERE id = ANY(\([Int]()))").single().decode("n")
            #expect(none == 0)
        }
    }

    @Test func numericUUIDAndOtherArraysRoundTrip() throws {
        try PGTest.withOwner { c in
            let ints = [Int.min, -1, 0, 1, Int.max]
            #expect(try roundTrip(ints, c) == ints)
            let int64s: [Int64] = [.min, .max]
            #expect(try roundTrip(int64s, c) == int64s)
            let int32s: [Int32] = [.min, 7, .max]
            #expect(try roundTrip(int32s, c) == int32s)
            let uuids = [UUID(), UUID(), UUID()]
            #expect(try roundTrip(uuids, c) == uuids)
            let optionalUUIDs: [UUID?] = [UUID(), nil, UUID()]
            let backUUIDs: [UUID?] = try c.query("SELECT \(optionalUUIDs) AS v").single().decode("v")
            #expect(backUUIDs == optionalUUIDs)
            let bools = [true, false, true]
            #expect(try roundTrip(bools, c) == bools)
            let doubles = [0.1, -2.5, .infinity, -.infinity, 1e-300]
            #expect(try roundTrip(doubles, c) == doubles)
            let dates = [Date(timeIntervalSince1970: 1_700_000_000.5), Date(timeIntervalSince1970: -86_400.25)]
            #expect(try roundTrip(dates, c) == dates)
            let types = try c.query("SELECT pg_typeof(\(ints))::text AS i, pg_typeof(\(uuids))::text AS u, pg_typeof(\(["s"]))::text AS s").single()
            #expect(try types.decode("i", as: String.self) == "bigint[]")
            #expect(try types.decode("u", as: String.self) == "uuid[]")
            #expect(try types.decode("s", as: String.self) == "text[]")
        }
    }

    @Test func aNULCharacterIsRefusedBeforeReachingTheServer() throws {
        try PGTest.withOwner { c throws in
            let sneaky = "abc\u{0}def"
            let error = #expect(throws: PostgresError.self) { try c.query("SELECT \(sneaky) AS v") }
            #expect(error?.kind == .invalidData)
            #expect(error?.sqlState == nil)
            #expect(error?.message.contains("NUL") == true)

            let inArray = #expect(throws: PostgresError.self) { try c.query("SELECT \(["ok", sneaky]) AS v") }
            #expect(inArray?.kind == .invalidData)
            let optional: String? = sneaky
            let inOptional = #expect(throws: PostgresError.self) { try c.query("SELECT \(optional as String?) AS v") }
            #expect(inOptional?.kind == .invalidData)

            // The connection is untouched and still usable.
            #expect(c.isHealthy)
            #expect(!c.isInTransaction)
            #expect(try c.query("SELECT \("fine") AS v").single().decode("v", as: String.self) == "fine")
        }
    }
}
