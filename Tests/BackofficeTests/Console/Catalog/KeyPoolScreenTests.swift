import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 7, item 5: key pools — counts, masked keys, importing a file in chunks with duplicates
/// reported by line, and revealing one key only with `keys.reveal`, audited and hidden again.
@Suite("Console: key pools")
struct KeyPoolScreenTests {
    typealias C = ProductCatalogWorld

    var pool: (ShellWorld) -> KeyPoolScreen? = { C.top($0, KeyPoolScreen.self) }

    static func open(_ world: ShellWorld, as email: String = "manager@demo-games.test", revealSeconds: Double = 8) throws -> TenantContext {
        let store = try C.enter(world, as: email)
        var screen = KeyPoolScreen(store: store, sku: "G1-KEY")
        screen.revealSeconds = revealSeconds
        screen.chunkSize = 300
        C.open(world, screen)
        return store
    }

    @Test func keysAreMaskedAndCounted() throws {
        try ShellWorld.withDemo { world in
            _ = try Self.open(world)
            let screen = try #require(pool(world))
            let counts = try #require(screen.counts)
            #expect(counts.total == 12)
            #expect(screen.keys.count == 12)
            #expect(screen.keys.allSatisfy { $0.masked.hasPrefix("••••") && !$0.masked.contains("DEMO") })
            #expect(!world.text.contains("DEMO-"))
            #expect(world.text.contains("\(counts.available) available"))
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
            let selected = try #require(pool(world)?.keys[1])
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
            let key = screen.keys[0]
            let context = ScreenContext(theme: .default, session: nil, contentSize: Size(width: 80, height: 22))
            let entry = LicenseKeyService.KeyEntry(id: key.id, status: key.status, key: "DEMO-G1-PLAIN", revealed: true, createdAt: key.createdAt)
            let effect = screen.update(.message(.revealed(.success(entry))), context: context)
            guard case .run = effect else {
                Issue.record("a reveal schedules its hiding: \(effect)")
                return
            }
            var frame = CellBuffer(size: Size(width: 80, height: 22))
            screen.view(into: &frame, in: Rect(x: 0, y: 0, width: 80, height: 22), context: context)
            #expect(frame.textDump().contains("DEMO-G1-PLAIN"))
            _ = screen.update(.message(.hide(id: key.id)), context: context)
            frame = CellBuffer(size: Size(width: 80, height: 22))
            screen.view(into: &frame, in: Rect(x: 0, y: 0, width: 80, height: 22), context: context)
            #expect(!frame.textDump().contains("DEMO-G1-PLAIN"))
            #expect(screen.revealed.isEmpty)
            _ = store
        }
    }
}
