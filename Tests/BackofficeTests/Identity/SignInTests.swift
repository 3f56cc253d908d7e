import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 3, items 2–4: lockout, indistinguishable failures, sessions.
@Suite struct SignInTests {
    static let wrong = "not the password at all"

    func failures(_ world: IdentityWorld, _ email: String) throws -> Int {
        try world.owner.query("SELECT failed_logins FROM users WHERE lower(email) = lower(\(email))").single().decode("failed_logins")
    }

    func isLocked(_ world: IdentityWorld, _ email: String) throws -> Bool {
        try world.owner.query("""
            SELECT (locked_until IS NOT NULL AND locked_until > now()) AS locked FROM users WHERE lower(email) = lower(\(email))
            """).single().decode("locked")
    }

    // MARK: - Item 2: lockout

    @Test func fiveWrongPasswordsLockTheAccountUntilTheLockExpires() throws {
        try IdentityWorld.with { world in
            let email = "clerk@shop.test"
            try world.makeUser(email)
            for attempt in 1...Authenticator.maximumFailures {
                let error = try #require(throws: UnauthorizedError.self) {
                    try world.authenticator.signIn(email: email, password: Self.wrong)
                }
                #expect(error.message == Authenticator.invalidCredentials)
                #expect(try failures(world, email) == attempt)
            }
            #expect(try isLocked(world, email))

            // Locked: even the right password is refused, with the lock named.
            let locked = try #require(throws: UnauthorizedError.self) {
                try world.authenticator.signIn(email: email, password: IdentityWorld.password)
            }
            #expect(locked.statusCode == 401)
            #expect(locked.message.contains("locked"))
            #expect(try world.count("sessions", where: "user_id = (SELECT id FROM users WHERE email = \(email))") == 0)

