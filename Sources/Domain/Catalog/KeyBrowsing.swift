import Foundation
import Postgres

/// Paging through one variant's license-key pool in both directions, oldest first, for the console's
/// key-pool table: the first (oldest) or last (newest) page, the page after or before a key, or the window
/// again from a key (a refresh) — so any key of a pool of 100,000 can be reached without reading the
/// pool. Pages narrow to one status, and to the one key with a given value: the value is looked up by its
/// keyed hash (`license_keys.lookup_hash`, as `LicenseKeyService.importKeys` stores it), never by opening
/// the pool's keys.
///
/// Keys come masked exactly as `LicenseKeyService.list` masks them; showing one in full stays
/// `LicenseKeyService.reveal` (needs `keys.reveal`, audited). Every page is one keyset query bounded by an
/// index on `(tenant_id, variant_id[, status], created_at, id)` (migration 0010), so the newest page of a
/// large pool costs what the oldest does. The cursor is the key's own `(created_at, id)`, so a refresh
/// from a key that was removed meanwhile still finds its place.
public struct KeyBrowsing: Sendable {
    /// A key's place in the order: its creation time in microseconds and its id (the same keyset cursor as
    /// the products table's, carried by the console as an opaque string).
    public typealias Cursor = ProductBrowsing.Cursor

    /// Where a page starts, in display order (oldest first): `.after` a key are the newer ones.
    public typealias Position = KeysetPosition<Cursor>

    /// What the pages are narrowed to; everything optional.
    public struct Filter: Sendable, Equatable {
        /// One of `LicenseKeyService.statuses`.
        public var status: String?
        /// A key's exact text (surrounding spaces ignored, as on import): the page holds that key of the
        /// pool, or nothing.
        public var value: String?

        public init(status: String? = nil, value: String? = nil) {
            self.status = status
            self.value = value
        }
    }

    /// A page in display order (oldest first), masked, with each key's cursor and whether keys exist on
    /// either side of it.
    public struct Page: Sendable, Equatable {
        public var keys: [LicenseKeyService.KeyEntry]
        public var cursors: [Cursor]
        public var hasOlder: Bool
        public var hasNewer: Bool
    }

    public static let maximumLimit = 500

    public let service: LicenseKeyService

    public init(service: LicenseKeyService) {
        self.service = service
    }

    /// One page of at most `limit` keys (1–500) of the variant `sku` matching `filter`; needs
    /// `products.read`, like `LicenseKeyService.list`. An unknown sku is a 404.
    public func page(_ context: TenantContext, sku: String, filter: Filter = Filter(), at position: Position, limit: Int) throws -> Page {
        try context.require(.productsRead)
        var validator = FieldValidator()
        if limit < 1 || limit > KeyBrowsing.maximumLimit {
            validator.fail("limit", "range", "limit must be between 1 and \(KeyBrowsing.maximumLimit) (got \(limit))")
        }
        if let status = filter.status { validator.oneOf("status", status, LicenseKeyService.statuses) }
        let value = filter.value?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let value, value.count > LicenseKeyService.maximumKeyLength {
            validator.fail("value", "maxLength", "a key is at most \(LicenseKeyService.maximumKeyLength) characters (got \(value.count))")
        }
        try validator.check()
        let sealContext = SealContext.licenseKey(tenantID: context.tenantID)
        // The keyed hash of the text sought: equal to the stored one exactly when the texts are equal.
        let lookupHash = value.flatMap { $0.isEmpty ? nil : service.box.lookupHash($0, context: sealContext) }
        return try service.catalog.database.withTenant(context) { tx in
            let variant = try VariantService.find(tx, sku: sku)
            let results = try tx.connection.pipeline(KeyBrowsing.statements(
                tenantID: tx.context.tenantID, variantID: variant.id, status: filter.status, lookupHash: lookupHash, at: position, limit: limit))
            var rows: [(LicenseKeyService.KeyEntry, Cursor)] = try results[0].map { row in
                let entry = try service.entry(row, context: sealContext, reveal: false)
                return (entry, Cursor(createdMicros: try row.decode("created_us"), id: try row.decode("id")))
            }
            let more = rows.count > limit
            if more { rows.removeLast() }
            if !position.readsOldestFirst { rows.reverse() }
            let keys = rows.map(\.0)
            let cursors = rows.map(\.1)
            switch position {
            case .first: return Page(keys: keys, cursors: cursors, hasOlder: false, hasNewer: more)
            case .last: return Page(keys: keys, cursors: cursors, hasOlder: more, hasNewer: false)
            case .after: return Page(keys: keys, cursors: cursors, hasOlder: true, hasNewer: more)
            case .before: return Page(keys: keys, cursors: cursors, hasOlder: more, hasNewer: true)
            case .from:
                let exists: Bool = try results[1].single().decode("e")
                return Page(keys: keys, cursors: cursors, hasOlder: exists, hasNewer: more)
            }
        }
    }

    /// What one page runs, in one round trip: the query for up to `limit + 1` keys in the order read
    /// (newest first for `.last` and `.before`), and from a cursor the probe for older keys. Internal so
    /// tests can read the plans.
    static func statements(tenantID: UUID, variantID: UUID, status: String?, lookupHash: Data?, at position: Position, limit: Int) -> [SQL] {
        var conditions: [SQL] = ["k.tenant_id = \(tenantID)", "k.variant_id = \(variantID)"]
        if let status { conditions.append("k.status = \(status)") }
        if let lookupHash { conditions.append("k.lookup_hash = \(lookupHash)") }
        func place(_ cursor: Cursor) -> SQL {
            "(timestamptz 'epoch' + \(cursor.createdMicros) * interval '1 microsecond', \(cursor.id))"
        }
        switch position {
        case .first, .last: break
        case .after(let cursor): conditions.append("(k.created_at, k.id) > \(place(cursor))")
        case .from(let cursor): conditions.append("(k.created_at, k.id) >= \(place(cursor))")
        case .before(let cursor): conditions.append("(k.created_at, k.id) < \(place(cursor))")
        }
        let order: SQL = position.readsOldestFirst ? "k.created_at ASC, k.id ASC" : "k.created_at DESC, k.id DESC"
        var statements: [SQL] = [
            """
            SELECT k.id, k.status, k.ciphertext, k.key_id, k.created_at,
                   (extract(epoch FROM k.created_at) * 1000000)::int8 AS created_us
              FROM license_keys k
             WHERE \(SQL.join(conditions, with: " AND "))
             ORDER BY \(order) LIMIT \(limit + 1)
            """,
        ]
        if case .from(let cursor) = position {
            // Whether anything older exists: one probe on the same index.
            var older = conditions
            older.removeLast()
            older.append("(k.created_at, k.id) < \(place(cursor))")
            statements.append("SELECT EXISTS (SELECT 1 FROM license_keys k WHERE \(SQL.join(older, with: " AND "))) AS e")
        }
        return statements
    }
}

extension KeyBrowsing.Position {
    /// Whether the page is read oldest first (else newest first, and turned round).
    fileprivate var readsOldestFirst: Bool {
        switch self {
        case .first, .after, .from: true
        case .last, .before: false
        }
    }
}
