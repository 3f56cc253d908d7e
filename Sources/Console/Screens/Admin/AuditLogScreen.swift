import Domain
import Foundation
import Postgres

/// The current store's audit log, newest first, in a table that pages through keyset queries: `e`
/// narrows it to one entity type, `u` to one user, `c` clears both; Enter shows an entry's before and
/// after in the JSON viewer. Needs `audit.read` (the Domain checks). Entries written meanwhile (any
/// change announced live) appear without a keypress: the rows on screen are re-read, the selection
/// kept, the new ones highlighted.
public struct AuditLogScreen: Screen {
    public enum Message: Sendable {
        case page(TablePageRequest, Result<AuditBrowsing.Page, ConsoleFailure>)
        /// A live refresh's answer, read for the table's window of `epoch`.
        case refreshed(epoch: Int, Result<AuditBrowsing.Page, ConsoleFailure>)
        case choices(Result<AuditFilterChoices, ConsoleFailure>)
    }

    /// Which filter the open list chooses.
    public enum PickerKind: Sendable, Equatable {
        case entity, user
    }

    public let store: TenantContext
    public private(set) var table = TableView(columns: AuditRows.columns, pageSize: 50, maxPages: 3, supportsLast: false)
    public private(set) var filter = AuditFilter()
    public private(set) var choices: AuditFilterChoices?
    public private(set) var picker: (kind: PickerKind, input: SelectInput)?
    public private(set) var failure: String?
    /// The entries behind the loaded rows, by row id.
    private var entries: [String: AuditEntry] = [:]

    public init(store: TenantContext) {
        self.store = store
    }

