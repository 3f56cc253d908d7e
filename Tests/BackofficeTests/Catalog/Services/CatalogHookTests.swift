import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 4, item 6: before-hooks, after-hooks through the outbox, and the change NOTIFY. Every test
/// registers its hooks on its own `HookRegistry` (the world's).
@Suite struct CatalogHookTests {
    typealias W = CatalogWorld

    /// A before-hook that appends `tag` to the name, so the stored name shows the order hooks ran in.
    static func tagging(_ tag: String, log: HookLog<String>) -> HookRegistry.BeforeHandler {
        { context in
            log.append(tag)
            if case .object(var members) = context.data, case .string(let name)? = members["name"] {
                members["name"] = .string(name + " " + tag)
                context.data = .object(members)
            }
        }
    }

    @Test func beforeHooksRunLowerPriorityFirstAndTiesInRegistrationOrder() throws {
        try W.withGame { w in
            let log = HookLog<String>()
            w.hooks.before(.productCreate, name: "c", priority: 50, Self.tagging("c", log: log))
            w.hooks.before(.productCreate, name: "d", Self.tagging("d", log: log))
            w.hooks.before(.productCreate, name: "a", priority: 10, Self.tagging("a", log: log))
            w.hooks.before(.productCreate, name: "b", priority: 50, Self.tagging("b", log: log))
            w.hooks.before(.productCreate, name: "e", priority: -5, Self.tagging("e", log: log))
            w.hooks.before(.productUpdate, name: "other hook point", priority: 0, Self.tagging("x", log: log))

            let product = try w.product("Portal")
            #expect(log.entries == ["e", "a", "c", "b", "d"])
            #expect(product.name == "Portal e a c b d")
            #expect(product.slug == "portal-e-a-c-b-d")
        }
    }

