import Foundation
import Postgres

/// License-key pools per variant (inventory `keys`): import from a file, counts by status, and revealing
/// keys to staff who hold `keys.reveal` (every reveal audited). Keys are sealed at rest (`SecretBox`) with
/// a keyed hash beside them, so a duplicate is caught without decrypting the pool.
public struct LicenseKeyService: Sendable {
    public let catalog: CatalogEnvironment
    public let box: SecretBox

    public init(catalog: CatalogEnvironment, box: SecretBox) {
        self.catalog = catalog
        self.box = box
    }

    /// What an import did. Duplicates (repeated in the file, or already in the pool) are not imported
    /// and are reported by line number.
    public struct ImportReport: Sendable, Encodable {
        public var sku: String
        public var imported: Int
        public var duplicateLinesInFile: [Int]
        public var alreadyInPool: [Int]
        public var emptyLines: Int
        public var counts: KeyCounts
    }

    /// Keys of a variant by status.
    public struct KeyCounts: Sendable, Equatable, Encodable {
        public var available = 0
        public var reserved = 0
        public var delivered = 0
        public var revoked = 0
        public var total: Int { available + reserved + delivered + revoked }
    }

    /// One key as staff see it: redacted unless revealed.
    public struct KeyEntry: Sendable, Equatable, Encodable {
        public var id: String
        public var status: String
        public var key: String
        public var revealed: Bool
        public var createdAt: Date
    }

    /// A key's statuses, in the order a key moves through them (`license_keys.status`).
    public static let statuses = ["available", "reserved", "delivered", "revoked"]

    public static let maximumKeyLength = 1000
    public static let maximumKeysPerImport = 1_000_000

