/// `keys_import_100k`: importing 100,000 license keys (one per line) into one variant's pool.
///
/// This file exists to hold that figure. Every import goes into a fresh variant (inventory `keys`, made by
/// `VariantService.create`) with keys no other import used, so each one inserts all its rows.
///
/// - ours: `LicenseKeyService.importKeys(context, sku:, text:)` with a real `SecretBox` over a generated
///   `MasterKeyring`: parses the text, seals every key (AES-256-GCM) and computes its lookup hash (HMAC over
///   the NFC-normalised key), drops duplicates, then in one transaction locks the variant and inserts the
///   keys in 1,000-row `INSERT … ON CONFLICT DO NOTHING RETURNING lookup_hash` statements, counts the pool
///   and writes the audit row; then the outbox pass.
/// - raw: the ciphertexts and lookup hashes are sealed before timing (with the same box); timed are BEGIN +
///   `set_config` (pipelined), the same 1,000-row INSERT statements with the same parameters (bytea as hex
///   text, as our layer sends it; only the returned row count is read), COMMIT.
/// So the ratio is our whole overhead, sealing included; the line also gives the sealing alone (the raw
/// side's untimed preparation, timed separately).
import CLibPQ
import Domain
import Foundation
import Postgres

final class KeyImportBenchmark: BenchFigure {
    static let figureName = "keys_import_100k"
    static let keyCount = 100_000
    static let chunk = 1000

    let name = KeyImportBenchmark.figureName
    let setup: CatalogSetup
    let context: TenantContext
    let service: LicenseKeyService
    let variants: VariantService
    let box: SecretBox
    let productSlug: String
    let raw: RawConnection
    private var variantNumber = 0

    init(setup: CatalogSetup) throws {
        self.setup = setup
        context = try setup.createStore("keys")
        _ = try setup.createGameType(context)
        box = SecretBox(keyring: try MasterKeyring.generate())
        service = LicenseKeyService(catalog: setup.catalog, box: box)
        variants = VariantService(catalog: setup.catalog)
        productSlug = try ProductService(catalog: setup.catalog).create(
            context, typeSlug: GameType.slug, name: "Key Pool Game", data: .object(GameType.values(1)), status: .active
        ).slug
        raw = try RawConnection(conninfo: setup.benchDatabase.appURL)
    }

    /// A fresh variant with inventory `keys`.
    func newVariant(_ label: String) throws -> Variant {
        variantNumber += 1
        return try variants.create(context, .init(productSlug: productSlug, sku: "KEYS-\(label)-\(variantNumber)", price: "9.99",
                                                  currency: "EUR", inventory: .keys))
    }

