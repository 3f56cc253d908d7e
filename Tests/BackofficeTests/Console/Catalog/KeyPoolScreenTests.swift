import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 7, item 5: key pools — counts, masked keys in a table that pages through any size of pool
/// (End reaches the newest of thousands), the status filter, finding a key by its value, importing a
/// file in chunks with duplicates reported by line, and revealing one key only with `keys.reveal`,
/// audited and hidden again.
@Suite("Console: key pools")
struct KeyPoolScreenTests {
    typealias C = ProductCatalogWorld

    var pool: (ShellWorld) -> KeyPoolScreen? = { C.top($0, KeyPoolScreen.self) }

    /// Signs in as `email` and opens the key pool of G1-KEY (the demo's 12 keys, unless `adding` more).
    @discardableResult
    static func open(_ world: ShellWorld, as email: String = "manager@demo-games.test", revealSeconds: Double = 8,
                     adding count: Int = 0) throws -> TenantContext {
        let store = try C.enter(world, as: email)
        if count > 0 { try addKeys(world, store, count) }
        var screen = KeyPoolScreen(store: store, sku: "G1-KEY")
        screen.revealSeconds = revealSeconds
        screen.chunkSize = 300
        C.open(world, screen)
        return store
    }

    /// "KEY-00001"…: the `number`th added key's text.
    static func key(_ number: Int) -> String { String(format: "KEY-%05d", number) }

    /// Imports `count` keys into G1-KEY and makes them newer than the demo's, a minute apart in number
    /// order from 2026-01-01 (matched by their lookup hashes), so the pool's order is known.
    static func addKeys(_ world: ShellWorld, _ store: TenantContext, _ count: Int) throws {
        let keys = (1...count).map(key)
        #expect(try world.services.licenseKeys().importKeys(store, sku: "G1-KEY", text: keys.joined(separator: "\n")).imported == count)
        try order(world, store, keys, from: "2026-01-01 00:00Z")
    }

    /// Gives `keys` (texts of the store's keys) creation times a minute apart in their order from `start`,
    /// matched by their lookup hashes; the status of those in `revoked` becomes revoked.
    static func order(_ world: ShellWorld, _ store: TenantContext, _ keys: [String], from start: String, revoked: [String] = []) throws {
        let box = try world.services.licenseKeys().box
        func hashes(_ keys: [String]) -> [String] {
            keys.map { box.lookupHash($0, context: .licenseKey(tenantID: store.tenantID)).map { String(format: "%02x", $0) }.joined() }
        }
        try world.asOwner { connection, tenant in
            try connection.execute("""
                UPDATE license_keys k SET created_at = \(start)::timestamptz + m.n * interval '1 minute'
                  FROM unnest(\(hashes(keys))::text[]) WITH ORDINALITY AS m(h, n)
                 WHERE k.tenant_id = \(tenant) AND k.lookup_hash = decode(m.h, 'hex')
                """)
            try connection.execute("""
                UPDATE license_keys SET status = 'revoked'
                 WHERE tenant_id = \(tenant) AND lookup_hash IN (SELECT decode(h, 'hex') FROM unnest(\(hashes(revoked))::text[]) AS h)
                """)
        }
    }

    @Test func keysAreMaskedAndCounted() throws {
        try ShellWorld.withDemo { world in
            try Self.open(world)
            let screen = try #require(pool(world))
            let counts = try #require(screen.counts)
            #expect(counts.total == 12)
            #expect(screen.table.rows.count == 12)
            #expect(screen.table.rows.allSatisfy { $0.cells[0].hasPrefix("••••") && !$0.cells[0].contains("DEMO") })
            #expect(screen.table.positionText == "1/12")
            #expect(!world.text.contains("DEMO-"))
            #expect(world.text.contains("\(counts.available) available"))
        }
    }