    public var title: String { "Audit log" }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding([.pageUp, .pageDown], "Page up / down", inPalette: false),
            KeyBinding(.home, "Newest entry"),
            KeyBinding(.enter, "Show the entry's before and after"),
            KeyBinding(.character("e"), "Filter by entity type"),
            KeyBinding(.character("u"), "Filter by user"),
            KeyBinding(.character("c"), "Clear the filters"),
            KeyBinding(.character("r"), "Reload"),
        ]
    }

    /// The email of the user the log is narrowed to.
    public var filteredEmail: String? {
        guard let id = filter.actorUserID else { return nil }
        return choices?.actors.first { $0.userID == id }?.email ?? id.uuidString.lowercased()
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        table.layout(height: context.contentSize.height - 1)
        switch event {
        case .appeared:
            // Back from an entry: what was written meanwhile shows too.
            return table.hasLoaded ? reads.refresh(&table) : .batch([reads.run(table.reload()), loadChoices()])
        case .filter:
            return .none
        case .changes:
            // Every change a store's staff makes is audited, so any change can add entries.
            return reads.refresh(&table)
        case .key(let key):
            if var open = picker {
                let used = open.input.handle(key)
                if open.input.isOpen {
                    picker = open
                    return .none
                }
                picker = nil
                guard used else { return .none }
                let value = open.input.selectedValue.flatMap { $0.isEmpty ? nil : $0 }
                switch open.kind {
                case .entity: filter.entityType = value
                case .user: filter.actorUserID = value.flatMap(UUID.init(uuidString:))
                }
                return reads.run(table.reload())
            }
            switch key {
            case .character("e"):
                let types = choices?.entityTypes ?? []
                return openPicker(.entity, choices: [("", "every entity type")] + types.map { ($0, $0) }, selected: filter.entityType ?? "")
            case .character("u"):
                let actors = choices?.actors ?? []
                return openPicker(.user, choices: [("", "every user")] + actors.map { ($0.userID.uuidString, $0.email) },
                                  selected: filter.actorUserID?.uuidString ?? "")
            case .character("c"):
                guard filter != AuditFilter() else { return .none }
                filter = AuditFilter()
                return reads.run(table.reload())
            case .character("r"):
                return .batch([reads.run(table.reload()), loadChoices()])
            default:
                switch table.handle(key) {
                case nil: return .ignored
                case .handled: return .none
                case .request(let request): return reads.run(request)
                case .open(let id):
                    guard let entry = entries[id] else { return .none }
                    return .push(AnyScreen(AuditEntryScreen(entry: entry)))
                }
            }
        case .message(.page(let request, .success(let page))):
            failure = nil
            let next = table.receive(AuditRows.page(page), for: request)
            remember(page.entries)
            return reads.run(next)
        case .message(.refreshed(let epoch, .success(let page))):
            // Read for a window reset since (a filter changed): the reload brings the rows.
            guard epoch == table.epoch else { return .none }
            // The table takes the rows first: `remember` keeps the entries of the rows it shows.
            let next = table.receiveRefresh(AuditRows.page(page), epoch: epoch)
            remember(page.entries)
            return reads.follow(next, epoch: epoch)
        case .message(.refreshed(let epoch, .failure(let failure))):
            table.refreshFailed(epoch: epoch)
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            return .notify(.error(failure.message))
        case .message(.page(let request, .failure(let failure))):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return .batch([reads.run(table.requestFailed(request)), .notify(.error(failure.message))])
        case .message(.choices(.success(let choices))):
            self.choices = choices
            return .none
        case .message(.choices(.failure)):
            // The page request reports the same failure (403 without audit.read).
            return .none
        }
    }

    private mutating func openPicker(_ kind: PickerKind, choices: [(value: String, label: String)], selected: String) -> Effect<Message> {
        var input = SelectInput(choices: choices, selected: selected, allowsNone: false, isFocused: true)
        _ = input.handle(.enter)
        picker = (kind, input)
        return .none
    }

    /// Keeps the entries behind the rows of the window (and only those).
    private mutating func remember(_ loaded: [AuditEntry]) {
        for entry in loaded { entries[entry.id.uuidString.lowercased()] = entry }
        let kept = Set(table.rows.map(\.id))
        entries = entries.filter { kept.contains($0.key) }
    }

    /// The table's query under the current filters.
    private var reads: TableReads<AuditBrowsing.Page, Message> {
        let store = self.store, filter = self.filter
        return TableReads(read: { services, request in
            try AuditBrowsing(database: services.database).page(store, filter: filter, at: try AuditRows.position(request), limit: request.limit)
        }, page: { .page($0, $1) }, refreshed: { .refreshed(epoch: $0, $1) })
    }

    private func loadChoices() -> Effect<Message> {
        let store = self.store
        return .task({ services in try AuditBrowsing(database: services.database).choices(store) }, then: Message.choices)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        var heading = "Audit log"
        if let type = filter.entityType { heading += " · " + TerminalText.sanitized(type) }
        if let email = filteredEmail { heading += " · by " + TerminalText.sanitized(email) }
        canvas.put(DisplayWidth.truncate(heading, to: max(1, rect.width - 2)), x: rect.x + 1, y: rect.y, style: theme.style(.title), maxWidth: rect.width - 2)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: max(0, rect.height - 1))
        var table = self.table
        table.layout(height: body.height)
        table.render(into: &canvas, at: body, theme: theme, focused: picker == nil)
        if table.rows.isEmpty && !table.isLoading && body.height > 2 {
            let text = failure ?? (table.hasLoaded ? (filter == AuditFilter() ? "nothing logged yet" : "no entry matches the filters (c clears them)") : "Loading…")
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, rect.width - 4)), x: rect.x + 2, y: body.y + 2,
                       style: theme.style(failure == nil ? .muted : .error), maxWidth: rect.width - 4)
        }
        if let picker {
            let label = picker.kind == .entity ? "Entity type " : "User "
            let width = min(rect.width - 4, 50)
            let x = rect.x + 2
            let y = rect.y + 2
            let height = min(picker.input.height, max(1, rect.maxY - y))
            canvas.fill(Rect(x: x - 1, y: y - 1, width: width + 2, height: min(height + 2, rect.maxY - y + 1)), style: theme.style(.dialog))
            canvas.put(label + "(Enter chooses, Esc keeps)", x: x, y: y - 1, style: theme.style(.dialog), maxWidth: width)
            picker.input.render(into: &canvas, at: Rect(x: x, y: y, width: width, height: height), theme: theme)
        }
    }
}

