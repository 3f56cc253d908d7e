import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 8, item 5: the store's audit log — live while open (entries written meanwhile appear without a
/// keypress, the selection kept) — and golden frames of the log and of one entry.
@Suite("Console: audit log screen")
struct AuditLogScreenTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    static func enter(_ world: ShellWorld) throws -> TenantContext {
        world.signIn("owner@demo-games.test")
        return try #require(world.shell.session?.store?.context)
    }

    var audit: (ShellWorld) -> AuditLogScreen? = { AdminWorld.top($0, AuditLogScreen.self) }

    /// Forty entries by the store's manager a minute apart from 2030-01-01 00:00 UTC (newer than anything
    /// the demo wrote), so the first screenful does not depend on the clock.
    static func writeFixedEntries(_ world: ShellWorld, _ store: TenantContext) throws {
        AuditRows.timeFormat.timeZone = TimeZone(identifier: "UTC")
        let owner = try world.testDatabase.owner()
        defer { owner.close() }
        try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: store.tenantID.uuidString)
            try connection.execute("""
                INSERT INTO audit_log (tenant_id, created_at, actor_user_id, action, entity_type, entity_id, before, after)
                SELECT \(store.tenantID), timestamptz '2030-01-01 00:00Z' + g * interval '1 minute',
                       (SELECT id FROM users WHERE email = 'manager@demo-games.test'),
                       (ARRAY['product.updated', 'order.paid', 'delivery.delivered', 'variant.updated'])[1 + g % 4],
                       (ARRAY['product', 'order', 'delivery', 'variant'])[1 + g % 4],
                       'fixture-' || lpad(g::text, 3, '0'),
                       jsonb_build_object('status', 'draft', 'step', g - 1),
                       jsonb_build_object('status', 'active', 'step', g)
                  FROM generate_series(1, 40) AS g
                """)
        }
    }

    @Test(arguments: sizes)
    func theLogNewestFirstAndOneEntrysBeforeAndAfter(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            let store = try Self.enter(world)
            try Self.writeFixedEntries(world, store)
            AdminWorld.open(world, AuditLogScreen(store: store))
            let screen = try #require(audit(world))
            #expect(screen.table.selectedRow?.cells == ["2030-01-01 00:40:00", "manager@demo-games.test", "product.updated", "product fixture-040"])
            GoldenFile.check(world.runner.frame(), "audit-log")
            world.send(.down, .enter)
            #expect(world.topTitle == "Audit entry")
            #expect(world.text.contains("variant.updated") && world.text.contains("step"))
            GoldenFile.check(world.runner.frame(), "audit-entry")
        }
    }

    @Test func entriesWrittenMeanwhileAppearLiveKeepingTheSelection() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.enter(world)
            AdminWorld.open(world, AuditLogScreen(store: store))
            world.send(.down, .down)
            let selected = try #require(audit(world)?.table.selectedRow)
            let top = try #require(audit(world)?.table.rows.first)

            _ = try world.services.products.update(store, slug: "hades", .init(status: .draft))
            world.runner.post(.changes([ChangeNotice(tenantID: store.tenantID, event: "after_product_update", id: "x")]))

            let after = try #require(audit(world))
            #expect(after.table.selectedRow?.id == selected.id, "the selection stays on its entry")
            let newest = try #require(after.table.rows.first)
            #expect(newest.id != top.id, "the new entry is on top")
            #expect(newest.cells[1] == "owner@demo-games.test")
            #expect(newest.cells[3].hasPrefix("product"))
            #expect(after.table.changedIDs.contains(newest.id), "and highlighted")
            // It can be opened at once: the screen keeps the entries of the rows it shows.
            world.send(.home, .enter)
            #expect(world.topTitle == "Audit entry")
            #expect(world.text.contains("draft"))
        }
    }
}
