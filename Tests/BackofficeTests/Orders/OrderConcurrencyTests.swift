import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 5, item 5: concurrency and failure against the real server — every client on a thread of its
/// own with a `Database` (and so a connection) of its own.
@Suite struct OrderConcurrencyTests {
    @Test func fourClientsClaimAThousandDeliveriesEachExactlyOnce() throws {
        try OrderWorld.with { w in
            try w.variant("MANUAL", price: "0.01")
            let order = try w.order([("MANUAL", OrderService.maximumQuantity)])
            try w.pay(order.number, "10.00", reference: "R-BULK")
            #expect(try w.count("deliveries", where: "status = 'pending'") == 1000)

            let clerks = try (0..<4).map { _ in try w.world.member(.fulfilment, in: "shop").context }
            let url = try w.world.testDatabase.appConninfo
            let box = w.box
            let claims = PGLocked<[(client: Int, id: UUID, claimer: UUID?)]>([])
            let failures = PGLocked<[String]>([])
            let barrier = PGBarrier(parties: 4)
            let started = Date()
            let finished = PGTest.onThreads(4, timeout: 60) { client in
                let database = Database(url: url, maxConnections: 1)
                defer { database.close() }
                let service = DeliveryService(catalog: CatalogEnvironment(database: database, hooks: HookRegistry()), box: box)
                barrier.arrive()
                var mine: [(client: Int, id: UUID, claimer: UUID?)] = []
                do {
                    while let delivery = try service.claim(clerks[client]) {
                        mine.append((client, delivery.id, delivery.claimedBy))
                    }
                } catch {
                    failures.withLock { $0.append("client \(client): \(error)") }
                }
                claims.withLock { $0.append(contentsOf: mine) }
            }
            let elapsed = Date().timeIntervalSince(started)
            #expect(finished)
            #expect(failures.value.isEmpty, "\(failures.value)")
            let all = claims.value
            #expect(all.count == 1000)
            #expect(Set(all.map(\.id)).count == 1000)
            #expect(all.allSatisfy { $0.claimer == clerks[$0.client].userID })
            #expect(Set(all.map(\.client)).count == 4, "every client got work")
            #expect(try w.count("deliveries", where: "status = 'pending'") == 0, "the queue is empty")
            #expect(try w.count("deliveries", where: "status = 'processing' AND attempts = 1") == 1000)
            #expect(try w.count("audit_log", where: "action = 'delivery.claimed'") == 1000)
            // Who holds each claim in the database is who was told so.
            let holders = try w.sql.query("SELECT id, claimed_by FROM deliveries WHERE tenant_id = \(w.tenant.id)")
            var stored: [UUID: UUID] = [:]
            for row in holders { stored[try row.decode("id")] = try row.decode("claimed_by") }
            #expect(all.allSatisfy { stored[$0.id] == clerks[$0.client].userID })
            #expect(elapsed < 30, "claiming 1000 deliveries took \(elapsed) s")
        }
    }

    @Test func twoOrdersPaidAtOnceForTheLastKeyGetItOnce() throws {
        try OrderWorld.with { w in
            let url = try w.world.testDatabase.appConninfo
            let context = w.ownerContext
            let box = w.box
            for round in 1...3 {
                let sku = "LAST-\(round)"
                try w.keyVariant(sku, keys: ["THE-LAST-KEY-\(round)"])
                let a = try w.order([(sku, 1)])
                let b = try w.order([(sku, 1)])
                // Both payments wait at the move to `paid` (each holding its own order), then allocate together.
                let hooks = HookRegistry()
                let together = PGBarrier(parties: 2)
                let met = PGLocked(0)
                hooks.before(.orderStatusChange, name: "meet") { context in
                    if context.data["to"] == .string("paid") {
                        if together.arrive(timeout: 10) { met.withLock { $0 += 1 } }
                    }
                }
                let results = PGLocked<[Int64: Result<PaymentService.Outcome, any Error>]>([:])
                let numbers = [a.number, b.number]
                let finished = PGTest.onThreads(2, timeout: 60) { index in
                    let database = Database(url: url, maxConnections: 1)
                    defer { database.close() }
                    let service = PaymentService(catalog: CatalogEnvironment(database: database, hooks: hooks), box: box)
                    let result = Result {
                        try service.record(context, number: numbers[index], amount: "10.00", method: "bank_transfer", reference: "R-\(round)-\(index)")
                    }
                    results.withLock { $0[numbers[index]] = result }
                }
                #expect(finished)
                #expect(met.value == 2, "the two payments did not overlap")
                var outcomes: [PaymentService.Outcome] = []
                for number in numbers {
                    switch results.value[number] {
                    case .success(let outcome)?: outcomes.append(outcome)
                    case .failure(let error)?: Issue.record("payment of order \(number) failed: \(error)")
                    case nil: Issue.record("payment of order \(number) did not finish")
                    }
                }
                guard outcomes.count == 2 else { continue }
                #expect(outcomes.allSatisfy { $0.recorded })
                let winners = outcomes.filter { $0.order.status == .fulfilled }
                let losers = outcomes.filter { $0.order.status == .fulfilling }
                #expect(winners.count == 1 && losers.count == 1, "\(outcomes.map(\.order.status))")
                let keys = try w.keyRows(sku)
                #expect(keys.map(\.status) == ["delivered"])
                if let winner = winners.first, let loser = losers.first {
                    #expect(winner.order.deliveries.count == 1)
                    #expect(winner.order.deliveries.first?.licenseKeyID == keys.first?.id)
                    #expect(winner.order.deliveries.first?.id == keys.first?.deliveryID)
                    #expect(loser.order.deliveries.count == 1)
                    #expect(loser.order.deliveries.first?.status == .pending)
                    #expect(loser.order.deliveries.first?.licenseKeyID == nil)
                    #expect(loser.order.deliveries.first?.reason == "the key pool of \(sku) is empty")
                }
                #expect(try w.count("deliveries", where: "license_key_id = \(keys.first?.id ?? UUID())") == 1, "a key is in one delivery only")
            }
            let reused: Int = try w.sql.query("""
                SELECT count(*)::int AS n FROM (SELECT license_key_id FROM deliveries WHERE license_key_id IS NOT NULL
                                                 GROUP BY license_key_id HAVING count(*) > 1) s
                """).single().decode("n")
            #expect(reused == 0)
        }
    }