            // The lock runs out.
            try world.owner.execute("UPDATE users SET locked_until = now() - interval '1 second' WHERE email = \(email)")
            let signIn = try world.authenticator.signIn(email: email, password: IdentityWorld.password)
            #expect(signIn.user.email == email)
            #expect(try failures(world, email) == 0)
            #expect(try world.owner.query("SELECT locked_until FROM users WHERE email = \(email)").single().isNull("locked_until"))
        }
    }

    @Test func aSuccessBeforeTheFifthFailureResetsTheCount() throws {
        try IdentityWorld.with { world in
            let email = "clerk@shop.test"
            try world.makeUser(email)
            for _ in 1..<Authenticator.maximumFailures {
                _ = try #require(throws: UnauthorizedError.self) { try world.authenticator.signIn(email: email, password: Self.wrong) }
            }
            #expect(try failures(world, email) == Authenticator.maximumFailures - 1)
            _ = try world.authenticator.signIn(email: email, password: IdentityWorld.password)
            #expect(try failures(world, email) == 0)

            for _ in 1..<Authenticator.maximumFailures {
                _ = try #require(throws: UnauthorizedError.self) { try world.authenticator.signIn(email: email, password: Self.wrong) }
            }
            #expect(try !isLocked(world, email))
            _ = try world.authenticator.signIn(email: email, password: IdentityWorld.password)
            #expect(try failures(world, email) == 0)
        }
    }

    // MARK: - Item 3: one error for unknown email and wrong password

    @Test func unknownEmailAndWrongPasswordGiveTheSameError() throws {
        try IdentityWorld.with { world in
            try world.makeUser("clerk@shop.test")
            try world.makeUser("nopassword@shop.test", password: nil)
            let attempts: [(String, String)] = [
                ("nobody@shop.test", IdentityWorld.password),
                ("clerk@shop.test", Self.wrong),
                ("CLERK@shop.test", Self.wrong),
                ("nopassword@shop.test", IdentityWorld.password),
            ]
            var errors: [any Error] = []
            for (email, password) in attempts {
                do {
                    _ = try world.authenticator.signIn(email: email, password: password)
                    Issue.record("\(email) signed in")
                } catch {
                    errors.append(error)
                }
            }
            for error in errors {
                let unauthorized = try #require(error as? UnauthorizedError, "\(type(of: error))")
                #expect(unauthorized.statusCode == 401)
                #expect(unauthorized.message == Authenticator.invalidCredentials)
            }
            #expect(Set(errors.map { "\(type(of: $0))|\(String(describing: $0))" }).count == 1)
            #expect(try world.count("sessions") == 1) // only the super admin's
        }
    }

    // MARK: - Item 4: sessions

    @Test func signOutEndsTheSession() throws {
        try IdentityWorld.with { world in
            try world.makeUser("clerk@shop.test")
            let signIn = try world.authenticator.signIn(email: "clerk@shop.test", password: IdentityWorld.password)
            #expect(try world.authenticator.authenticate(token: signIn.token).email == "clerk@shop.test")
            try world.authenticator.signOut(token: signIn.token)
            let error = try #require(throws: UnauthorizedError.self) { try world.authenticator.authenticate(token: signIn.token) }
            #expect(error.statusCode == 401)
            try world.authenticator.signOut(token: signIn.token) // again: not an error
            // The super admin's own session is untouched.
            #expect(try world.authenticator.authenticate(token: world.adminToken).id == world.admin.id)
        }
    }

    @Test func disablingAUserRevokesTheirSessionsAndRefusesSignIn() throws {
        try IdentityWorld.with { world in
            let user = try world.makeUser("clerk@shop.test")
            let first = try world.authenticator.signIn(email: "clerk@shop.test", password: IdentityWorld.password)
            let second = try world.authenticator.signIn(email: "clerk@shop.test", password: IdentityWorld.password)
            let disabled = try world.users.disable(world.platform, email: "clerk@shop.test")
            #expect(disabled.disabled)
            #expect(try world.count("sessions", where: "user_id = \(user.id) AND revoked_at IS NULL") == 0)
            for token in [first.token, second.token] {
                let error = try #require(throws: UnauthorizedError.self) { try world.authenticator.authenticate(token: token) }
                #expect(error.statusCode == 401)
            }
            let refused = try #require(throws: UnauthorizedError.self) {
                try world.authenticator.signIn(email: "clerk@shop.test", password: IdentityWorld.password)
            }
            #expect(refused.statusCode == 401)
            #expect(try world.count("sessions", where: "user_id = \(user.id)") == 2)
        }
    }

    @Test func anExpiredSessionIsRefused() throws {
        try IdentityWorld.with { world in
            try world.makeUser("clerk@shop.test")
            let signIn = try world.authenticator.signIn(email: "clerk@shop.test", password: IdentityWorld.password)
            // created_at moves too: the table requires expires_at > created_at.
            let changed = try world.owner.execute("""
                UPDATE sessions SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second'
                 WHERE token_hash = sha256(convert_to(\(signIn.token), 'UTF8'))
                """)
            #expect(changed == 1)
            let error = try #require(throws: UnauthorizedError.self) { try world.authenticator.authenticate(token: signIn.token) }
            #expect(error.statusCode == 401)
        }
    }

    @Test func onlyTheTokensHashIsStored() throws {
        try IdentityWorld.with { world in
            let user = try world.makeUser("clerk@shop.test")
            let signIn = try world.authenticator.signIn(email: "clerk@shop.test", password: IdentityWorld.password)
            #expect(signIn.token.hasPrefix("bo_"))
            #expect(signIn.token.count > 40)
            let row = try world.owner.query("""
                SELECT token_hash = sha256(convert_to(\(signIn.token), 'UTF8')) AS matches, octet_length(token_hash) AS length
                  FROM sessions WHERE user_id = \(user.id)
                """).single()
            #expect(try row.decode("matches", as: Bool.self))
            #expect(try row.decode("length", as: Int.self) == 32)
            // The token text is nowhere: not in any column of any session, nor in the audit logs.
            let secret = String(signIn.token.dropFirst(3))
            for table in ["sessions", "users", "platform_audit_log", "audit_log"] {
                let found: Int = try world.owner.query("""
                    SELECT count(*)::int AS n FROM \(ident: table) t
                     WHERE position(\(secret) IN t::text) > 0 OR position(\(signIn.token) IN t::text) > 0
                    """).single().decode("n")
                #expect(found == 0, "the token appears in \(table)")
            }
        }
    }

    /// Sign-ins, sign-outs and lockouts are platform events: each leaves a line in the platform audit log.
    @Test func signInSignOutAndLockoutAreAudited() throws {
        try IdentityWorld.with { world in
            let user = try world.makeUser("clerk@shop.test")
            let before = try world.platformAuditRows().count
            let signIn = try world.authenticator.signIn(email: "clerk@shop.test", password: IdentityWorld.password)
            try world.authenticator.signOut(token: signIn.token)
            try world.authenticator.signOut(token: signIn.token) // already revoked: no second line
            for _ in 1...Authenticator.maximumFailures {
                _ = try #require(throws: UnauthorizedError.self) { try world.authenticator.signIn(email: "clerk@shop.test", password: Self.wrong) }
            }
            let rows = try world.platformAuditRows().dropFirst(before)
            #expect(rows.map(\.action) == ["session.created", "session.revoked", "user.locked"])
            let session = signIn.user.sessionID?.uuidString.lowercased()
            #expect(rows.map(\.entityID) == [session, session, user.id.uuidString.lowercased()])
            #expect(rows.map(\.actor) == [user.id, user.id, nil])
        }
    }
}
