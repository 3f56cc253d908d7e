import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 7, item 3: `ProductBrowsing`, keyset pages of products both ways with `list`'s filters, and
/// `LicenseKeyService.reveal` of one key.
@Suite struct ProductBrowsingTests {
    typealias W = CatalogWorld

    /// Products "Game 00"…"Game 29", created a minute apart (Game 29 newest); even ones active, every
    /// third on steam, the rest on epic.
    static func withGames<T>(_ body: (W) throws -> T) throws -> T {
        try W.withGame { w in
            for index in 0..<30 {
                try w.product(String(format: "Game %02d", index),
                              #"{"title": "Game \#(index)", "platform": "\#(index % 3 == 0 ? "steam" : "epic")"}"#,
                              status: index % 2 == 0 ? .active : .draft)
            }
            try w.world.owner.execute("""
                UPDATE products SET created_at = timestamptz '2026-01-01 00:00Z' + substring(name from 6)::int * interval '1 minute'
                 WHERE tenant_id = \(w.tenant.id)
                """)
            return try body(w)
        }
    }

    static func numbers(_ page: ProductBrowsing.Page) -> [Int] {
        page.products.map { Int($0.name.dropFirst(5))! }
    }

    @Test func pagesBothWaysFromEitherEnd() throws {
        try Self.withGames { w in
            let browsing = ProductBrowsing(service: w.products)
            let first = try browsing.page(w.ownerContext, at: .first, limit: 10)
            #expect(Self.numbers(first) == Array((20...29).reversed()))
            #expect(first.hasOlder && !first.hasNewer)
            #expect(first.cursors.map(\.id) == first.products.map(\.id))

            let second = try browsing.page(w.ownerContext, at: .after(try #require(first.cursors.last)), limit: 10)
            #expect(Self.numbers(second) == Array((10...19).reversed()))
            #expect(second.hasOlder && second.hasNewer)

            let back = try browsing.page(w.ownerContext, at: .before(try #require(second.cursors.first)), limit: 10)
            #expect(Self.numbers(back) == Array((20...29).reversed()))
            #expect(!back.hasNewer)

            let last = try browsing.page(w.ownerContext, at: .last, limit: 10)
            #expect(Self.numbers(last) == Array((0...9).reversed()))
            #expect(!last.hasOlder && last.hasNewer)

            let from = try browsing.page(w.ownerContext, at: .from(second.cursors[0]), limit: 5)
            #expect(Self.numbers(from) == [19, 18, 17, 16, 15])
            #expect(from.hasNewer && from.hasOlder)

            // The cursor is the row's place, not the row: a refresh from a deleted row still works.
            try w.products.delete(w.ownerContext, slug: "game-19")
            let afterDelete = try browsing.page(w.ownerContext, at: .from(second.cursors[0]), limit: 5)
            #expect(Self.numbers(afterDelete) == [18, 17, 16, 15, 14])
            #expect(afterDelete.hasNewer)

            // Cursors survive their text form.
            let cursor = second.cursors[3]
            #expect(ProductBrowsing.Cursor(cursor.description) == cursor)
            #expect(ProductBrowsing.Cursor("nonsense") == nil)
        }
    }

    @Test func filtersByStatusTypeNameAndAttribute() throws {
        try Self.withGames { w in
            let browsing = ProductBrowsing(service: w.products)
            let steamActive = try browsing.page(w.ownerContext, filter: .init(status: .active, attributes: [.init(key: "platform", value: "steam")]),
                                                at: .first, limit: 50)
            #expect(Self.numbers(steamActive) == [24, 18, 12, 6, 0])
            let lastTwo = try browsing.page(w.ownerContext, filter: .init(status: .active, attributes: [.init(key: "platform", value: "steam")]),
                                            at: .last, limit: 2)
            #expect(Self.numbers(lastTwo) == [6, 0])
            #expect(lastTwo.hasNewer)

            let named = try browsing.page(w.ownerContext, filter: .init(search: "game 2"), at: .first, limit: 50)
            #expect(Self.numbers(named) == Array((20...29).reversed()))
            #expect(try browsing.page(w.ownerContext, filter: .init(typeSlug: "game"), at: .first, limit: 50).products.count == 30)
            #expect(try browsing.page(w.ownerContext, filter: .init(typeSlug: "nope"), at: .first, limit: 50).products.isEmpty)

            let unknown = try #require(throws: ValidationError.self) {
                try browsing.page(w.ownerContext, filter: .init(attributes: [.init(key: "colour", value: "red")]), at: .first, limit: 10)
            }
            #expect(unknown.issues.first?.rule == "unknownField")
            #expect(throws: ValidationError.self) { try browsing.page(w.ownerContext, at: .first, limit: 0) }
        }
    }

    @Test func needsProductsRead() throws {
        try W.withGame { w in
            let outsider = TenantContext(tenantID: w.tenant.id, tenantSlug: "shop", userID: UUID(), role: "nobody", permissions: [])
            #expect(throws: ForbiddenError.self) { try ProductBrowsing(service: w.products).page(outsider, at: .first, limit: 10) }
        }
    }

    @Test func revealShowsOneKeyOnlyWithKeysRevealAndAuditsIt() throws {
        try LicenseKeyServiceTests.withPool { w in
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "AAAA-1111\nBBBB-2222\nCCCC-3333")
            let listed = try w.keys.list(w.ownerContext, sku: "P2-KEY")
            let target = try #require(listed.first { $0.key.hasSuffix("2222") })
            let entry = try w.keys.reveal(w.ownerContext, sku: "P2-KEY", keyID: try #require(UUID(uuidString: target.id)))
            #expect(entry.key == "BBBB-2222")
            #expect(entry.revealed)
            let audit = try w.world.auditRows(w.tenant.id).filter { $0.action == "license_keys.revealed" }
            #expect(audit.count == 1)
            #expect(audit.first?.after?["keys"] == .array([.string(target.id)]))

            let staff = try w.world.member(.staff, in: "shop", email: "staff@shop.test")
            try w.refused(ForbiddenError.self) {
                _ = try w.keys.reveal(staff.context, sku: "P2-KEY", keyID: UUID(uuidString: target.id)!)
            }
            #expect(throws: NotFoundError.self) { try w.keys.reveal(w.ownerContext, sku: "P2-KEY", keyID: UUID()) }
        }
    }
}
