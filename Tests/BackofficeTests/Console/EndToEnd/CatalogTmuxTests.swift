import Domain
import Foundation
import Postgres
import Testing

/// Issue 7 end to end with the real binary in tmux, keyboard only, tried as a new user would at 80x24:
/// a store manager defines a product type in the schema editor (a text field with a minimum length, a
/// select with two options, a variant-scope money field), creates a product through the generated form
/// (seeing the length issue next to the title before fixing it), adds a variant with a key pool and
/// imports 1,000 keys from a file; then the CLI confirms what was stored.
@Suite("Catalog end to end (tmux)", .serialized, .enabled(if: ConsoleTmux.isAvailable, "tmux is not installed"),
       .enabled(if: BackofficeCLI.isBuilt, "the backoffice executable is not built beside the tests"))
struct CatalogTmuxTests {
    static let manager = "manager@demo-games.test"
    static let keyCount = 1_000

    @Test func aManagerDefinesATypeCreatesAProductAVariantAndImportsKeys() throws {
        try TestDatabase.with { db in
            let tmux = try ConsoleTmux(databaseURL: try db.appConninfo, ownerURL: try db.ownerConninfo)
            defer { tmux.tearDown() }

            // The demo from the first-run screen, then the manager's sign-in (the admin's email is filled in).
            _ = try tmux.waitForScreen(containing: "Welcome to Backoffice")
            try tmux.keys("Enter")
            _ = try tmux.waitForScreen(containing: "[ Load (y) ]")
            try tmux.keys("y")
            _ = try tmux.waitForScreen(containing: "Sign in to Backoffice")
            try tmux.keys("BTab", "C-u")
            try tmux.literal(Self.manager)
            try tmux.keys("Tab", "C-u")
            try tmux.literal(DemoData.password)
            try tmux.keys("Enter")
            _ = try tmux.waitForScreen(containing: "you are manager")

            try defineTheProductType(tmux)
            try createTheProduct(tmux)
            try addTheVariantAndImportKeys(tmux)

            try tmux.literal("q")
            if try tmux.waitForExitStatus(timeout: 5, recording: false) == nil {
                // A quit that asks first.
                try tmux.literal("y")
                #expect(try tmux.waitForExitStatus() == 0)
            }

            try confirmWithTheCLI(db)
        }
    }

    // MARK: Steps

    /// `t` product types, `n` new: "Arcade Key", then in its schema editor three fields, saved with Ctrl-S.
    private func defineTheProductType(_ tmux: ConsoleTmux) throws {
        try tmux.literal("t")
        let types = try tmux.waitForScreen(containing: "Game key")
        #expect(types.contains("Product types"))
        try tmux.literal("n")
        _ = try tmux.waitForScreen(containing: "New product type")
        try tmux.literal("Arcade Key")
        _ = try tmux.waitForScreen(containing: "arcade-key")
        try tmux.keys("C-s")
        let empty = try tmux.waitForScreen(containing: "a adds one")
        #expect(empty.contains("Arcade Key (arcade-key)"))
        tmux.expectFits(empty, width: 80, height: 24)

        // title: text, required, min length 3.
        try tmux.literal("a")
        _ = try tmux.waitForScreen(containing: "(unnamed)")
        try tmux.literal("title")
        try tmux.keys("Tab")
        try tmux.literal("Title")
        try tmux.keys("Tab", "Tab", "Tab") // type (text), scope, required
        try tmux.keys("Space") // required
        try tmux.keys("Tab", "Tab", "Tab") // default, help, min length
        try tmux.literal("3")
        let title = try tmux.waitForScreen(containing: "text*")
        #expect(title.contains("title"))
        try tmux.keys("Escape")

        // platform: select with steam and epic.
        try tmux.literal("a")
        _ = try tmux.waitForScreen(containing: "(unnamed)")
        try tmux.literal("platform")
        try tmux.keys("Tab")
        try tmux.literal("Platform")
        try tmux.keys("Tab")
        try tmux.literal("s") // the next type starting with s: select
        _ = try tmux.waitForScreen(containing: "select")
        try tmux.keys("Tab", "Tab", "Tab", "Tab", "Tab") // scope, required, default, help, add option
        try tmux.keys("Enter")
        try tmux.literal("steam")
        try tmux.keys("Tab")
        try tmux.literal("Steam")
        try tmux.keys("Tab", "Enter")
        try tmux.literal("epic")
        try tmux.keys("Tab")
        try tmux.literal("Epic Games")
        _ = try tmux.waitForScreen(containing: "Epic Games")
        try tmux.keys("Escape")

        // msrp: money, per variant (the variant form has its own `price`).
        try tmux.literal("a")
        _ = try tmux.waitForScreen(containing: "(unnamed)")
        try tmux.literal("msrp")
        try tmux.keys("Tab")
        try tmux.literal("List price")
        try tmux.keys("Tab")
        try tmux.literal("m") // money
        try tmux.keys("Tab", "Space") // scope: variant
        _ = try tmux.waitForScreen(containing: "v·money")
        try tmux.keys("Escape")
        let edited = try tmux.waitForScreen(containing: "unsaved changes")
        #expect(edited.contains("· 3 fields"))
        #expect(!edited.contains("schema issue"), "the schema has no issues:\n\(edited)")

        // The preview beside the editor from 120 columns.
        try tmux.run("resize-window", "-t", tmux.target, "-x", "120", "-y", "40")
        let wide = try tmux.waitForScreen(containing: "Variant form")
        tmux.expectFits(wide, width: 120, height: 40)
        #expect(wide.contains("Product form") && wide.contains("Title") && wide.contains("Platform") && wide.contains("List price"),
                "the preview shows the product and variant forms:\n\(wide)")
        try tmux.run("resize-window", "-t", tmux.target, "-x", "80", "-y", "24")
        _ = try tmux.waitForScreen(containing: "unsaved changes", absent: "Variant form")

