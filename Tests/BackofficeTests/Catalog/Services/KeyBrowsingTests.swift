import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 7, item 5: `KeyBrowsing`, keyset pages over one variant's license keys both ways (oldest first),
/// narrowed to a status or to the one key with a given value (found by its lookup hash), masked as
/// `LicenseKeyService.list` masks, within the store and only with `products.read`.
@Suite struct KeyBrowsingTests {
    typealias W = CatalogWorld

    static let sku = "P2-KEY"

    /// "KEY-00001"…: the `number`th key's text.
    static func key(_ number: Int) -> String { String(format: "KEY-%05d", number) }

    /// A pool `P2-KEY` of `count` keys "KEY-00001"… imported at once, then given creation times a minute
    /// apart in number order from `start` (so the order is known; masked, a key shows its last 4 digits).
    static func withKeys<T>(_ count: Int = 2500, _ body: (W) throws -> T) throws -> T {
        try LicenseKeyServiceTests.withPool { w in
            let keys = (1...count).map(key)
            let report = try w.keys.importKeys(w.ownerContext, sku: sku, text: keys.joined(separator: "\n"))
            #expect(report.imported == count)
            try spread(w, keys, sku: sku, from: "2026-01-01 00:00Z")
            return try body(w)
        }
    }

    /// Sets the creation times of `keys` (of variant `sku`) a minute apart in their order, from `start`;
    /// keys are matched by their lookup hashes.
    static func spread(_ w: W, _ keys: [String], sku: String, from start: String, in context: TenantContext? = nil) throws {
        let context = context ?? w.ownerContext
        let hashes = keys.map { key in
            w.keys.box.lookupHash(key, context: .licenseKey(tenantID: context.tenantID)).map { String(format: "%02x", $0) }.joined()
        }
        let updated = try w.world.owner.query("""
            UPDATE license_keys k SET created_at = \(start)::timestamptz + m.n * interval '1 minute'
              FROM unnest(\(hashes)::text[]) WITH ORDINALITY AS m(h, n), product_variants v
             WHERE k.tenant_id = \(context.tenantID) AND v.tenant_id = k.tenant_id AND v.id = k.variant_id AND v.sku = \(sku)
               AND k.lookup_hash = decode(m.h, 'hex')
            """).affectedRows
        #expect(updated == keys.count)
    }

    /// The key numbers of a page, read from the masked keys' last digits.
    static func numbers(_ page: KeyBrowsing.Page) -> [Int] {
        page.keys.map { Int($0.key.suffix(4)) ?? -1 }
    }

