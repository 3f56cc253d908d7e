/// The screen the console figures draw: an order list as the console shows it on a 200x60 terminal.
///
/// This file exists so the headless figure (`ConsoleRenderBenchmark`) and the terminal figure
/// (`ConsolePtyBenchmark`) measure exactly the same frames: a header bar (`header`), a `TableView` of
/// orders (nine columns: number, date, customer email, name, status, items, total, payment, channel;
/// three of them sized to fit their loaded cells) loaded with one page of 200 rows through the table's own
/// API (`reload()`, then `receive(_:for:)`), and a status bar with key hints (`statusBar`,
/// `statusBarAccent`). The rows are made up but shaped like real ones, a few with non-ASCII and wide
/// names so measuring by display width does real work. No database is involved.
import Console
import Foundation

struct ConsoleScreenFixture {
    static let size = Size(width: 200, height: 60)
    static let pageSize = 200
    /// Rows in the whole (pretend) result, for the position indicator.
    static let totalCount = 48_213

    let theme = Theme.default
    private(set) var table: TableView

    init() {
        table = TableView(columns: Self.columns, pageSize: Self.pageSize, maxPages: 2, supportsLast: false)
        table.totalCount = Self.totalCount
        table.layout(height: Self.tableRect.height)
        guard let request = table.reload() else { fatalError("a fresh table always asks for its first page") }
        let page = TablePage(rows: (0..<Self.pageSize).map(Self.row), nextCursor: nil, previousCursor: nil)
        table.receive(page, for: request)
    }

    /// Between the header bar and the status bar.
    static let tableRect = Rect(x: 0, y: 1, width: size.width, height: size.height - 2)

    /// The rows of the table body on screen.
    static var bodyRows: Int { TableView.bodyHeight(forHeight: tableRect.height) }

    static let columns = [
        TableColumn("Order", width: .fixed(8), alignment: .right),
        TableColumn("Created", width: .fixed(16)),
        TableColumn("Customer", width: .flex(weight: 2, min: 24)),
        TableColumn("Name", width: .flex(weight: 1, min: 14)),
        TableColumn("Status", width: .fit(max: 16)),
        TableColumn("Items", width: .fixed(5), alignment: .right),
        TableColumn("Total", width: .fixed(14), alignment: .right),
        TableColumn("Payment", width: .fit(max: 12)),
        TableColumn("Channel", width: .fit(max: 10)),
    ]

    private static let statuses = ["fulfilled", "fulfilled", "fulfilled", "pending_payment", "fulfilling", "cancelled", "refunded"]
    private static let names = ["Ada Lovelace", "Zoë Müller", "José Ñúñez", "李小龍", "Grace Hopper", "山田 太郎", "Ørjan Å. Bø", "Margaret Hamilton"]
    private static let payments = ["card", "card", "sepa_debit", "paypal", "invoice", "—"]
    private static let channels = ["web", "web", "pos", "api", "marketplace"]

    /// Order number `index` (newest first): deterministic, shaped like the console's order rows.
    static func row(_ index: Int) -> TableRow {
        let number = 148_213 - index
        let minutes = 24 * 60 * 30 - index * 7
        let created = String(format: "2025-03-%02d %02d:%02d", 1 + minutes / (24 * 60), minutes / 60 % 24, minutes % 60)
        let cents = 999 + (index * 7_919) % 250_000
        let total = String(format: "%d.%02d EUR", cents / 100, cents % 100)
        let status = statuses[index % statuses.count]
        return TableRow(id: "ord-\(number)", cells: [
            "#\(number)", created, "customer\(index * 37 % 9_000)@example-shop.com", names[index % names.count], status,
            String(1 + index % 4), total, status == "pending_payment" ? "—" : payments[index % payments.count],
            channels[index % channels.count],
        ])
    }

    /// A key for the table (the figures drive the selection with it).
    mutating func press(_ key: Key) {
        _ = table.handle(key)
    }

    /// One whole frame: cleared, then header bar, table and status bar.
    func draw(into canvas: inout some Canvas) {
        canvas.clear()
        let width = Self.size.width
        let header = theme.style(.header)
        canvas.fill(Rect(x: 0, y: 0, width: width, height: 1), style: header)
        canvas.put(" Backoffice  ·  acme-eu (Acme Store EU)  ·  Orders", x: 0, y: 0, style: header, maxWidth: width)
        let user = "ada@acme.example  store admin "
        canvas.put(user, x: width - DisplayWidth.of(user), y: 0, style: header, maxWidth: width)
        table.render(into: &canvas, at: Self.tableRect, theme: theme, focused: true)
        let y = Self.size.height - 1
        let status = theme.style(.statusBar)
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), style: status)
        let mode = " ORDERS "
        canvas.put(mode, x: 0, y: y, style: theme.style(.statusBarAccent), maxWidth: width)
        canvas.put(
            "  ↑↓ move  PgUp/PgDn page  Enter open  / filter  : commands  Ctrl-T tenant  ? help  q quit",
            x: DisplayWidth.of(mode), y: y, style: status, maxWidth: width - DisplayWidth.of(mode))
    }
}
