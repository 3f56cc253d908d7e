import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 7, item 3: the products table over a real store — keyset pages both ways, filters, live
/// refresh keeping the selection, status changes with confirmation — and golden frames.
@Suite("Console: products screen")
struct ProductsScreenTests {
    typealias C = ProductCatalogWorld

    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    static func openProducts(_ world: ShellWorld, as email: String = "manager@demo-games.test") throws -> TenantContext {
        let store = try C.enter(world, as: email)
        C.open(world, ProductsScreen(store: store))
        return store
    }

    var products: (ShellWorld) -> ProductsScreen? = { C.top($0, ProductsScreen.self) }

    @Test(arguments: sizes)
    func theTableShowsTheNewestProductFirst(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            _ = try Self.openProducts(world)
            let screen = try #require(products(world))
            #expect(screen.table.rows.map { $0.cells[0] } == ["Disco Elysium", "Stardew Valley", "Celeste", "Hades", "Portal 2"])
            #expect(screen.table.selectedRow?.cells[0] == "Disco Elysium")
            GoldenFile.check(world.runner.frame(), "products-table")
        }
    }

    @Test func endJumpsToTheOldestProductAmongThousands() throws {
        try ShellWorld.withDemo { world in
            let store = try C.enter(world)
            try world.asOwner { connection, tenant in
                try connection.execute("""
                    INSERT INTO products (tenant_id, product_type_id, name, slug, status, metadata, created_at, updated_at)
                    SELECT \(tenant), t.id, 'Bulk ' || lpad(g::text, 4, '0'), 'bulk-' || g, 'draft', '{}',
                           timestamptz '2026-01-01 00:00Z' + g * interval '1 minute', timestamptz '2026-01-01 00:00Z'
                      FROM product_types t, generate_series(1, 3000) AS g
                     WHERE t.tenant_id = \(tenant) AND t.slug = 'game'
                    """)
            }
            C.open(world, ProductsScreen(store: store))
            let first = try #require(products(world))
            #expect(first.table.selectedRow?.cells[0] == "Bulk 3000")
            #expect(first.table.hasMoreAfter)
            world.send(.end)
            let atEnd = try #require(products(world))
            #expect(atEnd.table.selectedRow?.cells[0] == "Portal 2", "the demo's first product is the oldest")
            #expect(atEnd.table.rows.count <= atEnd.table.maxRows)
            world.send(.up, .up)
            #expect(products(world)?.table.selectedRow?.cells[0] == "Celeste")
            // Walking up past the loaded window asks for the pages before it.
            for _ in 0..<150 { world.send(.up) }
            #expect(products(world)?.table.selectedRow?.cells[0] == "Bulk \(String(format: "%04d", 150 - 2))")
            world.send(.home)
            #expect(products(world)?.table.selectedRow?.cells[0] == "Bulk 3000")
        }
    }

    @Test func statusTypeSearchAndAttributeFilters() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.openProducts(world)
            _ = try world.services.products.update(store, slug: "hades", .init(status: .draft))
            world.send(.character("s"))
            #expect(products(world)?.status == .draft)
            #expect(products(world)?.table.rows.map { $0.cells[0] } == ["Hades"])
            world.send(.character("s"))
            #expect(products(world)?.status == .active)
            #expect(products(world)?.table.rows.count == 4)
            world.send(.character("c"))
            #expect(products(world)?.status == nil)
            world.send(.character("t"))
            #expect(products(world)?.typeSlug == "game")
            #expect(products(world)?.table.rows.count == 5)
            world.send(.character("c"))

            world.send(.character("/"))
            world.type("platform=gog")
            #expect(products(world)?.table.rows.map { $0.cells[0] } == ["Disco Elysium", "Celeste"])
            world.type(" disco")
            world.send(.enter)
            #expect(products(world)?.table.rows.map { $0.cells[0] } == ["Disco Elysium"])
            #expect(world.text.contains("matching \"platform=gog disco\""))
            world.send(.character("/"), .escape)
            #expect(products(world)?.table.rows.count == 5)
        }
    }

    @Test func aLiveChangeReReadsTheRowsKeepsTheSelectionAndHighlightsIt() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.openProducts(world)
            world.send(.down, .down)
            let selected = try #require(products(world)?.table.selectedRow)
            #expect(selected.cells[0] == "Celeste")
            _ = try world.services.products.update(store, slug: "celeste", .init(name: "Celeste Classic"))
            world.runner.post(.changes([ChangeNotice(tenantID: store.tenantID, event: "after_product_update", id: "x")]))
            let after = try #require(products(world))
            #expect(after.table.selectedRow?.id == selected.id)
            #expect(after.table.selectedRow?.cells[0] == "Celeste Classic")
            #expect(after.table.changedIDs == [selected.id])
        }
    }

    @Test func aProductAddedLiveCanBeOpenedAtOnce() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.openProducts(world)
            _ = try world.services.products.create(store, typeSlug: "game", name: "Nebula Drift",
                                                    data: .object(["title": .string("Nebula Drift"), "platform": .string("steam")]))
            world.runner.post(.changes([ChangeNotice(tenantID: store.tenantID, event: "after_product_create", id: "x")]))
            #expect(products(world)?.table.rows.first?.cells[0] == "Nebula Drift")
            world.send(.home, .enter)
            let detail = try #require(C.top(world, ProductDetailScreen.self), "Enter opens the product that came in live")
            #expect(detail.slug == "nebula-drift")
        }
    }

    @Test func statusChangesAskFirst() throws {
        try ShellWorld.withDemo { world in
            let store = try Self.openProducts(world)
            world.send(.down)
            #expect(products(world)?.selectedProduct?.slug == "stardew-valley")
            world.send(.character("x"))
            #expect(world.shell.overlayName == "confirm")
            #expect(world.text.contains("Archive Stardew Valley?"))
            world.send(.escape)
            #expect(try world.services.products.show(store, slug: "stardew-valley").status == .active, "cancelled: nothing changed")
            world.send(.character("x"), .character("y"))
            #expect(try world.services.products.show(store, slug: "stardew-valley").status == .archived)
            #expect(products(world)?.table.selectedRow?.cells[2] == "archived")
            world.send(.character("d"), .character("y"))
            #expect(try world.services.products.show(store, slug: "stardew-valley").status == .draft)
            world.send(.character("a"), .enter)
            #expect(try world.services.products.show(store, slug: "stardew-valley").status == .active, "Enter confirms a non-destructive change")
        }
    }

    @Test func everyActionIsInTheHelpAndThePalette() throws {
        try ShellWorld.withDemo { world in
            _ = try Self.openProducts(world)
            let names = world.shell.paletteItems().map(\.name)
            for action in ["New product", "Edit the selected product", "Archive the selected product", "Make the selected product active",
                           "Cycle the status filter", "Cycle the product type filter", "Oldest product"] {
                #expect(names.contains(action), "\(action) in the palette")
            }
            world.send(.character("?"))
            #expect(world.text.contains("New product"))
        }
    }

    @Test func staffWithoutWriteSeeNoWriteActions() throws {
        try ShellWorld.withDemo { world in
            let store = try C.enter(world, as: "fulfilment@demo-games.test")
            #expect(!store.can(.productsRead))
            let manager = TenantContext(tenantID: store.tenantID, tenantSlug: store.tenantSlug, userID: store.userID, role: "viewer",
                                        permissions: [Permission.productsRead.rawValue])
            C.open(world, ProductsScreen(store: manager))
            let names = world.shell.paletteItems().map(\.name)
            #expect(!names.contains("New product"))
            world.send(.character("n"))
            #expect(world.topTitle == "Products")
        }
    }
}