/// How audit entries become table rows and keyset pages (cursors are entry ids).
enum AuditRows {
    static let columns = [
        TableColumn("When", width: .fixed(19)),
        TableColumn("User", width: .fit(max: 30)),
        TableColumn("Action", width: .fit(max: 24)),
        TableColumn("Entity", width: .flex(weight: 1, min: 12)),
    ]

    static let timeFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }()

    static func row(_ entry: AuditEntry) -> TableRow {
        var entity = entry.entityType
        if let id = entry.entityID { entity += " " + (UUID(uuidString: id) != nil ? String(id.prefix(8)) : id) }
        return TableRow(id: entry.id.uuidString.lowercased(), cells: [
            timeFormat.string(from: entry.createdAt),
            entry.actorEmail ?? "system",
            entry.action,
            entity,
        ])
    }

    static func position(_ request: TablePageRequest) throws -> AuditBrowsing.Position {
        func id(_ cursor: String) throws -> UUID {
            guard let id = UUID(uuidString: cursor) else { throw ConsoleFailure(statusCode: 400, message: "bad cursor \(cursor)") }
            return id
        }
        switch request {
        case .first, .last: return .first
        case .after(let cursor, _, _): return .after(try id(cursor))
        case .before(let cursor, _, _): return .before(try id(cursor))
        case .from(let cursor, _, _): return .from(try id(cursor))
        }
    }

    static func page(_ page: AuditBrowsing.Page) -> TablePage {
        TablePage(rows: page.entries.map(row),
                  nextCursor: page.hasOlder ? page.entries.last.map { $0.id.uuidString.lowercased() } : nil,
                  previousCursor: page.hasNewer ? page.entries.first.map { $0.id.uuidString.lowercased() } : nil)
    }
}

/// One audit entry: who did what, when, and the values before and after, in the JSON viewer.
public struct AuditEntryScreen: Screen {
    public typealias Message = Never

    public let entry: AuditEntry
    public private(set) var viewer: JSONViewer

    public init(entry: AuditEntry) {
        self.entry = entry
        var document: [String: JSONValue] = [
            "action": .string(entry.action),
            "entityType": .string(entry.entityType),
            "entityId": entry.entityID.map(JSONValue.string) ?? .null,
            "user": entry.actorEmail.map(JSONValue.string) ?? .null,
            "at": .string(AuditRows.timeFormat.string(from: entry.createdAt)),
        ]
        document["before"] = entry.before ?? .null
        document["after"] = entry.after ?? .null
        var viewer = JSONViewer(.object(document))
        for key in ["before", "after"] where viewer.select(JSONPath([.key(key)])) {
            viewer.expandSelected()
        }
        viewer.select(.root)
        self.viewer = viewer
    }

    public var title: String { "Audit entry" }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding([.enter, .character(" ")], "Open or close the selected value"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Never>, context: ScreenContext) -> Effect<Never> {
        viewer.layout(height: context.contentSize.height - 2)
        switch event {
        case .key(let key):
            return viewer.handle(key) ? .none : .ignored
        case .appeared, .filter, .changes:
            return .none
        }
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let text = "\(entry.action) · \(entry.actorEmail ?? "system") · \(AuditRows.timeFormat.string(from: entry.createdAt))"
        canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: max(1, rect.width - 4)), x: rect.x + 2, y: rect.y,
                   style: theme.style(.title), maxWidth: rect.width - 4)
        var viewer = self.viewer
        let area = Rect(x: rect.x + 2, y: rect.y + 2, width: max(0, rect.width - 4), height: max(0, rect.height - 2))
        viewer.layout(height: area.height)
        viewer.render(into: &canvas, at: area, theme: theme)
    }
}
