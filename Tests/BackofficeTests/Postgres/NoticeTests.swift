import Foundation
import Postgres
import Testing

/// Server notices are collected on the connection (never printed over the terminal).
@Suite struct PostgresNoticeTests {
    @Test func raiseNoticeLandsInNotices() throws {
        try PGTest.withOwner { c in
            #expect(c.notices.isEmpty)
            try c.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful now'; END $$")
            let notices = c.notices
            #expect(notices.map(\.severity) == ["NOTICE", "WARNING"])
            #expect(notices.map(\.message) == ["hello 42", "careful now"])
            #expect(notices.first?.description == "NOTICE: hello 42")

            try c.execute("CREATE TEMP TABLE t (id int)")
            try c.execute("CREATE TEMP TABLE IF NOT EXISTS t (id int)")
            #expect(c.notices.last?.message.contains("already exists, skipping") == true)
            #expect(c.notices.count == 3)
        }
    }

    @Test func noticesFromAFailingStatementAreKept() throws {
        try PGTest.withOwner { c in
            #expect(throws: PostgresError.self) {
                try c.execute("DO $$ BEGIN RAISE NOTICE 'before the failure'; RAISE EXCEPTION 'boom'; END $$")
            }
            #expect(c.notices.map(\.message) == ["before the failure"])
        }
    }

    @Test func onlyTheNewestHundredAreKept() throws {
        try PGTest.withOwner { c in
            try c.execute("DO $$ BEGIN FOR i IN 1..150 LOOP RAISE NOTICE 'n %', i; END LOOP; END $$")
            let notices = c.notices
            #expect(notices.count == 100)
            #expect(notices.first?.message == "n 51")
            #expect(notices.last?.message == "n 150")
        }
    }

    @Test func noticesBelongToTheirOwnConnection() throws {
        try PGTest.withMaintenance { db in
            let a = try db.owner()
            let b = try db.owner()
            defer { a.close(); b.close() }
            try a.execute("DO $$ BEGIN RAISE NOTICE 'for a'; END $$")
            #expect(a.notices.map(\.message) == ["for a"])
            #expect(b.notices.isEmpty)
        }
    }
}
