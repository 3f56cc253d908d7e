import Domain
import Foundation

/// How products become table rows and keyset pages for `TableView`: the columns, the cells, and the
/// translation between the table's requests and `ProductBrowsing` positions (cursors are
/// `ProductBrowsing.Cursor` strings, so a refresh from a row deleted meanwhile still finds its place).
enum ProductRows {
    static let columns = [
        TableColumn("Name", width: .flex(weight: 3, min: 14)),
        TableColumn("Type", width: .fit(max: 14)),
        TableColumn("Status", width: .fixed(8)),
        TableColumn("Updated", width: .fixed(16)),
        TableColumn("Slug", width: .flex(weight: 2, min: 10)),
    ]

    static func row(_ product: Product) -> TableRow {
        TableRow(id: product.id.uuidString.lowercased(), cells: [
            product.name,
            product.productTypeSlug,
            product.status.rawValue,
            updatedFormat.string(from: product.updatedAt),
            product.slug,
        ])
    }

    /// "2026-11-25 14:03" in the console's time zone.
    static let updatedFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()

    static func position(_ request: TablePageRequest) throws -> ProductBrowsing.Position {
        try request.keysetPosition(ProductBrowsing.Cursor.init)
    }

    static func page(_ page: ProductBrowsing.Page) -> TablePage {
        TablePage(rows: page.products.map(row),
                  nextCursor: page.hasOlder ? page.cursors.last?.description : nil,
                  previousCursor: page.hasNewer ? page.cursors.first?.description : nil)
    }

    /// Reads the `/` filter line: words of the form `key=value` are attribute filters (`platform=steam`),
    /// the rest is searched for in names.
    static func parseFilter(_ text: String) -> (search: String?, attributes: [ProductBrowsing.Filter.Attribute]) {
        var words: [String] = []
        var attributes: [ProductBrowsing.Filter.Attribute] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if let equals = word.firstIndex(of: "="), equals != word.startIndex {
                let key = String(word[..<equals])
                let value = String(word[word.index(after: equals)...])
                attributes.append(.init(key: key, value: value))
            } else {
                words.append(String(word))
            }
        }
        let search = words.joined(separator: " ")
        return (search.isEmpty ? nil : search, attributes)
    }
}
