import Domain
import Foundation

/// How orders become table rows and keyset pages for `TableView`: the columns, the cells, and the
/// translation between the table's requests and `OrderBrowsing` positions (cursors are order ids).
enum OrderRows {
    static let columns = [
        TableColumn("#", width: .fit(max: 9), alignment: .right),
        TableColumn("Placed", width: .fixed(16)),
        TableColumn("Customer", width: .flex(weight: 3, min: 12)),
        TableColumn("Status", width: .fit(max: 15)),
        TableColumn("Items", width: .fixed(5), alignment: .right),
        TableColumn("Total", width: .fit(max: 16), alignment: .right),
    ]

    static func row(_ order: Order) -> TableRow {
        let items: Int = if case .array(let list) = order.itemsData { list.count } else { 0 }
        return TableRow(id: order.id.uuidString.lowercased(), cells: [
            "\(order.number)",
            placedFormat.string(from: order.createdAt),
            order.customerEmail ?? "",
            order.status.rawValue.replacingOccurrences(of: "_", with: " "),
            "\(items)",
            order.total.formatted,
        ])
    }

    /// "2026-11-25" in the console's time zone.
    static let dayFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }()

    /// "2026-11-25 14:03" in the console's time zone.
    static let placedFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()

    static func position(_ request: TablePageRequest) throws -> OrderBrowsing.Position {
        try request.keysetPosition { UUID(uuidString: $0) }
    }

    static func page(_ page: OrderBrowsing.Page) -> TablePage {
        TablePage(rows: page.orders.map(row),
                  nextCursor: page.hasOlder ? page.orders.last.map { $0.id.uuidString.lowercased() } : nil,
                  previousCursor: page.hasNewer ? page.orders.first.map { $0.id.uuidString.lowercased() } : nil)
    }
}