    @Test func pagesBothWaysOverThousandsOfKeys() throws {
        try Self.withKeys { w in
            let browsing = KeyBrowsing(service: w.keys)
            let auditBefore = try w.world.count("audit_log")
            let first = try browsing.page(w.ownerContext, sku: Self.sku, at: .first, limit: 100)
            #expect(Self.numbers(first) == Array(1...100))
            #expect(!first.hasOlder && first.hasNewer)
            #expect(first.cursors.map { $0.id.uuidString.lowercased() } == first.keys.map(\.id))

            // Forward to the end, a page at a time.
            var page = first
            var numbers = Self.numbers(first)
            var cursors = first.cursors
            var pages = 1
            while page.hasNewer {
                page = try browsing.page(w.ownerContext, sku: Self.sku, at: .after(try #require(page.cursors.last)), limit: 100)
                numbers += Self.numbers(page)
                cursors += page.cursors
                pages += 1
            }
            #expect(numbers == Array(1...2500))
            #expect(pages == 25)

            // The newest page at once, then back to the start in pages of another size.
            let last = try browsing.page(w.ownerContext, sku: Self.sku, at: .last, limit: 100)
            #expect(Self.numbers(last) == Array(2401...2500))
            #expect(last.hasOlder && !last.hasNewer)
            page = last
            var backwards = Self.numbers(last)
            while page.hasOlder {
                page = try browsing.page(w.ownerContext, sku: Self.sku, at: .before(try #require(page.cursors.first)), limit: 300)
                #expect(page.hasNewer)
                backwards = Self.numbers(page) + backwards
            }
            #expect(backwards == Array(1...2500))

            // The window again from a key (a refresh), also from one deleted meanwhile.
            let from = try browsing.page(w.ownerContext, sku: Self.sku, at: .from(cursors[1233]), limit: 10)
            #expect(Self.numbers(from) == Array(1234...1243))
            #expect(from.hasOlder && from.hasNewer)
            let atEnd = try browsing.page(w.ownerContext, sku: Self.sku, at: .from(cursors[2499]), limit: 10)
            #expect(Self.numbers(atEnd) == [2500])
            #expect(atEnd.hasOlder && !atEnd.hasNewer)
            try w.world.owner.execute("DELETE FROM license_keys WHERE tenant_id = \(w.tenant.id) AND id = \(cursors[1233].id)")
            let afterDelete = try browsing.page(w.ownerContext, sku: Self.sku, at: .from(cursors[1233]), limit: 3)
            #expect(Self.numbers(afterDelete) == [1235, 1236, 1237])
            #expect(afterDelete.hasOlder)

            // Masked exactly as `list` masks them; browsing writes no audit entry.
            let listed = try w.keys.list(w.ownerContext, sku: Self.sku, limit: 100)
            #expect(first.keys == listed)
            #expect(first.keys.allSatisfy { !$0.revealed && $0.status == "available" })
            #expect(first.keys[6].key == SecretBox.redacted(Self.key(7)))
            #expect(!first.keys.contains { $0.key.contains("KEY-") })
            #expect(try w.world.count("audit_log") == auditBefore)
        }
    }

    @Test func keysImportedTogetherShareTheirTimeAndPageByID() throws {
        try LicenseKeyServiceTests.withPool { w in
            _ = try w.keys.importKeys(w.ownerContext, sku: Self.sku, text: (1...250).map(Self.key).joined(separator: "\n"))
            let browsing = KeyBrowsing(service: w.keys)
            let everyKey = try w.keys.list(w.ownerContext, sku: Self.sku, limit: 1000).map(\.id)
            #expect(everyKey.count == 250)
            var page = try browsing.page(w.ownerContext, sku: Self.sku, at: .first, limit: 40)
            var forward = page.keys.map(\.id)
            while page.hasNewer {
                page = try browsing.page(w.ownerContext, sku: Self.sku, at: .after(try #require(page.cursors.last)), limit: 40)
                forward += page.keys.map(\.id)
            }
            #expect(forward == everyKey)
            page = try browsing.page(w.ownerContext, sku: Self.sku, at: .last, limit: 40)
            var backward = page.keys.map(\.id)
            while page.hasOlder {
                page = try browsing.page(w.ownerContext, sku: Self.sku, at: .before(try #require(page.cursors.first)), limit: 40)
                backward = page.keys.map(\.id) + backward
            }
            #expect(backward == everyKey)
        }
    }

    @Test func aStatusFilterPagesOnlyThoseKeys() throws {
        try Self.withKeys { w in
            // Every tenth key delivered, keys 3, 103, … revoked.
            try w.world.owner.execute("""
                UPDATE license_keys SET status = CASE
                    WHEN (extract(epoch FROM created_at - timestamptz '2026-01-01 00:00Z') / 60)::int % 10 = 0 THEN 'delivered'
                    WHEN (extract(epoch FROM created_at - timestamptz '2026-01-01 00:00Z') / 60)::int % 100 = 3 THEN 'revoked'
                    ELSE status END
                 WHERE tenant_id = \(w.tenant.id)
                """)
            let browsing = KeyBrowsing(service: w.keys)
            let delivered = KeyBrowsing.Filter(status: "delivered")
            let first = try browsing.page(w.ownerContext, sku: Self.sku, filter: delivered, at: .first, limit: 100)
            #expect(Self.numbers(first) == Array(stride(from: 10, through: 1000, by: 10)))
            #expect(first.keys.allSatisfy { $0.status == "delivered" })
            let last = try browsing.page(w.ownerContext, sku: Self.sku, filter: delivered, at: .last, limit: 100)
            #expect(Self.numbers(last) == Array(stride(from: 1510, through: 2500, by: 10)))
            #expect(last.hasOlder && !last.hasNewer)
            let back = try browsing.page(w.ownerContext, sku: Self.sku, filter: delivered, at: .before(try #require(last.cursors.first)), limit: 100)
            #expect(Self.numbers(back) == Array(stride(from: 510, through: 1500, by: 10)))
            #expect(try w.keys.count(w.ownerContext, sku: Self.sku).delivered == 250)

            let revoked = try browsing.page(w.ownerContext, sku: Self.sku, filter: .init(status: "revoked"), at: .first, limit: 100)
            #expect(Self.numbers(revoked) == Array(stride(from: 3, through: 2403, by: 100)))
            #expect(!revoked.hasOlder && !revoked.hasNewer)
            let available = try browsing.page(w.ownerContext, sku: Self.sku, filter: .init(status: "available"), at: .first, limit: 5)
            #expect(Self.numbers(available) == [1, 2, 4, 5, 6])
            let reserved = try browsing.page(w.ownerContext, sku: Self.sku, filter: .init(status: "reserved"), at: .last, limit: 100)
            #expect(reserved.keys.isEmpty && !reserved.hasOlder && !reserved.hasNewer)

            let error = try #require(throws: ValidationError.self) {
                try browsing.page(w.ownerContext, sku: Self.sku, filter: .init(status: "lost"), at: .first, limit: 10)
            }
            #expect(error.statusCode == 400)
            #expect(error.issues.map(\.field) == ["status"])
        }
    }

    @Test func aKeyIsFoundByItsExactValueWithinItsVariant() throws {
        try Self.withKeys { w in
            try w.variant("portal-2", sku: "P2-KEY2", inventory: .keys)
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY2", text: "OTHER-VARIANT-0001\n\(Self.key(9999))")
            let browsing = KeyBrowsing(service: w.keys)
            let auditBefore = try w.world.count("audit_log")
            func find(_ value: String, sku: String = Self.sku, status: String? = nil) throws -> KeyBrowsing.Page {
                try browsing.page(w.ownerContext, sku: sku, filter: .init(status: status, value: value), at: .first, limit: 50)
            }
            let found = try find(Self.key(1234))
            #expect(Self.numbers(found) == [1234])
            #expect(found.keys.first?.key == SecretBox.redacted(Self.key(1234)))
            #expect(!found.hasOlder && !found.hasNewer)
            #expect(try Self.numbers(find("  \(Self.key(1234))  ")) == [1234], "surrounding spaces are ignored, as on import")
            #expect(try find(Self.key(1234), status: "available").keys.count == 1)
            #expect(try find(Self.key(1234), status: "delivered").keys.isEmpty)
            #expect(try find("key-01234").keys.isEmpty, "exact: case matters")
            #expect(try find("KEY-1234").keys.isEmpty)
            #expect(try find(Self.key(9999)).keys.isEmpty, "another variant's key is not in this pool")
            #expect(try find("OTHER-VARIANT-0001").keys.isEmpty)
            #expect(try find("OTHER-VARIANT-0001", sku: "P2-KEY2").keys.count == 1)
            #expect(try w.world.count("audit_log") == auditBefore, "finding is not revealing")

            // Revealing the key found is the audited reveal.
            let foundKey = try #require(found.keys.first)
            let id = try #require(UUID(uuidString: foundKey.id))
            #expect(try w.keys.reveal(w.ownerContext, sku: Self.sku, keyID: id).key == Self.key(1234))

            let error = try #require(throws: ValidationError.self) { try find(String(repeating: "K", count: 1001)) }
            #expect(error.issues.map(\.field) == ["value"])
            #expect(error.issues.map(\.rule) == ["maxLength"])
        }
    }

    @Test func anotherStoresKeysAreNeverVisible() throws {
        try Self.withKeys(300) { w in
            try w.world.makeTenant("other")
            let other = try w.world.member(.owner, in: "other").context
            _ = try w.types.importDefinition(other, try W.gameDefinition())
            _ = try w.products.create(other, typeSlug: "game", name: "Portal 2", data: W.json(#"{"title": "Portal 2"}"#))
            _ = try w.variants.create(other, .init(productSlug: "portal-2", sku: Self.sku, price: "1", currency: "EUR", inventory: .keys))
            // The other store's pool: the same sku, 40 keys of its own and one text the shop holds too.
            let theirs = (1...40).map { String(format: "THEIRS-%04d", $0) } + [Self.key(7)]
            _ = try w.keys.importKeys(other, sku: Self.sku, text: theirs.joined(separator: "\n"))
            try Self.spread(w, theirs, sku: Self.sku, from: "2025-01-01 00:00Z", in: other)

            let browsing = KeyBrowsing(service: w.keys)
            func everything(_ context: TenantContext, filter: KeyBrowsing.Filter = .init()) throws -> [LicenseKeyService.KeyEntry] {
                var page = try browsing.page(context, sku: Self.sku, filter: filter, at: .first, limit: 500)
                var keys = page.keys
                while page.hasNewer {
                    page = try browsing.page(context, sku: Self.sku, filter: filter, at: .after(try #require(page.cursors.last)), limit: 500)
                    keys += page.keys
                }
                return keys
            }
            let shopKeys = try everything(w.ownerContext)
            let otherKeys = try everything(other)
            #expect(shopKeys.count == 300)
            #expect(otherKeys.count == 41)
            #expect(Set(shopKeys.map(\.id)).isDisjoint(with: otherKeys.map(\.id)))
            #expect(try browsing.page(w.ownerContext, sku: Self.sku, at: .last, limit: 10).keys.allSatisfy { shopKeys.map(\.id).contains($0.id) })

            // By value: each store finds only its own key.
            #expect(try everything(w.ownerContext, filter: .init(value: "THEIRS-0001")).isEmpty)
            let mine = try everything(w.ownerContext, filter: .init(value: Self.key(7)))
            let yours = try everything(other, filter: .init(value: Self.key(7)))
            #expect(mine.count == 1 && yours.count == 1)
            #expect(mine.first?.id != yours.first?.id)
            #expect(shopKeys.contains { $0.id == mine.first?.id })

            // A cursor from the other store's pool pages the shop's own keys only.
            let theirFirst = try browsing.page(other, sku: Self.sku, at: .first, limit: 1)
            let crossed = try browsing.page(w.ownerContext, sku: Self.sku, at: .after(try #require(theirFirst.cursors.first)), limit: 500)
            #expect(crossed.keys.count == 300)
            #expect(crossed.keys.allSatisfy { key in shopKeys.contains { $0.id == key.id } })
        }
    }

    @Test func needsProductsReadAndAKnownVariant() throws {
        try Self.withKeys(10) { w in
            let browsing = KeyBrowsing(service: w.keys)
            let clerk = try w.world.member(.fulfilment, in: "shop").context
            #expect(!clerk.can(.productsRead))
            for filter in [KeyBrowsing.Filter(), KeyBrowsing.Filter(value: Self.key(3))] {
                let refused = try #require(throws: ForbiddenError.self) {
                    try browsing.page(clerk, sku: Self.sku, filter: filter, at: .first, limit: 10)
                }
                #expect(refused.statusCode == 403)
                #expect(refused.message.contains("products.read"))
            }
            // Staff read the pool (masked) without keys.reveal.
            let staff = try w.world.member(.staff, in: "shop", email: "staff@shop.test").context
            #expect(!staff.can(.keysReveal))
            let page = try browsing.page(staff, sku: Self.sku, at: .last, limit: 3)
            #expect(Self.numbers(page) == [8, 9, 10])
            #expect(page.keys.allSatisfy { !$0.revealed && $0.key.hasPrefix("•") })

            let missing = try #require(throws: NotFoundError.self) { try browsing.page(w.ownerContext, sku: "NOPE", at: .first, limit: 10) }
            #expect(missing.statusCode == 404)
            for limit in [0, 501] {
                let error = try #require(throws: ValidationError.self) { try browsing.page(w.ownerContext, sku: Self.sku, at: .first, limit: limit) }
                #expect(error.issues.map(\.field) == ["limit"])
            }
        }
    }

    /// With two variants of 2,500 keys (the other's newer), two in five of each reserved, each page's query
    /// reads the variant's index in order and never sorts: as the app role, under row-level security,
    /// after ANALYZE. (From a cursor, the probe for older keys is an EXISTS that stops at its first row.)
    @Test func pagesAreBoundedIndexScans() throws {
        try Self.withKeys { w in
            try w.variant("portal-2", sku: "P2-NEWER", inventory: .keys)
            let newer = (1...2500).map { String(format: "NEWER-%05d", $0) }
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-NEWER", text: newer.joined(separator: "\n"))
            try Self.spread(w, newer, sku: "P2-NEWER", from: "2027-01-01 00:00Z")
            try w.world.owner.execute("""
                UPDATE license_keys SET status = 'reserved'
                 WHERE tenant_id = \(w.tenant.id) AND (extract(epoch FROM created_at) / 60)::int8 % 5 < 2
                """)
            try w.world.owner.execute("ANALYZE license_keys")
            let variantID: UUID = try w.world.owner.query("""
                SELECT id FROM product_variants WHERE tenant_id = \(w.tenant.id) AND sku = \(Self.sku)
                """).single().decode("id")
            let row = try w.world.owner.query("""
                SELECT id, (extract(epoch FROM created_at) * 1000000)::int8 AS us FROM license_keys
                 WHERE tenant_id = \(w.tenant.id) AND variant_id = \(variantID) ORDER BY created_at, id OFFSET 1200 LIMIT 1
                """).single()
            let middle = KeyBrowsing.Cursor(createdMicros: try row.decode("us"), id: try row.decode("id"))
            func plan(status: String? = nil, hash: Data? = nil, _ position: KeyBrowsing.Position) throws -> [String] {
                let statements = KeyBrowsing.statements(tenantID: w.tenant.id, variantID: variantID, status: status, lookupHash: hash,
                                                        at: position, limit: 100)
                return try w.database.withTenant(w.ownerContext) { tx in
                    try tx.query("EXPLAIN (COSTS OFF) \(statements[0])").map { try $0.decode("QUERY PLAN", as: String.self) }
                }
            }
            #expect(try w.world.owner.query("SELECT count(*)::int AS n FROM license_keys WHERE status = 'reserved'").single().decode("n", as: Int.self) == 2000)
            for position in [KeyBrowsing.Position.first, .last, .after(middle), .before(middle), .from(middle)] {
                let all = try plan(position).joined(separator: "\n")
                #expect(all.contains("Index Scan") && all.contains("license_keys_variant_created_idx") && !all.contains("Sort"), "\(position): \(all)")
                let reserved = try plan(status: "reserved", position).joined(separator: "\n")
                #expect(reserved.contains("license_keys_variant_status_created_idx") && !reserved.contains("Sort"), "reserved \(position): \(reserved)")
            }
            let byValue = try plan(hash: w.keys.box.lookupHash(Self.key(5), context: .licenseKey(tenantID: w.tenant.id)), .first).joined(separator: "\n")
            #expect(byValue.contains("license_keys_tenant_id_variant_id_lookup_hash_key"), "\(byValue)")
        }
    }
}

