import Domain
import Foundation

/// How license keys become table rows and keyset pages for `TableView`: the columns, the cells (the key
/// as the Domain masked it), and the translation between the table's requests and `KeyBrowsing`
/// positions. Both read oldest first, so a request maps to the position of the same name; cursors are
/// `KeyBrowsing.Cursor` strings.
enum KeyRows {
    static let columns = [
        // As wide as the keys on screen (masked keys keep their length), so status and date sit beside them.
        TableColumn("Key", width: .fit(max: 44)),
        TableColumn("Status", width: .fixed(9)),
        TableColumn("Added", width: .fixed(16)),
    ]

    static func row(_ key: LicenseKeyService.KeyEntry) -> TableRow {
        TableRow(id: key.id, cells: [key.key, key.status, KeyPoolScreen.addedFormat.string(from: key.createdAt)])
    }

    static func position(_ request: TablePageRequest) throws -> KeyBrowsing.Position {
        try request.keysetPosition(KeyBrowsing.Cursor.init)
    }

    static func page(_ page: KeyBrowsing.Page) -> TablePage {
        TablePage(rows: page.keys.map(row),
                  nextCursor: page.hasNewer ? page.cursors.last?.description : nil,
                  previousCursor: page.hasOlder ? page.cursors.first?.description : nil)
    }
}
