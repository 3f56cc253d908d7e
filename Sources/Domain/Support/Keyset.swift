import Foundation
import Postgres

/// Keyset pagination as every list here does it (design §6): newest first by `(created_at, id)`, the
/// cursor being the id of the previous page's last row, and one extra row fetched to know whether
/// another page follows.
enum Keyset {
    /// `(alias.created_at, alias.id) < (the cursor row's)`: the row comparison the
    /// `(tenant_id, created_at DESC, id DESC)` indexes bound.
    static func before(_ cursor: UUID, table: String, alias: String, tenantID: UUID) -> SQL {
        """
        (\(ident: alias).created_at, \(ident: alias).id) < \
        (SELECT c.created_at, c.id FROM \(ident: table) c WHERE c.tenant_id = \(tenantID) AND c.id = \(cursor))
        """
    }

    /// Drops the extra row fetched beyond `limit`; the cursor is the last kept row's id, or nil when
    /// there was no extra row (the end).
    static func page<Item>(_ items: [Item], limit: Int, id: (Item) -> UUID) -> (items: [Item], next: UUID?) {
        guard items.count > limit else { return (items, nil) }
        let kept = Array(items.prefix(limit))
        return (kept, kept.last.map(id))
    }
}
