/// What the order figures (`OrderPlaceBenchmark`, `DeliveryQueueBenchmark`, `OrderListBenchmark`) share: a
/// store ready to sell, a NOTIFY listener to check both sides announce the same events, a way to run
/// bodies on concurrent client threads, and a plan summary.
///
/// This file exists so the three order figures set up the same way: a store made by `TenantService.create`
/// (through `CatalogSetup`, which also gives it the delivery method `manual`), the `game` product type, one product made by `ProductService.create` and its three variants
/// (inventory `none`, delivery method `manual`, 19.99 / 29.99 / 39.99 EUR) made by `VariantService.create`.
import CLibPQ
import Domain
import Foundation
import Postgres

/// A store with one product of three manual-delivery variants.
struct OrderStore {
    let context: TenantContext
    let product: Product
    let variants: [Variant]
    /// The `manual` delivery method's id (what `makeDeliveries` writes into `deliveries.delivery_method_id`).
    let methodID: UUID

    var skus: [String] { variants.map(\.sku) }
    /// What `OrderService.create` writes into `orders.items_data` for one unit of each variant.
    var itemsData: JSONValue {
        .array(variants.map { variant in
            .object(["sku": .string(variant.sku), "quantity": .integer(1), "unitPrice": variant.price.json, "product": .string(product.name),
                     "productSlug": .string(product.slug), "attributes": variant.attributes])
        })
    }

    /// One unit of each variant: 19.99 + 29.99 + 39.99.
    var orderTotal: Int64 { variants.reduce(0) { $0 + $1.price.amount } }

    static func make(_ setup: CatalogSetup, label: String) throws -> OrderStore {
        let context = try setup.createStore(label)
        _ = try setup.createGameType(context)
        // Every new store has the `manual` method (`TenantService.create` adds it).
        guard try DeliveryMethodService(database: setup.database).list(context).contains(where: { $0.slug == "manual" && $0.type == "manual" }) else {
            throw BenchError("the new store has no manual delivery method")
        }
        let product = try ProductService(catalog: setup.catalog).create(
            context, typeSlug: GameType.slug, name: "Order Game", data: .object(GameType.values(7)), status: .active)
        let variantService = VariantService(catalog: setup.catalog)
        let variants = try ProductCreateBenchmark.editions.map { edition in
            try variantService.create(context, .init(productSlug: product.slug, sku: "OG-\(edition.suffix)", price: edition.price,
                                                     currency: "EUR", inventory: .none, deliveryMethod: "manual"))
        }
        let methodID: UUID = try setup.database.withTenant(context) { tx in
            try tx.query("SELECT id FROM delivery_methods WHERE tenant_id = \(tx.context.tenantID) AND slug = 'manual'").single().decode("id")
        }
        return OrderStore(context: context, product: product, variants: variants, methodID: methodID)
    }
}

/// `8997` minor units as `89.97`, the decimal `PaymentService.record` parses.
func decimalText(_ amount: Int64) -> String {
    let cents = amount % 100
    return "\(amount / 100).\(cents < 10 ? "0" : "")\(cents)"
}

/// A one-dimensional array literal (`{"a","b"}`), as a raw program writes it.
func arrayLiteral(_ elements: [String]) -> String {
    "{" + elements.map { element in
        "\"" + element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }.joined(separator: ",") + "}"
}

/// Listens on `HookRegistry.changeChannel` over its own libpq connection and collects what arrives.
final class RawListener {
    let connection: RawConnection

    init(conninfo: String) throws {
        connection = try RawConnection(conninfo: conninfo)
        try connection.command("LISTEN \(HookRegistry.changeChannel)")
    }

    /// Events received so far, by tenant (lowercase uuid).
    private var received: [String: [String]] = [:]

    /// The `event` of every notification of `tenant` that arrived, after waiting until `expected` came
    /// (or a second passed), sorted; later calls see only what arrived after.
    func drain(tenant: UUID, expected: Int) throws -> [String] {
        let key = tenant.uuidString.lowercased()
        let deadline = BenchClock.wall + 1_000_000_000
        repeat {
            guard PQconsumeInput(connection.handle) == 1 else { throw BenchError("listener: \(String(cString: PQerrorMessage(connection.handle)))") }
            while let notify = PQnotifies(connection.handle) {
                let payload = String(cString: notify.pointee.extra)
                PQfreemem(notify)
                let json = try JSONValue(parsing: payload)
                if case .string(let tenant)? = json["tenant"], case .string(let event)? = json["event"] {
                    received[tenant, default: []].append(event)
                }
            }
            if received[key, default: []].count >= expected { break }
            usleep(2000)
        } while BenchClock.wall < deadline
        defer { received[key] = nil }
        return received[key, default: []].sorted()
    }
}

/// Runs bodies on their own threads at once (each inheriting this thread's CPU pinning) and waits for
/// all; returns each thread's CPU time in nanoseconds. The first error thrown is rethrown.
enum ClientThreads {
    private final class Outcome: @unchecked Sendable {
        let lock = NSLock()
        var cpu: [UInt64]
        var error: (any Error)?
        init(count: Int) { cpu = Array(repeating: 0, count: count) }
    }

    /// Wraps a non-Sendable body for the hand-over to its thread: it runs there alone, and this thread
    /// waits for it before touching anything it uses again.
    private struct Body: @unchecked Sendable {
        let run: () throws -> Void
    }

