import Foundation
import Testing
import Domain

/// Issue 5, item 7: orders, payments and the delivery queue through the real `backoffice` binary.
@Suite struct OrderCLITests {
    typealias CLI = BackofficeCLI

    @Test func aNewUsersOrderWalkthroughEndsFulfilled() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the backoffice executable first (swift build)")
        try TestDatabase.with { db in
            let cli = try CLI(db)
            defer { cli.cleanUp() }
            let password = "correct horse battery\n"
            func ok(_ result: CLI.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(result.status == 0, "\(what): \(result.stderr)\(result.stdout)", sourceLocation: sourceLocation)
            }

            ok(try cli.run("user", "create", "--email", "admin@example.com", "--name", "Ada", "--super-admin", "--password-stdin", stdin: password), "admin")
            ok(try cli.run("login", "--email", "admin@example.com", "--password-stdin", stdin: password), "login")
            ok(try cli.run("tenant", "create", "--slug", "acme", "--name", "Acme Games"), "tenant")
            let typeFile = try cli.file("software.json", #"{"slug": "software", "name": "Software", "schema": {"fields": []}}"#)
            ok(try cli.run("product-type", "import", typeFile, "--tenant", "acme"), "product type")
            let product = try cli.run("product", "create", "--type", "software", "--name", "Space Game", "--status", "active", "--tenant", "acme", "--json")
            ok(product, "product")
            let slug = try #require(product.data["slug"] as? String)
            ok(try cli.run("variant", "create", "--product", slug, "--sku", "SPACE-KEY", "--price", "19.99", "--currency", "EUR",
                           "--inventory", "keys", "--tenant", "acme"), "key variant")
            let keysFile = try cli.file("keys.txt", "SPACE-AAAA-BBBB-CCCC\n")
            ok(try cli.run("keys", "import", "--sku", "SPACE-KEY", keysFile, "--tenant", "acme"), "keys")
            ok(try cli.run("variant", "create", "--product", slug, "--sku", "SPACE-BOX", "--price", "5.01", "--currency", "EUR",
                           "--delivery", "manual", "--tenant", "acme"), "manual variant")

            let created = try cli.run("order", "create", "--email", "buyer@example.com", "--item", "SPACE-KEY:1", "--item", "SPACE-BOX:1",
                                      "--tenant", "acme", "--json")
            ok(created, "order create")
            #expect(created.envelope["success"] as? Bool == true)
            let number = try #require(created.data["number"] as? Int)
            #expect(created.data["status"] as? String == "pending_payment")
            #expect((created.data["total"] as? [String: Any])?["amount"] as? Int == 2500)

            let paid = try cli.run("order", "pay", String(number), "--amount", "25.00", "--method", "bank_transfer", "--reference", "BANK-0001",
                                   "--tenant", "acme", "--json")
            ok(paid, "order pay")
            #expect(paid.data["recorded"] as? Bool == true)

            let shown = try cli.run("order", "show", String(number), "--tenant", "acme", "--json")
            ok(shown, "order show")
            #expect(shown.data["status"] as? String == "fulfilling")
            let deliveries = shown.data["deliveries"] as? [[String: Any]] ?? []
            #expect(deliveries.count == 2)
            let key = deliveries.first { $0["sku"] as? String == "SPACE-KEY" }
            let box = deliveries.first { $0["sku"] as? String == "SPACE-BOX" }
            #expect(key?["status"] as? String == "delivered")
            #expect(key?["kind"] as? String == "key")
            #expect(box?["status"] as? String == "pending")
            #expect(box?["reason"] as? String == "manual delivery")
            #expect(!shown.stdout.contains("SPACE-AAAA-BBBB-CCCC"), "the key itself is not shown")

            // A fulfilment clerk works the queue.
            ok(try cli.run("user", "create", "--email", "clerk@acme.test", "--name", "Cleo", "--password-stdin", stdin: "clerk password 1\n"), "clerk")
            ok(try cli.run("user", "grant", "--email", "clerk@acme.test", "--tenant", "acme", "--role", "fulfilment"), "grant")
            ok(try cli.run("login", "--email", "clerk@acme.test", "--password-stdin", stdin: "clerk password 1\n"), "clerk login")
            let queue = try cli.run("delivery", "queue", "--tenant", "acme", "--json")
            ok(queue, "queue")
            let queued = queue.envelope["data"] as? [[String: Any]] ?? []
            #expect(queued.compactMap { $0["id"] as? String } == [box?["id"] as? String].compactMap { $0 })
            let claim = try cli.run("delivery", "claim", "--tenant", "acme", "--json")
            ok(claim, "claim")
            let id = try #require(claim.data["id"] as? String)
            #expect(id == box?["id"] as? String)
            #expect(claim.data["status"] as? String == "processing")
            let delivered = try cli.run("delivery", "deliver", id, "--note", "posted the box", "--tenant", "acme", "--json")
            ok(delivered, "deliver")
            #expect(delivered.data["status"] as? String == "delivered")
            #expect(delivered.data["note"] as? String == "posted the box")
            let clerkShow = try cli.run("order", "show", String(number), "--tenant", "acme", "--json")
            #expect(clerkShow.envelope["statusCode"] as? Int == 403, "a clerk cannot read orders")

            ok(try cli.run("login", "--email", "admin@example.com", "--password-stdin", stdin: password), "admin login")
            let final = try cli.run("order", "show", String(number), "--tenant", "acme", "--json")
            ok(final, "final show")
            #expect(final.data["status"] as? String == "fulfilled")
            #expect((final.data["deliveries"] as? [[String: Any]] ?? []).allSatisfy { $0["status"] as? String == "delivered" })

            // Bad input: an item without a quantity is a 400 naming items, and no order is made.
            let bad = try cli.run("order", "create", "--email", "buyer@example.com", "--item", "NOPE", "--tenant", "acme", "--json")
            #expect(bad.status != 0)
            #expect(bad.envelope["success"] as? Bool == false)
            #expect(bad.envelope["statusCode"] as? Int == 400)
            let fields = (bad.envelope["issues"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["items"])
            let owner = try db.owner()
            defer { owner.close() }
            #expect(try owner.query("SELECT count(*)::int AS n FROM orders").single().decode("n", as: Int.self) == 1)
        }
    }
}