    /// `count` distinct keys like `7KQ2M-…` (five groups of five), different for every `stream`.
    static func keys(count: Int, stream: UInt64) -> [String] {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        var state = stream &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678
        func next() -> UInt64 {  // splitmix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var keys: [String] = []
        keys.reserveCapacity(count)
        var seen = Set<String>()
        while keys.count < count {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(29)
            for group in 0..<5 {
                if group > 0 { bytes.append(UInt8(ascii: "-")) }
                var bits = next()
                for _ in 0..<5 {
                    bytes.append(alphabet[Int(bits & 31)])
                    bits >>= 5
                }
            }
            let key = String(decoding: bytes, as: UTF8.self)
            if seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    // MARK: - The two sides

    /// Imports `keys` through our service into a fresh variant; returns the seconds taken.
    func oursImport(_ keys: [String], label: String) throws -> (seconds: Double, cpu: Double, sku: String) {
        let sku = try newVariant(label).sku
        let text = keys.joined(separator: "\n") + "\n"
        let cpuStart = BenchClock.cpu
        let start = BenchClock.wall
        let report = try service.importKeys(context, sku: sku, text: text)
        let seconds = Double(BenchClock.wall - start) / 1e9
        let cpu = Double(BenchClock.cpu - cpuStart) / 1e9
        guard report.imported == keys.count, report.counts.available == keys.count else {
            throw BenchError("\(name): ours imported \(report.imported) of \(keys.count) keys")
        }
        return (seconds, cpu, sku)
    }

    /// `LicenseKeyService.importKeys`' statement for a full chunk, as our layer renders it.
    static let insertSQL = insertSQL(rows: chunk)
    static let insertTypes: [Oid] = Array(repeating: [PostgresType.uuid.rawValue, PostgresType.uuid.rawValue, PostgresType.bytea.rawValue,
                                                      PostgresType.text.rawValue, PostgresType.bytea.rawValue], count: chunk).flatMap { $0 }

    /// Seals `keys` as the raw side's untimed preparation; returns them and the seconds sealing took.
    func seal(_ keys: [String]) throws -> (sealed: [SealedSecret], seconds: Double) {
        let sealContext = SealContext.licenseKey(tenantID: context.tenantID)
        let start = BenchClock.wall
        let sealed = try keys.map { try box.seal($0, context: sealContext) }
        return (sealed, Double(BenchClock.wall - start) / 1e9)
    }

    /// Inserts pre-sealed keys over raw libpq into a fresh variant; returns the seconds taken.
    func rawImport(_ sealed: [SealedSecret], label: String) throws -> (seconds: Double, cpu: Double, sku: String) {
        let variant = try newVariant(label)
        let tenant = context.tenantID.uuidString
        let variantID = variant.id.uuidString
        let cpuStart = BenchClock.cpu
        let start = BenchClock.wall
        try raw.pipelinedBegin(setting: DatabaseRoles.tenantSetting, to: tenant)
        var inserted = 0
        do {
            for offset in stride(from: 0, to: sealed.count, by: Self.chunk) {
                let rows = sealed[offset..<min(offset + Self.chunk, sealed.count)]
                var values: [String?] = []
                values.reserveCapacity(rows.count * 5)
                for secret in rows {
                    values += [tenant, variantID, Self.hex(secret.ciphertext), secret.keyID, Self.hex(secret.lookupHash)]
                }
                let sql = rows.count == Self.chunk ? Self.insertSQL : Self.insertSQL(rows: rows.count)
                let result = try raw.exec(sql, types: Array(Self.insertTypes.prefix(rows.count * 5)), values: values)
                inserted += Int(PQntuples(result))
                PQclear(result)
            }
            try raw.command("COMMIT")
        } catch {
            raw.rollback()
            throw error
        }
        let seconds = Double(BenchClock.wall - start) / 1e9
        let cpu = Double(BenchClock.cpu - cpuStart) / 1e9
        guard inserted == sealed.count else { throw BenchError("raw libpq: inserted \(inserted) of \(sealed.count) keys") }
        return (seconds, cpu, variant.sku)
    }

    static func insertSQL(rows: Int) -> String {
        "INSERT INTO license_keys (tenant_id, variant_id, ciphertext, key_id, lookup_hash)\nVALUES "
            + (0..<rows).map { "($\($0 * 5 + 1), $\($0 * 5 + 2), $\($0 * 5 + 3), $\($0 * 5 + 4), $\($0 * 5 + 5))" }.joined(separator: ", ")
            + "\nON CONFLICT (tenant_id, variant_id, lookup_hash) DO NOTHING\nRETURNING lookup_hash"
    }

    /// bytea in PostgreSQL's hex text form (`\x…`), as a raw program would write it.
    static func hex(_ data: Data) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 2 + data.count * 2)
        out[0] = UInt8(ascii: "\\")
        out[1] = UInt8(ascii: "x")
        var i = 2
        for byte in data {
            out[i] = digits[Int(byte >> 4)]
            out[i + 1] = digits[Int(byte & 0x0f)]
            i += 2
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - BenchFigure

    /// Both sides import 1,000 keys; each pool must then open (with `reveal`) to exactly the keys given.
    func verify() throws {
        let oursKeys = Self.keys(count: 1000, stream: 1)
        let rawKeys = Self.keys(count: 1000, stream: 2)
        let ours = try oursImport(oursKeys, label: "verify-ours")
        let raw = try rawImport(try seal(rawKeys).sealed, label: "verify-raw")
        for (sku, keys) in [(ours.sku, oursKeys), (raw.sku, rawKeys)] {
            let listed = try service.list(context, sku: sku, limit: 1000, reveal: true)
            guard Set(listed.map(\.key)) == Set(keys), listed.allSatisfy({ $0.status == "available" }) else {
                throw BenchError("\(name): the pool of \(sku) does not open to the imported keys")
            }
            guard try service.count(context, sku: sku).available == keys.count else {
                throw BenchError("\(name): the pool of \(sku) counts differently")
            }
        }
    }

    struct Round {
        var ours: (seconds: Double, cpu: Double)?
        var raw: (seconds: Double, cpu: Double)?
        var sealing: Double?
    }

    private func rounds(settings: BenchSettings, sides: [BenchSide]) throws -> [Round] {
        var rounds: [Round] = []
        for round in 0..<settings.rounds {
            var result = Round()
            let order: [BenchSide] = round % 2 == 0 ? [.ours, .raw] : [.raw, .ours]
            for side in order where sides.contains(side) {
                let keys = Self.keys(count: Self.keyCount, stream: UInt64(100 + round * 2 + (side == .ours ? 0 : 1)))
                if side == .ours {
                    let ours = try oursImport(keys, label: "ours-\(round)")
                    result.ours = (ours.seconds, ours.cpu)
                } else {
                    let (sealed, sealing) = try seal(keys)
                    let raw = try rawImport(sealed, label: "raw-\(round)")
                    result.raw = (raw.seconds, raw.cpu)
                    result.sealing = sealing
                }
            }
            rounds.append(result)
        }
        return rounds
    }

    private static func describe(_ seconds: Double) -> String {
        "\(Benchmark.format(seconds, 2)) s (\(Benchmark.format(Double(keyCount) / seconds, 0)) keys/s)"
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        let rounds = try rounds(settings: settings, sides: [.ours, .raw])
        let ours = rounds.compactMap(\.ours).min { $0.seconds < $1.seconds }!
        let raw = rounds.compactMap(\.raw).min { $0.seconds < $1.seconds }!
        let sealing = rounds.compactMap(\.sealing).min()!
        let line = Benchmark.pad(name)
            + "  ours \(Self.describe(ours.seconds))"
            + "  raw_libpq \(Self.describe(raw.seconds))"
            + "  ratio \(Benchmark.format(raw.seconds / ours.seconds, 2))"
            + "  client_cpu ours \(Benchmark.format(ours.cpu, 2)) s raw_libpq \(Benchmark.format(raw.cpu, 2)) s"
            + "  sealing alone \(Benchmark.format(sealing, 2)) s"
            + "  (best of \(settings.rounds) rounds x \(Self.keyCount) keys, \(settings.cpuSummary))"
        let roundLines = rounds.enumerated().map { index, round in
            "  \(name) round \(index + 1): ours \(Self.describe(round.ours!.seconds))  raw_libpq \(Self.describe(round.raw!.seconds))"
                + "  sealing \(Benchmark.format(round.sealing!, 2)) s\n"
        }.joined()
        return FigureReport(line: line, roundLines: roundLines)
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport {
        let rounds = try rounds(settings: settings, sides: [side])
        let samples = rounds.compactMap { side == .ours ? $0.ours : $0.raw }
        let best = samples.min { $0.seconds < $1.seconds }!
        let line = Benchmark.pad(name)
            + "  \(side.label) \(Self.describe(best.seconds))  client_cpu \(Benchmark.format(best.cpu, 2)) s"
            + "  (profile: \(side.label) only, best of \(settings.rounds) rounds x \(Self.keyCount) keys, \(settings.cpuSummary))"
        let roundLines = samples.enumerated().map { "  \(name) round \($0.offset + 1): \(side.label) \(Self.describe($0.element.seconds))\n" }.joined()
        return FigureReport(line: line, roundLines: roundLines)
    }
}