    static func run(_ bodies: [() throws -> Void]) throws -> [UInt64] {
        let outcome = Outcome(count: bodies.count)
        let group = DispatchGroup()
        for (index, body) in bodies.map(Body.init).enumerated() {
            group.enter()
            let thread = Thread {
                let start = BenchClock.cpu
                do {
                    try body.run()
                } catch {
                    outcome.lock.withLock { if outcome.error == nil { outcome.error = error } }
                }
                let used = BenchClock.cpu - start
                outcome.lock.withLock { outcome.cpu[index] = used }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return try outcome.lock.withLock {
            if let error = outcome.error { throw error }
            return outcome.cpu
        }
    }
}

/// Query plans as one line, for figures that must show an index bounds them.
enum PlanSummary {
    /// A query's plan as the app role sees it inside a tenant transaction, as
    /// `Limit > Index Scan(orders_created_idx) > …` (depth first, init plans included). `setup` runs first
    /// in the same transaction (e.g. the SET LOCAL the service sends beside its query).
    static func nodes(_ raw: RawConnection, tenant: UUID, sql: String, types: [Oid], values: [String?], setup: [String] = []) throws -> String {
        try raw.pipelinedBegin(setting: DatabaseRoles.tenantSetting, to: tenant.uuidString)
        let text: String
        do {
            for statement in setup { try raw.command(statement) }
            let result = try raw.exec("EXPLAIN (FORMAT JSON) " + sql, types: types, values: values)
            text = (0..<PQntuples(result)).map { RawValue.string(result, $0, 0) }.joined(separator: "\n")
            PQclear(result)
            try raw.command("COMMIT")
        } catch {
            raw.rollback()
            throw error
        }
        guard case .array(let documents) = try JSONValue(parsing: text), let plan = documents.first?["Plan"] else {
            throw BenchError("cannot read the EXPLAIN output")
        }
        var nodes: [String] = []
        func walk(_ node: JSONValue) {
            guard case .string(let type)? = node["Node Type"] else { return }
            if case .string(let index)? = node["Index Name"] {
                nodes.append("\(type)(\(index))")
            } else if case .string(let relation)? = node["Relation Name"] {
                nodes.append("\(type)(\(relation))")
            } else {
                nodes.append(type)
            }
            if case .array(let children)? = node["Plans"] { children.forEach(walk) }
        }
        walk(plan)
        return nodes.joined(separator: " > ")
    }
}

/// Type OIDs the raw sides bind.
enum OID {
    static let uuid = PostgresType.uuid.rawValue
    static let text = PostgresType.text.rawValue
    static let int8 = PostgresType.int8.rawValue
    static let float8 = PostgresType.float8.rawValue
    static let jsonb = PostgresType.jsonb.rawValue
    static let textArray = PostgresType.textArray.rawValue
    static let uuidArray = PostgresType.uuidArray.rawValue
}

/// One statement as the raw sides send it.
typealias RawStatement = (sql: String, types: [Oid], values: [String?])

/// The statements every order write sends, as the services render them (`AuditLog.record`,
/// `HookRegistry.enqueueAfter`, `HookRegistry.announce`, `OrderService.move`).
enum RawOrderSQL {
    static let begin: RawStatement = ("BEGIN", [], [])
    static let commit: RawStatement = ("COMMIT", [], [])

    static func setTenant(_ tenant: String) -> RawStatement {
        ("SELECT set_config($1, $2, true)", [OID.text, OID.text], [DatabaseRoles.tenantSetting, tenant])
    }

    static let auditSQL = """
        INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id, before, after)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """

    static func audit(_ tenant: String, _ user: String, action: String, type: String, id: String, before: JSONValue? = nil,
                      after: JSONValue? = nil) -> RawStatement {
        (auditSQL, [OID.uuid, OID.uuid, OID.text, OID.text, OID.text, OID.jsonb, OID.jsonb],
         [tenant, user, action, type, id, before?.jsonText, after?.jsonText])
    }

    static let enqueueSQL = """
        WITH event AS (
            INSERT INTO outbox (tenant_id, event, payload) VALUES ($1, $2, $3) RETURNING id
        )
        SELECT pg_notify($4,
                         json_build_object('tenant', $5, 'event', $6, 'id', event.id)::text)
          FROM event
        """

    static func enqueue(_ tenant: String, event: String, payload: JSONValue) -> RawStatement {
        (enqueueSQL, [OID.uuid, OID.text, OID.jsonb, OID.text, OID.uuid, OID.text],
         [tenant, event, payload.jsonText, HookRegistry.changeChannel, tenant, event])
    }

    static let announceSQL = """
        SELECT pg_notify($1, json_build_object('tenant', $2, 'event', $3, 'id', $4)::text)
        """

    static func announce(_ tenant: String, event: String, id: String) -> RawStatement {
        (announceSQL, [OID.text, OID.uuid, OID.text, OID.uuid], [HookRegistry.changeChannel, tenant, event, id])
    }

    static let moveSQL = """
        UPDATE orders SET status = $1, version = version + 1
         WHERE tenant_id = $2 AND id = $3 AND status = $4
        """

    /// `OrderService.move`'s three statements: the update, its audit row, its event.
    static func move(_ tenant: String, _ user: String, orderID: String, number: Int64, from: String, to: String) -> [RawStatement] {
        let data = JSONValue.object(["order": .string(orderID), "number": .integer(number), "from": .string(from), "to": .string(to)])
        return [
            (moveSQL, [OID.text, OID.uuid, OID.uuid, OID.text], [to, tenant, orderID, from]),
            audit(tenant, user, action: "order.status_changed", type: "order", id: orderID,
                  before: .object(["status": .string(from)]), after: .object(["status": .string(to)])),
            enqueue(tenant, event: HookName.orderStatusChange.after, payload: data),
        ]
    }
}

extension RawConnection {
    /// `pipeline`, rolling the open transaction back when it fails.
    func pipelineOrRollback(_ statements: [RawStatement]) throws -> [OpaquePointer] {
        do {
            return try pipeline(statements)
        } catch {
            rollback()
            throw error
        }
    }
}
