import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4, item 5: license-key pools through `LicenseKeyService`.
@Suite struct LicenseKeyServiceTests {
    typealias W = CatalogWorld

    /// A world with the game type, product `portal-2` and its keys variant `P2-KEY`.
    static func withPool<T>(_ body: (W) throws -> T) throws -> T {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.variant("portal-2", sku: "P2-KEY", inventory: .keys, delivery: "email")
            return try body(w)
        }
    }

    /// Every key's plaintext in the pool, sorted (as the owner, revealed). Keys imported together share
    /// their `created_at`, so the order within one import is not defined.
    static func plaintexts(_ w: W, sku: String = "P2-KEY") throws -> [String] {
        try w.keys.list(w.ownerContext, sku: sku, limit: 1000, reveal: true).map(\.key).sorted()
    }

    @Test func oneKeyPerLineWithDuplicatesReportedByLine() throws {
        try Self.withPool { w in
            let first = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "AAAA-1111\nBBBB-2222\n\n  CCCC-3333  \nAAAA-1111\r\nDDDD-4444\n")
            #expect(first.sku == "P2-KEY")
            #expect(first.imported == 4)
            #expect(first.duplicateLinesInFile == [5])
            #expect(first.alreadyInPool == [])
            #expect(first.emptyLines == 1)
            #expect(first.counts == LicenseKeyService.KeyCounts(available: 4))

            let second = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "DDDD-4444\nEEEE-5555\n BBBB-2222\nEEEE-5555")
            #expect(second.imported == 1)
            #expect(second.duplicateLinesInFile == [4])
            #expect(second.alreadyInPool == [1, 3])
            #expect(second.counts.available == 5)
            #expect(try Self.plaintexts(w) == ["AAAA-1111", "BBBB-2222", "CCCC-3333", "DDDD-4444", "EEEE-5555"])
            // The variant's stock is its available keys.
            #expect(try w.products.show(w.ownerContext, slug: "portal-2").variants.first?.stock == 5)
            #expect(try w.auditActions().filter { $0 == "license_keys.imported" }.count == 2)
        }
    }

    @Test func csvWithAKeyColumnAndQuotedCells() throws {
        try Self.withPool { w in
            let csv = [
                #"id,Key,note"#,
                #"1,"KEY,WITH,COMMAS",first"#,
                #"2,"KEY ""QUOTED""",second"#,
                #"3,PLAIN-KEY,third"#,
                #"4,,empty"#,
                #"5,PLAIN-KEY,repeat"#,
                #"6,"KEY,WITH,COMMAS",repeat"#,
            ].joined(separator: "\n") + "\n"
            let report = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: csv)
            #expect(report.imported == 3)
            #expect(report.duplicateLinesInFile == [6, 7])
            #expect(report.emptyLines == 1)
            #expect(try Self.plaintexts(w) == ["KEY \"QUOTED\"", "KEY,WITH,COMMAS", "PLAIN-KEY"])

            // A file whose header has no key column is one key per line, header included.
            let plain = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "code\nPLAIN-KEY\nNEW-KEY")
            #expect(plain.imported == 2)
            #expect(plain.alreadyInPool == [2])
        }
    }

    @Test func filesWithWindowsLineEndingsAreReadLineByLine() throws {
        try Self.withPool { w in
            let csv = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "key,note\r\n\"K-1\",a\r\nK-2,b\r\nK-1,c\r\n")
            #expect(csv.imported == 2)
            #expect(csv.duplicateLinesInFile == [4])
            let plain = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "K-3\r\n\r\nK-2\r\n")
            #expect(plain.imported == 1)
            #expect(plain.emptyLines == 1)
            #expect(plain.alreadyInPool == [3])
            #expect(try Self.plaintexts(w) == ["K-1", "K-2", "K-3"])
        }
    }

    @Test func badKeyFilesAreRefusedWholeNamingTheLines() throws {
        try Self.withPool { w in
            let error = try w.refused(ValidationError.self) {
                _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "GOOD-1\nBAD\u{1B}[31m\n\(String(repeating: "K", count: 1001))\nGOOD-2")
            }
            #expect(error.issues.map(\.field) == ["line 2", "line 3"])
            #expect(error.issues.map(\.rule) == ["controlCharacters", "maxLength"])
        }
    }

    @Test func countsByStatus() throws {
        try Self.withPool { w in
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: (1...6).map { "KEY-\($0)" }.joined(separator: "\n"))
            try w.world.owner.execute("""
                UPDATE license_keys SET status = CASE id
                    WHEN (SELECT id FROM license_keys ORDER BY created_at, id LIMIT 1 OFFSET 0) THEN 'reserved'
                    WHEN (SELECT id FROM license_keys ORDER BY created_at, id LIMIT 1 OFFSET 1) THEN 'delivered'
                    WHEN (SELECT id FROM license_keys ORDER BY created_at, id LIMIT 1 OFFSET 2) THEN 'delivered'
                    WHEN (SELECT id FROM license_keys ORDER BY created_at, id LIMIT 1 OFFSET 3) THEN 'revoked'
                    ELSE status END
                """)
            let counts = try w.keys.count(w.ownerContext, sku: "P2-KEY")
            #expect(counts == LicenseKeyService.KeyCounts(available: 2, reserved: 1, delivered: 2, revoked: 1))
            #expect(counts.total == 6)
            #expect(try w.keys.list(w.ownerContext, sku: "P2-KEY", status: "delivered").count == 2)
            #expect(try w.keys.list(w.ownerContext, sku: "P2-KEY", limit: 3).count == 3)
            _ = try #require(throws: ValidationError.self) { try w.keys.list(w.ownerContext, sku: "P2-KEY", status: "lost") }
            _ = try #require(throws: ValidationError.self) { try w.keys.list(w.ownerContext, sku: "P2-KEY", limit: 0) }
            _ = try #require(throws: NotFoundError.self) { try w.keys.count(w.ownerContext, sku: "NOPE") }
            #expect(try w.products.show(w.ownerContext, slug: "portal-2").variants.first?.stock == 2)
        }
    }

    @Test func aVariantThatDoesNotSellKeysRefusesThemWith409() throws {
        try Self.withPool { w in
            try w.variant("portal-2", sku: "P2-BOX", inventory: .count, quantity: 3)
            try w.variant("portal-2", sku: "P2-DL")
            for sku in ["P2-BOX", "P2-DL"] {
                let error = try w.refused(ConflictError.self, "\(sku)") { _ = try w.keys.importKeys(w.ownerContext, sku: sku, text: "AAAA-1111") }
                #expect(error.statusCode == 409)
                #expect(error.field == "sku")
            }
            _ = try w.refused(NotFoundError.self) { _ = try w.keys.importKeys(w.ownerContext, sku: "NOPE", text: "AAAA-1111") }
            let clerk = try w.world.member(.fulfilment, in: "shop").context
            _ = try w.refused(ForbiddenError.self) { _ = try w.keys.importKeys(clerk, sku: "P2-KEY", text: "AAAA-1111") }
        }
    }

    @Test func listingIsRedactedAndRevealingNeedsKeysRevealAndIsAudited() throws {
        try Self.withPool { w in
            let secrets = ["ABCD-EFGH-IJKL-MNOP", "QRST-UVWX-YZ12-3456"]
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: secrets.joined(separator: "\n"))
            let staff = try w.world.member(.staff, in: "shop").context
            let auditBefore = try w.world.count("audit_log")
            let redacted = try w.keys.list(staff, sku: "P2-KEY")
            let hidden = String(repeating: "•", count: 15)
            #expect(redacted.map(\.key).sorted() == [hidden + "3456", hidden + "MNOP"])
            #expect(redacted.allSatisfy { !$0.revealed && $0.status == "available" })
            #expect(try w.world.count("audit_log") == auditBefore)

            let refused = try w.refused(ForbiddenError.self) { _ = try w.keys.list(staff, sku: "P2-KEY", reveal: true) }
            #expect(refused.statusCode == 403)
            #expect(refused.message.contains("keys.reveal"))

            let revealed = try w.keys.list(w.ownerContext, sku: "P2-KEY", reveal: true)
            #expect(revealed.map(\.key).sorted() == secrets)
            #expect(revealed.allSatisfy { $0.revealed })
            #expect(revealed.map(\.id) == redacted.map(\.id))
            #expect(zip(revealed, redacted).allSatisfy { $0.key.suffix(4) == $1.key.suffix(4) })
            let audit = try #require(try w.world.auditRows(w.tenant.id).last)
            #expect(audit.action == "license_keys.revealed")
            #expect(audit.actor == w.owner.user.id)
            #expect(audit.entityType == "variant")
            #expect(audit.after?["keys"] == .array(revealed.map { .string($0.id) }))
            #expect(audit.after?["sku"] == .string("P2-KEY"))
            #expect(try w.world.count("audit_log") == auditBefore + 1)
        }
    }

    @Test func keysAreSealedAndTheirTextIsStoredNowhere() throws {
        try Self.withPool { w in
            let secrets = ["SECRET-KEY-0001", "Ключ-ünïcode-0002"]
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: secrets.joined(separator: "\n"))
            _ = try w.keys.list(w.ownerContext, sku: "P2-KEY", reveal: true)
            for table in ["license_keys", "audit_log", "outbox", "product_variants"] {
                let dump: String = try w.world.owner.query("SELECT coalesce(string_agg(t::text, '|'), '') AS d FROM \(ident: table) t").single().decode("d")
                for secret in secrets {
                    #expect(!dump.contains(secret), "\(table) holds a key's text")
                    let hex = secret.utf8.map { String(format: "%02x", $0) }.joined()
                    #expect(!dump.lowercased().contains(hex), "\(table) holds a key's bytes")
                }
            }
            let rows = try w.world.owner.query("SELECT ciphertext, lookup_hash, key_id FROM license_keys")
            #expect(rows.count == 2)
            for row in rows {
                let ciphertext: Data = try row.decode("ciphertext")
                #expect(ciphertext.count >= 12 + 16 + 15)
                #expect(try row.decode("lookup_hash", as: Data.self).count == 32)
                #expect(try row.decode("key_id", as: String.self) == w.keys.box.keyring.currentKeyID)
            }
        }
    }

    @Test func aKeySealedForOneStoreCannotBeOpenedInAnother() throws {
        try Self.withPool { w in
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "STOLEN-KEY-0001")
            try w.world.makeTenant("other")
            let other = try w.world.member(.owner, in: "other").context
            _ = try w.types.importDefinition(other, try W.gameDefinition())
            _ = try w.products.create(other, typeSlug: "game", name: "Portal 2", data: W.json(#"{"title": "Portal 2"}"#))
            let variant = try w.variants.create(other, .init(productSlug: "portal-2", sku: "O-KEY", price: "1", currency: "EUR", inventory: .keys))

            // Copy the sealed row into the other store, underneath the services.
            try w.world.owner.execute("""
                INSERT INTO license_keys (tenant_id, variant_id, ciphertext, key_id, lookup_hash)
                SELECT \(other.tenantID), \(variant.id), ciphertext, key_id, lookup_hash FROM license_keys WHERE tenant_id = \(w.tenant.id)
                """)
            #expect(try w.keys.count(other, sku: "O-KEY").available == 1)
            let auditBefore = try w.world.count("audit_log")
            for reveal in [false, true] {
                let error = try #require(throws: KeyVaultError.self, "reveal \(reveal)") { try w.keys.list(other, sku: "O-KEY", reveal: reveal) }
                #expect(error.kind == .authenticationFailed)
                #expect(!error.message.contains("STOLEN"))
                #expect(!"\(error)".contains("STOLEN"))
            }
            #expect(try w.world.count("audit_log") == auditBefore)
            // The home store still opens it.
            #expect(try Self.plaintexts(w) == ["STOLEN-KEY-0001"])

            // The same key text is not a duplicate in another store: lookup hashes are per store.
            try w.world.owner.execute("DELETE FROM license_keys WHERE tenant_id = \(other.tenantID)")
            let report = try w.keys.importKeys(other, sku: "O-KEY", text: "STOLEN-KEY-0001")
            #expect(report.imported == 1 && report.alreadyInPool.isEmpty)
            #expect(try w.keys.list(other, sku: "O-KEY", reveal: true).map(\.key) == ["STOLEN-KEY-0001"])
        }
    }
}