    /// G3-KEY: the demo's 12 keys of Celeste, none sold; put in text order (they were imported at once),
    /// and one revoked, so the frame does not depend on the run.
    @Test(arguments: ProductsScreenTests.sizes)
    func theKeyPoolFrame(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            let store = try C.enter(world)
            let keys = (1...12).map { String(format: "DEMO-G3-%04d-%d", $0, 70 + $0) }
            try Self.order(world, store, keys, from: "2025-06-02 10:00Z", revoked: [keys[1]])
            C.open(world, KeyPoolScreen(store: store, sku: "G3-KEY"))
            let screen = try #require(pool(world))
            #expect(screen.table.rows.map { $0.cells[0] } == keys.map(SecretBox.redacted))
            #expect(screen.table.rows.map { $0.cells[1] } == ["available", "revoked"] + Array(repeating: "available", count: 10))
            GoldenFile.check(world.runner.frame(), "key-pool")
        }
    }

    @Test(arguments: ProductsScreenTests.sizes)
    func endReachesTheNewestOfThousandsOfKeys(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            try Self.open(world, adding: 3000)
            let first = try #require(pool(world))
            #expect(first.counts?.total == 3012)
            #expect(first.table.rows.count == 100, "one page, not the pool")
            #expect(first.table.positionText == "1/3012")
            #expect(first.table.hasMoreAfter)

            world.send(.end)
            let end = try #require(pool(world))
            #expect(end.table.selectedRow?.cells[0] == SecretBox.redacted(Self.key(3000)))
            #expect(end.table.positionText == "3012/3012")
            #expect(end.table.rows.count <= end.table.maxRows)
            #expect(end.table.hasMoreBefore && !end.table.hasMoreAfter)
            GoldenFile.check(world.runner.frame(), "key-pool-end")

            // Walking up past the loaded window asks for the pages before it.
            for _ in 0..<150 { world.send(.up) }
            #expect(pool(world)?.table.selectedRow?.cells[0] == SecretBox.redacted(Self.key(2850)))
            world.send(.character("g"))
            #expect(pool(world)?.table.positionText == "1/3012")
            #expect(pool(world)?.table.selectedRow?.cells[0].hasPrefix("•") == true)
            world.send(.character("G"))
            #expect(pool(world)?.table.selectedRow?.cells[0] == SecretBox.redacted(Self.key(3000)))
            world.send(.home, .pageDown)
            #expect(pool(world)?.table.absoluteSelectedIndex ?? 0 > 0)
        }
    }

    @Test func aKeyIsFoundByItsValueAndCanBeRevealed() throws {
        // Wide enough for the status bar to show the filter whole.
        try ShellWorld.withDemo(size: Size(width: 120, height: 40)) { world in
            let store = try Self.open(world, revealSeconds: 0, adding: 3000)
            world.send(.character("/"))
            world.type(Self.key(2345))
            #expect(!world.text.contains(Self.key(2345)), "masked as it is typed")
            world.send(.enter)
            let found = try #require(pool(world))
            #expect(found.filter.value == Self.key(2345))
            #expect(found.table.rows.count == 1)
            let row = try #require(found.table.selectedRow)
            #expect(row.cells[0] == SecretBox.redacted(Self.key(2345)))
            #expect(world.text.contains("Key pool of G1-KEY · key " + SecretBox.redacted(Self.key(2345))))
            #expect(world.text.contains("filter: " + SecretBox.redacted(Self.key(2345))))
            #expect(!world.text.contains(Self.key(2345)), "the value sought shows masked, in the heading and the status bar")
            world.send(.character("/"))
            #expect(world.shell.overlayName == "filter")
            #expect(!world.text.contains(Self.key(2345)), "and in the filter line when it reopens")
            world.send(.enter)

            world.send(.character("v"))
            let audit = try C.audit(world, action: "license_keys.revealed")
            #expect(audit.count == 1)
            #expect(audit.first?.actor == store.userID)
            #expect(audit.first?.after?["keys"] == .array([.string(row.id)]), "exactly the key found")

            // Esc on the filter line brings the pool back; a value the pool lacks says so.
            world.send(.character("/"), .escape)
            #expect(pool(world)?.table.rows.count == 100)
            world.send(.character("/"))
            world.type("KEY-99999")
            world.send(.enter)
            #expect(pool(world)?.table.rows.isEmpty == true)
            #expect(world.text.contains("no key with that value in this pool"))
            world.send(.character("s"))
            #expect(world.text.contains("no available key with that value in this pool"))
        }
    }

    @Test func theStatusFilterCycles() throws {
        try ShellWorld.withDemo { world in
            try Self.open(world)
            let counts = try #require(pool(world)?.counts)
            #expect(counts.available == 10 && counts.delivered == 1 && counts.revoked == 1 && counts.reserved == 0)
            world.send(.character("s"))
            var screen = try #require(pool(world))
            #expect(screen.status == "available")
            #expect(screen.table.rows.count == 10)
            #expect(screen.table.rows.allSatisfy { $0.cells[1] == "available" })
            #expect(screen.table.positionText == "1/10")
            #expect(world.text.contains("Key pool of G1-KEY · available"))
            world.send(.character("s"))
            #expect(pool(world)?.status == "reserved")
            #expect(pool(world)?.table.rows.isEmpty == true)
            #expect(world.text.contains("no reserved keys"))
            world.send(.character("s"))
            screen = try #require(pool(world))
            #expect(screen.table.rows.map { $0.cells[1] } == ["delivered"])
            world.send(.character("s"))
            #expect(pool(world)?.table.rows.map { $0.cells[1] } == ["revoked"])
            world.send(.character("s"))
            #expect(pool(world)?.status == nil)
            #expect(pool(world)?.table.rows.count == 12)
        }
    }

    @Test func keysImportedElsewhereArriveLive() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.open(world)
            world.send(.down, .down)
            let selected = try #require(pool(world)?.table.selectedID)
            _ = try world.services.licenseKeys().importKeys(store, sku: "G1-KEY", text: "LIVE-0001\nLIVE-0002")
            world.runner.post(.changes([ChangeNotice(tenantID: store.tenantID, event: "license_keys_imported", id: "x")]))
            let screen = try #require(pool(world))
            #expect(screen.counts?.total == 14)
            #expect(screen.table.rows.count == 14)
            #expect(screen.table.selectedID == selected, "the selection stays")
            #expect(screen.table.changedIDs.count == 2, "the new keys are highlighted")
        }
    }

    @Test func everyActionIsInTheHelpAndThePalette() throws {
        try ShellWorld.withDemo { world in
            try Self.open(world)
            let names = world.shell.paletteItems().map(\.name)
            for action in ["Oldest key", "Newest key", "Import keys from a file", "Reveal the selected key for a few seconds (audited)",
                           "Cycle the status filter", "Reload", "Filter"] {
                #expect(names.contains(action), "\(action) in the palette")
            }
            world.send(.character("?"))
            #expect(world.text.contains("Find a key by its exact value"))
            #expect(world.text.contains("Cycle the status filter"))
        }
    }

    @Test func importAFileInChunksReportingDuplicates() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.open(world)
            let before = try #require(pool(world)?.counts)
            // 1,000 new keys, one repeated (line 1001), an empty line, and a key already in the pool.
            var lines = (1...1000).map { String(format: "IMPORT-%04d", $0) }
            lines += ["IMPORT-0005", "", "DEMO-G1-0001-71"]
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).txt").path
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }

            world.send(.character("i"))
            #expect(pool(world)?.pathInput != nil)
            world.type(path)
            world.send(.enter)
            let screen = try #require(pool(world))
            let progress = try #require(screen.progress)
            #expect(progress.isFinished)
            #expect(progress.failure == nil)
            #expect(progress.imported == 1000)
            #expect(progress.sent == 1001)
            #expect(progress.duplicateLinesInFile == [1001])
            #expect(progress.alreadyInPool == [1003])
            #expect(progress.emptyLines == 1)
            #expect(screen.counts?.available == before.available + 1000)
            // The table read the pool again: its first page now, and the position counts the new keys.
            #expect(screen.table.rows.count == 100)
            #expect(screen.table.positionText == "1/\(before.total + 1000)")
            #expect(world.text.contains("Repeated in the file, skipped: 1 (line 1001)"))
            #expect(world.text.contains("Already in the pool, skipped: 1 (line 1003)"))
            #expect(try world.services.licenseKeys().count(store, sku: "G1-KEY").total == before.total + 1000)
            // Four transactions of at most 300 keys.
            let imports = try C.audit(world, action: "license_keys.imported").filter { $0.after?["sku"] == .string("G1-KEY") }
            #expect(imports.count == 1 + 4, "the demo's import, then four of this one")
            world.send(.escape)
            #expect(pool(world)?.progress == nil, "Esc dismisses the report first")
            #expect(world.topTitle == "Keys G1-KEY")
        }
    }

    @Test func anUnreadableFileIsReported() throws {
        try ShellWorld.withDemo { world in
            _ = try Self.open(world)
            world.send(.character("i"))
            world.type("/nonexistent/keys.txt")
            world.send(.enter)
            #expect(pool(world)?.progress == nil)
            #expect(world.shell.visibleNotices.contains { $0.kind == .error && $0.text.contains("cannot read /nonexistent/keys.txt") })
        }
    }

    @Test func revealIsRefusedWithoutKeysReveal() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.open(world, as: "staff@demo-games.test")
            #expect(!store.can(.keysReveal))
            world.send(.character("v"))
            #expect(pool(world)?.revealed.isEmpty == true)
            #expect(world.shell.visibleNotices.contains { $0.kind == .error && $0.text.contains("keys.reveal") })
            #expect(try C.audit(world, action: "license_keys.revealed").isEmpty)
        }
    }

    @Test func revealShowsOneKeyAuditedAndHidesItAgain() throws {
        try ShellWorld.withDemo { world in
            // The headless runner runs the hiding task at once: a zero delay shows the whole round trip.
            let store = try Self.open(world, revealSeconds: 0)
            world.send(.down)
            let selected = try #require(pool(world)?.table.selectedRow)
            world.send(.character("v"))
            let audit = try C.audit(world, action: "license_keys.revealed")
            #expect(audit.count == 1)
            #expect(audit.first?.actor == store.userID)
            #expect(audit.first?.after?["keys"] == .array([.string(selected.id)]), "exactly the selected key")
            #expect(pool(world)?.revealed.isEmpty == true, "hidden again")
            #expect(!world.text.contains("DEMO-"))
        }
    }

    @Test func aRevealedKeyShowsUntilItsHideMessage() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.open(world)
            var screen = try #require(pool(world))
            let key = try #require(screen.table.rows.first)
            let context = ScreenContext(theme: .default, session: nil, contentSize: Size(width: 80, height: 22))
            let entry = LicenseKeyService.KeyEntry(id: key.id, status: key.cells[1], key: "DEMO-G1-PLAIN", revealed: true, createdAt: Date())
            let effect = screen.update(.message(.revealed(.success(entry))), context: context)
            guard case .run = effect else {
                Issue.record("a reveal schedules its hiding: \(effect)")
                return
            }
            var frame = CellBuffer(size: Size(width: 80, height: 22))
            screen.view(into: &frame, in: Rect(x: 0, y: 0, width: 80, height: 22), context: context)
            let line = try #require(frame.textDump().split(separator: "\n").first { $0.contains("DEMO-G1-PLAIN") })
            #expect(line.contains(key.cells[2]), "in place of the masked key, on its row")
            _ = screen.update(.message(.hide(id: key.id)), context: context)
            frame = CellBuffer(size: Size(width: 80, height: 22))
            screen.view(into: &frame, in: Rect(x: 0, y: 0, width: 80, height: 22), context: context)
            #expect(!frame.textDump().contains("DEMO-G1-PLAIN"))
            #expect(screen.revealed.isEmpty)
            _ = store
        }
    }
}
