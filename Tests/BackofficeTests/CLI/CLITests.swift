import Foundation
import Testing

/// The scripted CLI through the real `backoffice` binary, against a test database: the exact command
/// forms and the JSON envelope that users' scripts depend on.
@Suite struct CLITests {
    typealias CLI = BackofficeCLI

    @Test func aNewUsersWalkthroughShowsStaffOnlyTheirStore() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the backoffice executable first (swift build)")
        try TestDatabase.with { db in
            let cli = try CLI(db)
            defer { cli.cleanUp() }

            let created = try cli.run("user", "create", "--email", "admin@example.com", "--name", "Ada Admin", "--super-admin",
                                      "--password-stdin", "--json", stdin: "correct horse battery\n")
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.envelope["success"] as? Bool == true)

            let again = try cli.run("user", "create", "--email", "eve@example.com", "--name", "Eve", "--super-admin",
                                    "--password-stdin", "--json", stdin: "correct horse battery\n")
            #expect(again.status != 0)
            #expect(again.envelope["statusCode"] as? Int == 403)

            #expect(try cli.run("login", "--email", "admin@example.com", "--password-stdin", stdin: "correct horse battery\n").status == 0)
            let sessionFile = cli.configDirectory + "/backoffice/session"
            let mode = try FileManager.default.attributesOfItem(atPath: sessionFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            #expect(try cli.run("tenant", "create", "--slug", "acme", "--name", "Acme Games").status == 0)
            #expect(try cli.run("tenant", "create", "--slug", "globex", "--name", "Globex", "--domain", "keys.globex.test", "--plan", "pro").status == 0)
            #expect(try cli.run("user", "create", "--email", "clerk@acme.test", "--name", "Cleo", "--password-stdin", stdin: "clerk password 1\n").status == 0)
            #expect(try cli.run("user", "grant", "--email", "clerk@acme.test", "--tenant", "acme", "--role", "staff").status == 0)

            let all = try cli.run("tenant", "list", "--json")
            let stores = (all.envelope["data"] as? [[String: Any]]) ?? []
            #expect(stores.compactMap { $0["slug"] as? String } == ["acme", "globex"])
            // Every field of a store is in the envelope, ids in PostgreSQL's lowercase form.
            #expect(Set(stores.first?.keys.map { $0 } ?? []) == [
                "id", "slug", "name", "domain", "subdomain", "status", "plan", "settings", "branding", "version",
                "createdAt", "updatedAt", "deletedAt",
            ])
            let id = stores.first?["id"] as? String
            #expect(id != nil && id == id?.lowercased() && UUID(uuidString: id ?? "") != nil)

            #expect(try cli.run("login", "--email", "clerk@acme.test", "--password-stdin", stdin: "clerk password 1\n").status == 0)
            let mine = try cli.run("tenant", "list", "--json")
            #expect(mine.status == 0)
            #expect(((mine.envelope["data"] as? [[String: Any]]) ?? []).compactMap { $0["slug"] as? String } == ["acme"])

            let other = try cli.run("tenant", "show", "globex", "--json")
            let missing = try cli.run("tenant", "show", "no-such-store", "--json")
            #expect(other.envelope["statusCode"] as? Int == 403)
            #expect(missing.envelope["statusCode"] as? Int == 403)
            #expect((other.envelope["error"] as? String)?.replacingOccurrences(of: "globex", with: "X")
                    == (missing.envelope["error"] as? String)?.replacingOccurrences(of: "no-such-store", with: "X"))

            #expect(try cli.run("logout").status == 0)
            let after = try cli.run("whoami", "--json")
            #expect(after.status != 0)
            #expect(after.envelope["statusCode"] as? Int == 401)
        }
    }

    @Test func badInputIsA400EnvelopeNamingTheFieldsAndOnStderrWithoutJSON() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the backoffice executable first (swift build)")
        try TestDatabase.with { db in
            let cli = try CLI(db)
            defer { cli.cleanUp() }
            let short = try cli.run("user", "create", "--email", "not-an-email", "--name", "", "--super-admin", "--password-stdin", "--json", stdin: "short\n")
            #expect(short.status != 0)
            #expect(short.envelope["success"] as? Bool == false)
            #expect(short.envelope["statusCode"] as? Int == 400)
            let fields = ((short.envelope["issues"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["email", "name", "password"])

            let human = try cli.run("user", "create", "--email", "x@example.com", "--name", "X", "--super-admin", "--password-stdin", stdin: "short\n")
            #expect(human.status != 0)
            #expect(human.stdout.isEmpty)
            #expect(human.stderr.hasPrefix("error: password must be at least 10 characters"))

            let owner = try db.owner()
            defer { owner.close() }
            #expect(try owner.query("SELECT count(*) AS n FROM users").single().decode("n", as: Int.self) == 0)

            let unauthenticated = try cli.run("tenant", "list", "--json")
            #expect(unauthenticated.envelope["statusCode"] as? Int == 401)
            let badToken = try cli.run("whoami", "--json", extra: ["BACKOFFICE_TOKEN": "bo_forged"])
            #expect(badToken.envelope["statusCode"] as? Int == 401)
        }
    }
}