        try tmux.keys("C-s")
        let saved = try tmux.waitForScreen(containing: "saved Arcade Key")
        tmux.expectFits(saved, width: 80, height: 24)
        try tmux.keys("Escape")
        let list = try tmux.waitForScreen(containing: "Enter opens the schema")
        #expect(list.contains("arcade-key"))
        #expect(list.contains("Arcade Key"))
        try tmux.keys("Escape")
        _ = try tmux.waitForScreen(containing: "you are manager")
    }

    /// `p` products, `n` new, the type chosen; a 2-character title shows its issue beside the field, then
    /// is fixed; Ctrl-S creates it.
    private func createTheProduct(_ tmux: ConsoleTmux) throws {
        try tmux.literal("p")
        _ = try tmux.waitForScreen(containing: "Portal 2")
        try tmux.literal("n")
        let choice = try tmux.waitForScreen(containing: "Choose the product type")
        #expect(choice.contains("Arcade Key  (arcade-key, 2 fields)"))
        try tmux.keys("Enter") // the first type by name: Arcade Key
        _ = try tmux.waitForScreen(containing: "New product · Arcade Key")
        try tmux.literal("Nebula Drift")
        try tmux.keys("Tab", "Tab") // status (draft), title
        try tmux.literal("Ne")
        try tmux.keys("Tab") // leaving the title shows its issue
        let issue = try tmux.waitForScreen(containing: "at least 3 characters")
        tmux.expectFits(issue, width: 80, height: 24)
        let lines = issue.split(separator: "\n").map(String.init)
        if let titleRow = lines.firstIndex(where: { $0.contains("Title") }),
           let issueRow = lines.firstIndex(where: { $0.contains("at least 3 characters") }) {
            #expect(issueRow > titleRow && issueRow <= titleRow + 2, "the issue is next to the title:\n\(issue)")
        } else {
            Issue.record("no title row:\n\(issue)")
        }
        try tmux.keys("BTab")
        try tmux.literal("bula Drift")
        _ = try tmux.waitForScreen(containing: "Nebula Drift", absent: "at least 3 characters")
        try tmux.keys("Tab")
        try tmux.literal("s") // Steam
        _ = try tmux.waitForScreen(containing: "Steam")
        try tmux.keys("C-s")
        let created = try tmux.waitForScreen(containing: "created Nebula Drift")
        #expect(created.contains("nebula-drift"))
        _ = try tmux.waitForScreen(containing: "Nebula Drift", absent: "Choose the product type")
    }

    /// Enter opens the new product (the newest, selected); `n` adds a license-key variant; `K` opens its
    /// key pool and `i` imports 1,000 keys from a file.
    private func addTheVariantAndImportKeys(_ tmux: ConsoleTmux) throws {
        _ = try tmux.waitForScreen(containing: "Products", absent: "New product")
        try tmux.keys("Home", "Enter")
        _ = try tmux.waitForScreen(containing: "no variants yet")
        try tmux.literal("n")
        _ = try tmux.waitForScreen(containing: "New variant · Nebula Drift")
        try tmux.literal("ND-KEY")
        try tmux.keys("Tab")
        try tmux.literal("19.99")
        try tmux.keys("Tab")
        try tmux.literal("l") // License keys
        _ = try tmux.waitForScreen(containing: "License keys")
        try tmux.keys("Tab", "Tab", "Tab") // quantity, delivery, list price
        try tmux.literal("24.99")
        _ = try tmux.waitForScreen(containing: "24.99")
        try tmux.keys("C-s")
        _ = try tmux.waitForScreen(containing: "created variant ND-KEY")
        let detail = try tmux.waitForScreen(containing: "0 keys")
        #expect(detail.contains("ND-KEY") && detail.contains("19.99"))

        let keys = (1...Self.keyCount).map { String(format: "ARCADE-%05d-%@", $0, UUID().uuidString.prefix(8).uppercased() as CVarArg) }
        let path = tmux.directory + "/keys.txt"
        try Data((keys.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))

        try tmux.literal("K")
        _ = try tmux.waitForScreen(containing: "no keys yet")
        try tmux.literal("i")
        _ = try tmux.waitForScreen(containing: "File:")
        try tmux.literal(path)
        try tmux.keys("Enter")
        let report = try tmux.waitForScreen(containing: "Imported \(Self.keyCount) of \(Self.keyCount) keys", timeout: 60)
        tmux.expectFits(report, width: 80, height: 24)
        _ = try tmux.waitForScreen(containing: "\(Self.keyCount) available")
        let shown = try tmux.waitForScreen(containing: "available")
        #expect(!keys.prefix(50).contains { shown.contains($0) }, "keys are shown masked")
    }

    /// `product list --json` has the product with its values; `product show` its variant; `keys count` the pool.
    private func confirmWithTheCLI(_ db: TestDatabase) throws {
        let cli = try BackofficeCLI(db)
        defer { cli.cleanUp() }
        try cli.login(Self.manager, password: DemoData.password)

        let list = try cli.run("product", "list", "--tenant", "demo-games", "--type", "arcade-key", "--json")
        #expect(list.succeeded, "\(list.stdout)\(list.stderr)")
        guard case .array(let products)? = list.jsonData["products"] else {
            Issue.record("product list: \(list.stdout)")
            return
        }
        #expect(products.count == 1)
        let product = products.first ?? .null
        #expect(product["slug"] == .string("nebula-drift"))
        #expect(product["name"] == .string("Nebula Drift"))
        #expect(product["productType"] == .string("arcade-key"))
        #expect(product["status"] == .string("draft"))
        #expect(product["metadata"]?["title"] == .string("Nebula Drift"))
        #expect(product["metadata"]?["platform"] == .string("steam"))

        let everything = try cli.run("product", "list", "--tenant", "demo-games", "--search", "Nebula", "--json")
        if case .array(let found)? = everything.jsonData["products"] {
            #expect(found.map { $0["slug"] } == [.string("nebula-drift")])
        } else {
            Issue.record("product list --search: \(everything.stdout)")
        }

        let type = try cli.run("product-type", "show", "arcade-key", "--tenant", "demo-games")
        #expect(type.stdout.contains("title: text, required"), "\(type.stdout)")
        #expect(type.stdout.contains("platform: select"), "\(type.stdout)")
        #expect(type.stdout.contains("msrp: money, per variant"), "\(type.stdout)")

        let shown = try cli.run("product", "show", "nebula-drift", "--tenant", "demo-games", "--json")
        guard case .array(let variants)? = shown.jsonData["variants"] else {
            Issue.record("product show: \(shown.stdout)")
            return
        }
        #expect(variants.count == 1)
        let variant = variants.first ?? .null
        #expect(variant["sku"] == .string("ND-KEY"))
        #expect(variant["price"] == .object(["amount": .integer(1999), "currency": .string("EUR")]))
        #expect(variant["inventoryMode"] == .string("keys"))
        #expect(variant["attributes"]?["msrp"] == .object(["amount": .integer(2499), "currency": .string("EUR")]))

        let count = try cli.run("keys", "count", "--sku", "ND-KEY", "--tenant", "demo-games", "--json")
        #expect(count.jsonData == .object(["available": .integer(Int64(Self.keyCount)), "reserved": .integer(0),
                                           "delivered": .integer(0), "revoked": .integer(0)]), "\(count.stdout)\(count.stderr)")
    }
}

extension ConsoleTmux {
    /// `waitForExitStatus`, optionally without recording an issue when the console is still running.
    func waitForExitStatus(timeout: TimeInterval, recording: Bool) throws -> Int32? {
        if recording { return try waitForExitStatus(timeout: timeout) }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: directory + "/status", encoding: .utf8) {
                return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            usleep(50_000)
        }
        return nil
    }
}
