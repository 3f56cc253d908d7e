import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 3, item 9: bad input is a 400 (or a 409 for a duplicate) naming the field, and writes nothing.
@Suite struct IdentityValidationTests {
    /// Runs `body`, expects a `ValidationError` naming `field`, and checks that no row was written or changed.
    func expectInvalid(_ world: IdentityWorld, field: String, _ comment: Comment? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws {
        let counts = try world.rowCounts()
        let content = try world.contentFingerprint()
        let error = try #require(throws: ValidationError.self, comment, sourceLocation: sourceLocation) { try body() }
        #expect(error.statusCode == 400, sourceLocation: sourceLocation)
        #expect(error.issues.map(\.field).contains(field), "\(error.issues)", sourceLocation: sourceLocation)
        #expect(try world.rowCounts() == counts, sourceLocation: sourceLocation)
        #expect(try world.contentFingerprint() == content, sourceLocation: sourceLocation)
    }

    /// Runs `body`, expects a `ConflictError` about `field`, and checks that nothing was written or changed.
    func expectConflict(_ world: IdentityWorld, field: String, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () throws -> Void) throws {
        let counts = try world.rowCounts()
        let content = try world.contentFingerprint()
        let error = try #require(throws: ConflictError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error.statusCode == 409, sourceLocation: sourceLocation)
        #expect(error.field == field, sourceLocation: sourceLocation)
        #expect(try world.rowCounts() == counts, sourceLocation: sourceLocation)
        #expect(try world.contentFingerprint() == content, sourceLocation: sourceLocation)
    }

    @Test(arguments: ["ab", "a", "", "Shop", "SHOP", "-shop", "shop-", "-", "my shop", "shop_1", "admin", "api", "www",
                      String(repeating: "a", count: 64)])
    func aBadSlugIsRefused(slug: String) throws {
        try IdentityWorld.with { world in
            try expectInvalid(world, field: "slug", "slug \(slug)") {
                _ = try world.tenants.create(world.platform, .init(slug: slug, name: "A store"))
            }
        }
    }

    @Test func aDuplicateSlugOrDomainIsAConflict() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("shop", domain: "shop.example.com")
            try world.makeTenant("other", domain: "other.example.com")
            try expectConflict(world, field: "slug") {
                _ = try world.tenants.create(world.platform, .init(slug: "shop", name: "Again"))
            }
            try expectConflict(world, field: "domain") {
                _ = try world.tenants.create(world.platform, .init(slug: "third", name: "Third", domain: "shop.example.com"))
            }
            try expectConflict(world, field: "domain") {
                _ = try world.tenants.update(world.platform, slug: "other", .init(domain: "Shop.Example.com"))
            }
        }
    }

    @Test func malformedSettingsAndBrandingAreRefused() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("shop")
            let cases: [(String, TenantService.Changes)] = [
                ("settings", .init(settings: "{")),
                ("settings", .init(settings: "{\"a\": }")),
                ("settings", .init(settings: "")),
                ("settings", .init(settings: "[1, 2]")),
                ("settings", .init(settings: "\"text\"")),
                ("settings", .init(settings: "42")),
                ("settings", .init(settings: "null")),
                ("branding", .init(branding: "not json")),
                ("branding", .init(branding: "[]")),
                ("branding", .init(branding: "true")),
                ("branding.accentColor", .init(branding: #"{"accentColor":"red"}"#)),
                ("branding.accentColor", .init(branding: ##"{"accentColor":"#12345g"}"##)),
                ("branding.accentColor", .init(branding: ##"{"accentColor":"#1234567"}"##)),
                ("branding.accentColor", .init(branding: #"{"accentColor":42}"#)),
            ]
            for (field, changes) in cases {
                try expectInvalid(world, field: field, "\(changes.settings ?? changes.branding ?? "")") {
                    _ = try world.tenants.update(world.platform, slug: "shop", changes)
                }
            }
            // A good colour goes through.
            let branded = try world.tenants.update(world.platform, slug: "shop", .init(branding: ##"{"accentColor":"#3366fF"}"##))
            #expect(branded.branding["accentColor"] == .string("#3366fF"))
        }
    }

    @Test func anEmptyOrHugeNameIsRefused() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("shop")
            let huge = String(repeating: "n", count: 10 * 1024)
            for name in ["", "   ", huge] {
                try expectInvalid(world, field: "name", "tenant create, \(name.count) characters") {
                    _ = try world.tenants.create(world.platform, .init(slug: "new-shop", name: name))
                }
                try expectInvalid(world, field: "name", "tenant update, \(name.count) characters") {
                    _ = try world.tenants.update(world.platform, slug: "shop", .init(name: name))
                }
                try expectInvalid(world, field: "name", "user create, \(name.count) characters") {
                    _ = try world.users.create(world.platform, .init(email: "new@shop.test", name: name, password: IdentityWorld.password))
                }
            }
        }
    }

    @Test func aShortPasswordIsRefused() throws {
        try IdentityWorld.with { world in
            for password in ["", "short", "123456789"] {
                try expectInvalid(world, field: "password", "\(password.count) characters") {
                    _ = try world.users.create(world.platform, .init(email: "new@shop.test", name: "New", password: password))
                }
            }
            // Ten characters are enough.
            _ = try world.users.create(world.platform, .init(email: "new@shop.test", name: "New", password: "1234567890"))
        }
    }

    @Test func aBadEmailIsRefused() throws {
        try IdentityWorld.with { world in
            for email in ["", "plain", "@shop.test", "name@", "a@b@c.test", "a b@shop.test", "tab\t@shop.test"] {
                try expectInvalid(world, field: "email", "\(email)") {
                    _ = try world.users.create(world.platform, .init(email: email, name: "New", password: IdentityWorld.password))
                }
            }
        }
    }

    @Test func aDuplicateEmailInAnotherCaseIsAConflict() throws {
        try IdentityWorld.with { world in
            try world.makeUser("Clerk@Shop.test")
            try expectConflict(world, field: "email") {
                _ = try world.users.create(world.platform, .init(email: "clerk@shop.TEST", name: "Twin", password: IdentityWorld.password))
            }
            try expectConflict(world, field: "email") {
                _ = try world.users.create(world.platform, .init(email: IdentityWorld.adminEmail.uppercased(), name: "Twin", password: nil))
            }
        }
    }

    @Test func anUnknownRoleOnGrantIsRefused() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("shop")
            let boss = try world.member(.owner, in: "shop")
            try world.makeUser("clerk@shop.test")
            for role in ["admin", "Owner", "super-admin", ""] {
                try expectInvalid(world, field: "role", "platform grant \(role)") {
                    _ = try world.users.grant(world.platform, email: "clerk@shop.test", tenantSlug: "shop", role: role)
                }
                try expectInvalid(world, field: "role", "store grant \(role)") {
                    _ = try world.users.grant(boss.context, email: "clerk@shop.test", role: role)
                }
            }
        }
    }
}