    @Test func theSamePaymentRecordedTwiceAtOnceIsRecordedOnce() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["K-1", "K-2", "K-3"])
            let order = try w.order([("KEY", 1)])
            let url = try w.world.testDatabase.appConninfo
            let context = w.ownerContext
            let box = w.box
            let number = order.number
            let results = PGLocked<[Result<Bool, any Error>]>([])
            let barrier = PGBarrier(parties: 2)
            let finished = PGTest.onThreads(2, timeout: 60) { _ in
                let database = Database(url: url, maxConnections: 1)
                defer { database.close() }
                let service = PaymentService(catalog: CatalogEnvironment(database: database, hooks: HookRegistry()), box: box)
                _ = try? database.withTransaction { _ in }  // connect before the start line
                barrier.arrive()
                let result = Result {
                    try service.record(context, number: number, amount: "10.00", method: "bank_transfer", reference: "SAME-REF").recorded
                }
                results.withLock { $0.append(result) }
            }
            #expect(finished)
            var recorded: [Bool] = []
            for result in results.value {
                switch result {
                case .success(let flag): recorded.append(flag)
                case .failure(let error): Issue.record("a recording failed: \(error)")
                }
            }
            #expect(recorded.sorted { !$0 && $1 } == [false, true])
            #expect(try w.count("payments") == 1)
            #expect(try w.count("deliveries") == 1)
            #expect(try w.keyRows("KEY").filter { $0.status == "delivered" }.count == 1)
            #expect(try w.audit("payment.recorded").count == 1)
            #expect(try w.show(order.number).status == .fulfilled)
        }
    }

    @Test func aConnectionDroppedMidPaymentLeavesNothingHalfWritten() throws {
        try OrderWorld.with { w in
            try w.keyVariant("KEY", keys: ["K-1"])
            let order = try w.order([("KEY", 1)])
            let entered = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let hooks = HookRegistry()
            hooks.before(.paymentProcess, name: "slow-gateway") { _ in
                entered.signal()
                _ = release.wait(timeout: .now() + 20)
            }
            let database = Database(url: try w.world.testDatabase.appConninfo, maxConnections: 1)
            defer { database.close() }
            let service = PaymentService(catalog: CatalogEnvironment(database: database, hooks: hooks), box: w.box)
            let context = w.ownerContext
            let number = order.number
            let outcome = PGLocked<Result<PaymentService.Outcome, any Error>?>(nil)
            let done = DispatchSemaphore(value: 0)
            Thread {
                let result = Result { try service.record(context, number: number, amount: "10.00", method: "bank_transfer", reference: "R-DROP") }
                outcome.withLock { $0 = result }
                done.signal()
            }.start()

            #expect(entered.wait(timeout: .now() + 20) == .success, "the payment never reached its before-hook")
            let backends: [Int32] = try w.sql.query("""
                SELECT pid FROM pg_stat_activity
                 WHERE datname = current_database() AND usename = \(DatabaseRoles.app) AND state = 'idle in transaction'
                """).map { try $0.decode("pid") }
            #expect(backends.count == 1, "expected exactly the payment's backend inside a transaction")
            for pid in backends { try PGTest.terminate(backend: pid, using: w.sql) }
            release.signal()
            #expect(done.wait(timeout: .now() + 20) == .success)

            switch outcome.value {
            case .failure(let error)?:
                let appError = error as? any AppError
                #expect(appError?.statusCode == 503, "\(error)")
                #expect(error is ServiceUnavailableError, "\(type(of: error)): \(error)")
            case .success?:
                Issue.record("the payment succeeded although its connection was dropped")
            case nil:
                Issue.record("the payment did not finish")
            }

            #expect(try w.count("payments") == 0)
            #expect(try w.count("deliveries") == 0)
            #expect(try w.keyRows("KEY").map(\.status) == ["available"])
            let stored = try w.show(order.number)
            #expect(stored.status == .pendingPayment)
            #expect(stored.payment == .object([:]))
            #expect(try w.audit("payment.recorded").isEmpty)
            #expect(try w.audit("order.status_changed").isEmpty)
            #expect(try w.count("outbox", where: "event IN ('after_payment_success', 'after_order_status_change')") == 0)

            // The pool replaces the dead connection: the retry goes through.
            release.signal()
            let retry = try service.record(context, number: number, amount: "10.00", method: "bank_transfer", reference: "R-DROP")
            #expect(retry.recorded)
            #expect(retry.order.status == .fulfilled)
        }
    }
}