    /// Reads keys from a file's text: CSV when the first line is a header with a `key` column, otherwise
    /// one key per line (surrounding spaces trimmed, empty lines skipped).
    /// Returns (line number, key) pairs and the number of empty lines skipped.
    public static func parseKeys(_ text: String) throws(ValidationError) -> (keys: [(line: Int, key: String)], empty: Int) {
        // "\r\n" is one Character in Swift, so CRLF files must be split on it too, not only on "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        var column: Int?
        var firstLine = 1
        if let header = lines.first {
            let cells = CSV.split(String(header))
            // A CSV file names its `key` column in the header; anything else is one key per line.
            if let index = cells.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == "key" }) {
                column = index
                firstLine = 2
            }
        }
        var keys: [(line: Int, key: String)] = []
        var empty = 0
        var issues: [FieldIssue] = []
        for (offset, raw) in lines.enumerated() where offset + 1 >= firstLine {
            let number = offset + 1
            var value = String(raw)
            if let column {
                let cells = CSV.split(value)
                value = column < cells.count ? cells[column] : ""
            }
            value = value.trimmingCharacters(in: .whitespaces)
            if value.isEmpty { empty += 1; continue }
            if value.count > maximumKeyLength {
                issues.append(FieldIssue(field: "line \(number)", rule: "maxLength", message: "line \(number): a key must be at most \(maximumKeyLength) characters"))
            } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                issues.append(FieldIssue(field: "line \(number)", rule: "controlCharacters", message: "line \(number): a key must not contain control characters"))
            }
            if issues.count >= 20 { break }
            keys.append((number, value))
        }
        if keys.count > maximumKeysPerImport {
            issues.append(FieldIssue(field: "file", rule: "maxItems", message: "at most \(maximumKeysPerImport) keys per import (got \(keys.count))"))
        }
        try throwIfInvalid(issues)
        return (keys, empty)
    }

    /// Imports keys into a variant's pool (the variant must have inventory `keys`); needs `products.write`.
    public func importKeys(_ context: TenantContext, sku: String, text: String) throws -> ImportReport {
        try context.require(.productsWrite)
        let (keys, empty) = try LicenseKeyService.parseKeys(text)
        let sealContext = SealContext.licenseKey(tenantID: context.tenantID)
        // Seal outside the transaction: it is CPU work, and the pool connection should not wait on it.
        var seenInFile: [Data: Int] = [:]
        var duplicateLines: [Int] = []
        var sealed: [(line: Int, secret: SealedSecret)] = []
        sealed.reserveCapacity(keys.count)
        for (line, key) in keys {
            let secret = try box.seal(key, context: sealContext)
            if seenInFile[secret.lookupHash] != nil {
                duplicateLines.append(line)
                continue
            }
            seenInFile[secret.lookupHash] = line
            sealed.append((line, secret))
        }
        return try catalog.write(context) { tx in
            let variant = try VariantService.find(tx, sku: sku, forUpdate: true)
            guard variant.inventoryMode == .keys else {
                throw ConflictError("variant '\(sku)' counts stock as '\(variant.inventoryMode.rawValue)', not license keys; create it with --inventory keys", field: "sku")
            }
            var inserted = Set<Data>()
            for chunk in stride(from: 0, to: sealed.count, by: 1000) {
                let rows: [SQL] = sealed[chunk..<min(chunk + 1000, sealed.count)].map { entry in
                    "(\(tx.context.tenantID), \(variant.id), \(entry.secret.ciphertext), \(entry.secret.keyID), \(entry.secret.lookupHash))"
                }
                let result = try tx.query("""
                    INSERT INTO license_keys (tenant_id, variant_id, ciphertext, key_id, lookup_hash)
                    VALUES \(SQL.join(rows, with: ", "))
                    ON CONFLICT (tenant_id, variant_id, lookup_hash) DO NOTHING
                    RETURNING lookup_hash
                    """)
                for row in result { inserted.insert(try row.decode("lookup_hash", as: Data.self)) }
            }
            // The variant's stock changed: open consoles refresh.
            try HookRegistry.announce(tx, event: "license_keys_imported", id: variant.id)
            let alreadyInPool = sealed.filter { !inserted.contains($0.secret.lookupHash) }.map(\.line)
            let counts = try LicenseKeyService.counts(tx, variantID: variant.id)
            try AuditLog.record(tx, action: "license_keys.imported", entityType: "variant", entityID: variant.id.uuidString.lowercased(),
                                after: .object(["sku": .string(sku), "imported": .integer(Int64(inserted.count)),
                                                "duplicatesInFile": .integer(Int64(duplicateLines.count)),
                                                "alreadyInPool": .integer(Int64(alreadyInPool.count))]))
            return ImportReport(sku: sku, imported: inserted.count, duplicateLinesInFile: duplicateLines, alreadyInPool: alreadyInPool,
                                emptyLines: empty, counts: counts)
        }
    }

    /// A variant's keys by status; needs `products.read`.
    public func count(_ context: TenantContext, sku: String) throws -> KeyCounts {
        try context.require(.productsRead)
        return try catalog.database.withTenant(context) { tx in
            try LicenseKeyService.counts(tx, variantID: try VariantService.find(tx, sku: sku).id)
        }
    }

    /// A variant's keys, oldest first, redacted; with `reveal` in full, which needs `keys.reveal` and
    /// writes one audit entry naming every key shown.
    public func list(_ context: TenantContext, sku: String, status: String? = nil, limit: Int = 50, reveal: Bool = false) throws -> [KeyEntry] {
        try context.require(.productsRead)
        if reveal { try context.require(.keysReveal) }
        var validator = FieldValidator()
        if limit < 1 || limit > 1000 { validator.fail("limit", "range", "limit must be between 1 and 1000 (got \(limit))") }
        if let status { validator.oneOf("status", status, LicenseKeyService.statuses) }
        try validator.check()
        let sealContext = SealContext.licenseKey(tenantID: context.tenantID)
        return try catalog.database.withTenant(context) { tx in
            let variant = try VariantService.find(tx, sku: sku)
            let filter: SQL = status.map { " AND status = \($0)" } ?? ""
            let rows = try tx.query("""
                SELECT id, status, ciphertext, key_id, created_at FROM license_keys
                 WHERE tenant_id = \(tx.context.tenantID) AND variant_id = \(variant.id)\(filter)
                 ORDER BY created_at, id LIMIT \(limit)
                """)
            let entries = try rows.map { try entry($0, context: sealContext, reveal: reveal) }
            if reveal && !entries.isEmpty {
                try AuditLog.record(tx, action: "license_keys.revealed", entityType: "variant", entityID: variant.id.uuidString.lowercased(),
                                    after: .object(["sku": .string(sku), "keys": .array(entries.map { .string($0.id) })]))
            }
            return entries
        }
    }

    /// One `license_keys` row (`id`, `status`, `ciphertext`, `key_id`, `created_at`) as staff see it:
    /// opened, and redacted (`SecretBox.redacted`) unless `reveal`. Every listing masks keys here.
    func entry(_ row: Row, context: SealContext, reveal: Bool) throws -> KeyEntry {
        let plaintext = try box.open(try row.decode("ciphertext", as: Data.self), keyID: try row.decode("key_id"), context: context)
        let id: UUID = try row.decode("id")
        return KeyEntry(id: id.uuidString.lowercased(), status: try row.decode("status"),
                        key: reveal ? plaintext : SecretBox.redacted(plaintext), revealed: reveal, createdAt: try row.decode("created_at"))
    }

    static func counts(_ tx: TenantTransaction, variantID: UUID) throws -> KeyCounts {
        var counts = KeyCounts()
        for row in try tx.query("""
            SELECT status, count(*)::int AS n FROM license_keys
             WHERE tenant_id = \(tx.context.tenantID) AND variant_id = \(variantID) GROUP BY status
            """) {
            let n: Int = try row.decode("n")
            switch try row.decode("status", as: String.self) {
            case "available": counts.available = n
            case "reserved": counts.reserved = n
            case "delivered": counts.delivered = n
            default: counts.revoked = n
            }
        }
        return counts
    }
}

/// Splits one CSV line (RFC 4180 quoting: `"a ""quoted"" value",b`).
enum CSV {
    static func split(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if ch == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(ch)
                }
            } else if ch == "\"" && current.isEmpty {
                quoted = true
            } else if ch == "," {
                cells.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        cells.append(current)
        return cells
    }
}