    @Test func beforeHooksMayChangeTheDataAndTheChangeIsStored() throws {
        try W.withGame { w in
            let seen = HookLog<BeforeHookContext>()
            let shout: HookRegistry.BeforeHandler = { context in
                seen.append(context)
                guard case .object(var members) = context.data, case .object(var data)? = members["data"],
                      case .string(let title)? = data["title"] else { return }
                data["title"] = .string(title.trimmingCharacters(in: .whitespaces).uppercased())
                members["data"] = .object(data)
                context.data = .object(members)
            }
            w.hooks.before(.productCreate, name: "shout", shout)
            w.hooks.before(.productUpdate, name: "shout", shout)

            let created = try w.product("Portal 2", #"{"title": "   portal 2   ", "platform": "steam"}"#)
            #expect(created.metadata["title"] == .string("PORTAL 2"))
            #expect(try w.productRow("portal-2").metadata["title"] == .string("PORTAL 2"))
            #expect(try w.attributeRows(created.id)["title"]?.text == "PORTAL 2")
            let hookContext = try #require(seen.entries.first)
            #expect(hookContext.hook == .productCreate)
            #expect(hookContext.tenantID == w.tenant.id)
            #expect(hookContext.userID == w.owner.user.id)
            #expect(hookContext.data["productType"] == .string("game"))

            let updated = try w.products.update(w.ownerContext, slug: "portal-2", .init(data: W.json(#"{"title": " still portal "}"#)))
            #expect(updated.metadata["title"] == .string("STILL PORTAL"))
            #expect(try w.attributeRows(created.id)["title"]?.text == "STILL PORTAL")
            #expect(seen.entries.last?.hook == .productUpdate)

            // What a hook hands back is validated like any input: here it cuts the title too short.
            w.hooks.before(.productCreate, name: "truncate", priority: 200) { context in
                guard case .object(var members) = context.data, case .object(var data)? = members["data"] else { return }
                data["title"] = .string("X")
                members["data"] = .object(data)
                context.data = .object(members)
            }
            let error = try w.refused(ValidationError.self) { try w.product("Doom", #"{"title": "Doom"}"#) }
            #expect(error.issues.hasIssue("title", "minLength"))
        }
    }

    @Test func variantHooksMayChangeTheDataToo() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            w.hooks.before(.variantCreate, name: "upper sku") { context in
                guard case .object(var members) = context.data, case .string(let sku)? = members["sku"] else { return }
                members["sku"] = .string(sku.uppercased())
                members["data"] = .object(["region": .string("eu")])
                context.data = .object(members)
            }
            let variant = try w.variant("portal-2", sku: "p2-eu")
            #expect(variant.sku == "P2-EU")
            #expect(variant.attributes == .object(["region": .string("eu")]))
        }
    }

    struct Banned: Error {}

    @Test func aRejectingBeforeHookWritesNothingAndRunsNoAfterHook() throws {
        try W.withGame { w in
            let after = HookLog<AfterHookEvent>()
            let later = HookLog<String>()
            w.hooks.before(.productCreate, name: "ban doom", priority: 10) { context in
                if case .string(let name)? = context.data["name"], name.lowercased().contains("doom") {
                    throw ValidationError(issues: [FieldIssue(field: "name", rule: "banned", message: "no doom here")])
                }
            }
            w.hooks.before(.productCreate, name: "later", priority: 20) { _ in later.append("ran") }
            w.hooks.before(.variantCreate, name: "broken") { _ in throw Banned() }
            w.hooks.after(.productCreate, name: "record") { after.append($0) }
            w.hooks.after(.variantCreate, name: "record") { after.append($0) }

            let error = try w.refused(ValidationError.self) { try w.product("Doom Eternal", #"{"title": "Doom Eternal"}"#) }
            #expect(error.issues == [FieldIssue(field: "name", rule: "banned", message: "no doom here")])
            #expect(later.entries.isEmpty, "hooks after the rejecting one must not run")
            #expect(after.entries.isEmpty)

            try w.product("Portal 2")
            #expect(later.entries == ["ran"])
            #expect(after.entries.count == 1)
            _ = try w.refused(Banned.self) { try w.variant("portal-2", sku: "P2") }
            #expect(after.entries.count == 1)
        }
    }

    @Test func afterHooksDoNotRunWhenTheTransactionRollsBack() throws {
        try W.withGame { w in
            let after = HookLog<AfterHookEvent>()
            for hook in HookName.allCases { w.hooks.after(hook, name: "record") { after.append($0) } }
            try w.product("Portal 2")
            try w.variant("portal-2", sku: "P2")
            let delivered = after.entries.count
            #expect(delivered == 2)

            // Refused by the database (unique sku), by a 409 (type in use), by validation, by a stale version.
            _ = try w.refused(ConflictError.self) { try w.variant("portal-2", sku: "P2") }
            _ = try w.refused(ConflictError.self) { try w.types.delete(w.ownerContext, slug: "game") }
            _ = try w.refused(ValidationError.self) { try w.product("Doom", #"{"title": "D"}"#) }
            _ = try w.refused(ConflictError.self) { _ = try w.products.update(w.ownerContext, slug: "portal-2", .init(name: "X", expectedVersion: 9)) }
            // Nothing was left in the outbox for a later run either.
            #expect(try OutboxProcessor(database: w.database, hooks: w.hooks).processPending() == 0)
            #expect(after.entries.count == delivered)
        }
    }

    @Test func afterHooksRunAfterCommitWithTheOutboxEventID() throws {
        try W.withGame { w in
            let conninfo = try w.world.testDatabase.ownerConninfo
            let seen = HookLog<(event: AfterHookEvent, committed: Bool)>()
            w.hooks.after(.productCreate, name: "check commit") { event in
                // A separate session sees the product: the change has committed.
                let other = try Connection.connect(conninfo)
                defer { other.close() }
                let id = UUID(uuidString: { if case .string(let s)? = event.payload["id"] { s } else { "" } }()) ?? UUID()
                let visible = try other.query("SELECT count(*)::int AS n FROM products WHERE id = \(id)").single().decode("n", as: Int.self) == 1
                seen.append((event, visible))
            }

            let product = try w.product("Portal 2")
            let delivered = try #require(seen.entries.first)
            #expect(seen.entries.count == 1)
            #expect(delivered.committed)
            #expect(delivered.event.event == "after_product_create")
            #expect(delivered.event.tenantID == w.tenant.id)
            #expect(delivered.event.attempt == 1)
            #expect(delivered.event.payload["id"] == .string(product.id.uuidString.lowercased()))
            #expect(delivered.event.payload["slug"] == .string("portal-2"))
            let row = try w.world.owner.query("""
                SELECT id, attempts, processed_at IS NOT NULL AS done, last_error FROM outbox WHERE event = 'after_product_create'
                """).single()
            #expect(try row.decode("id", as: UUID.self) == delivered.event.eventID)
            #expect(try row.decode("attempts", as: Int.self) == 1)
            #expect(try row.decode("done", as: Bool.self))
            #expect(try row.decode("last_error", as: String?.self) == nil)
        }
    }

    struct Flaky: Error, CustomStringConvertible {
        var description: String { "the mail server is down" }
    }

    @Test func aFailingAfterHookLeavesTheEventForALaterRetry() throws {
        try W.withGame { w in
            let attempts = HookLog<AfterHookEvent>()
            w.hooks.after(.productCreate, name: "flaky") { event in
                attempts.append(event)
                if event.attempt == 1 { throw Flaky() }
            }
            let product = try w.product("Portal 2")
            // The change itself stands.
            #expect(try w.products.show(w.ownerContext, slug: "portal-2").id == product.id)
            #expect(attempts.entries.count == 1)
            let eventID = try #require(attempts.entries.first?.eventID)

            func outboxRow() throws -> (attempts: Int, done: Bool, error: String?, due: Bool) {
                let row = try w.world.owner.query("""
                    SELECT attempts, processed_at IS NOT NULL AS done, last_error, available_at <= now() AS due FROM outbox WHERE id = \(eventID)
                    """).single()
                return (try row.decode("attempts"), try row.decode("done"), try row.decode("last_error"), try row.decode("due"))
            }
            let failed = try outboxRow()
            #expect(failed.attempts == 1)
            #expect(!failed.done)
            #expect(failed.error?.contains("the mail server is down") == true)
            #expect(!failed.due, "a failed event waits before its retry")

            let processor = OutboxProcessor(database: w.database, hooks: w.hooks)
            #expect(try processor.processPending() == 0)
            #expect(attempts.entries.count == 1)

            try w.world.owner.execute("UPDATE outbox SET available_at = now() - interval '1 second' WHERE id = \(eventID)")
            #expect(try processor.processPending() == 1)
            #expect(attempts.entries.map(\.eventID) == [eventID, eventID])
            #expect(attempts.entries.map(\.attempt) == [1, 2])
            let done = try outboxRow()
            #expect(done.attempts == 2 && done.done && done.error == nil)

            #expect(try processor.processPending() == 0)
            #expect(attempts.entries.count == 2)
        }
    }

    @Test func anEventLeftByACrashedProcessIsDeliveredByTheNextOne() throws {
        try W.withGame { w in
            let product = try w.product("Portal 2")
            let payload = JSONValue.object(["id": .string(product.id.uuidString.lowercased()), "slug": .string("portal-2")])
            let eventID: UUID = try w.world.owner.query("""
                INSERT INTO outbox (tenant_id, event, payload) VALUES (\(w.tenant.id), 'after_product_update', \(payload)) RETURNING id
                """).single().decode("id")

            // A new process: its own registry and processor.
            let registry = HookRegistry()
            let delivered = HookLog<AfterHookEvent>()
            registry.after(.productUpdate, name: "record") { delivered.append($0) }
            let processor = OutboxProcessor(database: w.database, hooks: registry)
            #expect(try processor.processPending() == 1)
            #expect(delivered.entries.map(\.eventID) == [eventID])
            #expect(delivered.entries.first?.payload == payload)
            #expect(delivered.entries.first?.tenantID == w.tenant.id)
            #expect(delivered.entries.first?.attempt == 1)
            #expect(try w.world.count("outbox", where: "id = \(eventID) AND processed_at IS NOT NULL") == 1)
            #expect(try processor.processPending() == 0)
            #expect(delivered.entries.count == 1)
        }
    }

    // MARK: - NOTIFY

    /// Collects change notifications; `next` returns what arrived for one write.
    final class ChangeListener {
        let listener: NotificationListener

        init(_ w: W) throws {
            listener = try NotificationListener(conninfo: try w.world.testDatabase.ownerConninfo)
            try listener.listen(HookRegistry.changeChannel)
        }

        deinit { listener.connection.close() }

        /// Waits for a first notification, then gathers any others that follow shortly.
        func next(timeout: Double = 5) throws -> [PostgresNotification] {
            var received = try listener.wait(timeout: timeout)
            if !received.isEmpty { received += try listener.wait(timeout: 0.05) }
            return received
        }
    }

    @Test func everyCatalogWritePublishesItsIDsAfterCommit() throws {
        try W.with { w in
            let changes = try ChangeListener(w)
            let game = try W.gameDefinition()

            func expectOne(_ event: String, _ comment: String, _ write: () throws -> Void) throws {
                try write()
                let received = try changes.next()
                #expect(received.count == 1, "\(comment): \(received.map(\.payload))")
                guard let notification = received.first else { return }
                #expect(notification.channel == HookRegistry.changeChannel)
                let payload = try JSONValue(parsing: notification.payload)
                #expect(payload.objectKeys == ["event", "id", "tenant"], "\(comment): \(notification.payload)")
                #expect(payload["tenant"] == .string(w.tenant.id.uuidString.lowercased()))
                #expect(payload["event"] == .string(event), "\(comment)")
                // The id is the outbox event's, committed by the time the notification arrives.
                guard case .string(let text)? = payload["id"], let id = UUID(uuidString: text) else {
                    Issue.record("\(comment): no id in \(notification.payload)")
                    return
                }
                #expect(try w.world.count("outbox", where: "id = \(id) AND event = \(event) AND tenant_id = \(w.tenant.id)") == 1, "\(comment)")
            }

            func expectNone(_ comment: String, _ write: () throws -> Void) throws {
                #expect(throws: (any Error).self, "\(comment)") { try write() }
                #expect(try changes.listener.wait(timeout: 0.2).isEmpty, "\(comment)")
            }

            try expectOne("after_product_type_create", "type create") { _ = try w.types.importDefinition(w.ownerContext, game) }
            try expectOne("after_product_type_update", "type update") {
                _ = try w.types.importDefinition(w.ownerContext, try W.gameDefinition { $0["name"] = .string("Games") })
            }
            try expectOne("after_product_create", "product create") { try w.product("Portal 2") }
            try expectOne("after_product_update", "product update") { _ = try w.products.update(w.ownerContext, slug: "portal-2", .init(name: "Portal Two")) }
            try expectOne("after_product_update", "product archive") { _ = try w.products.archive(w.ownerContext, slug: "portal-2") }
            try expectOne("after_variant_create", "variant create") { try w.variant("portal-2", sku: "P2") }
            try expectOne("after_variant_update", "variant update") { _ = try w.variants.update(w.ownerContext, sku: "P2", .init(price: "5")) }

            try expectNone("invalid product") { try w.product("Doom", #"{"title": "D"}"#) }
            try expectNone("duplicate sku") { try w.variant("portal-2", sku: "P2") }
            try expectNone("type in use") { try w.types.delete(w.ownerContext, slug: "game") }
            try expectNone("stale version") { _ = try w.products.update(w.ownerContext, slug: "portal-2", .init(name: "X", expectedVersion: 1)) }

            try expectOne("after_product_delete", "product delete") { try w.products.delete(w.ownerContext, slug: "portal-2") }
            try expectOne("after_product_type_delete", "type delete") { try w.types.delete(w.ownerContext, slug: "game") }
        }
    }

    /// Importing keys changes a variant's stock (what the console shows), so it is announced like any
    /// other catalog write.
    @Test func importingLicenseKeysIsAnnouncedToo() throws {
        try W.withGame { w in
            try w.product("Portal 2")
            try w.variant("portal-2", sku: "P2-KEY", inventory: .keys)
            let changes = try ChangeListener(w)
            _ = try w.keys.importKeys(w.ownerContext, sku: "P2-KEY", text: "AAAA-1111")
            let received = try changes.next(timeout: 2)
            #expect(received.count == 1, "a key import published no change notification")
            if let payload = try received.first.map({ try JSONValue(parsing: $0.payload) }) {
                #expect(payload.objectKeys == ["event", "id", "tenant"])
                #expect(payload["tenant"] == .string(w.tenant.id.uuidString.lowercased()))
            }
        }
    }
}
