import Domain
import Foundation

/// A variant's license-key pool: counts by status, the keys (masked by the Domain: only the last
/// characters show) in a table that pages through `KeyBrowsing` both ways, oldest first, so any key of a
/// pool of 100,000 can be reached (End jumps to the newest without reading the rest), importing keys from
/// a file path with a progress bar and a report of duplicates, and revealing one key at a time — the
/// Domain checks `keys.reveal` and audits every reveal — hidden again after `revealSeconds`. `s` cycles
/// the status filter; `/` takes a key's exact text (pasted) and narrows the table to that key, found by
/// its keyed hash. Changes announced live (and the end of an import) re-read the counts and the rows on
/// screen, keeping the selection.
///
/// An import reads and parses the file off the input loop, drops keys repeated in the file (reported by
/// line), then sends the rest in chunks of `chunkSize`, one transaction each, so the bar moves and a
/// failure part-way says how far it got. Keys already in the pool are reported by line too.
public struct KeyPoolScreen: Screen {
    /// A key file read and checked, ready to be sent in chunks.
    public struct ImportPlan: Sendable, Equatable {
        public var path: String
        /// The keys to send, each with its line in the file.
        public var keys: [Line]
        public var duplicateLinesInFile: [Int]
        public var emptyLines: Int

        public struct Line: Sendable, Equatable {
            public var line: Int
            public var key: String
        }
    }

    /// How an import went (so far).
    public struct ImportProgress: Sendable, Equatable {
        public var path: String
        public var total: Int
        public var sent = 0
        public var imported = 0
        public var duplicateLinesInFile: [Int] = []
        public var alreadyInPool: [Int] = []
        public var emptyLines = 0
        public var failure: String?
        public var isFinished = false
    }

    public enum Message: Sendable {
        case counted(Result<LicenseKeyService.KeyCounts, ConsoleFailure>)
        /// The answer to a table request.
        case page(TablePageRequest, Result<TablePage, ConsoleFailure>)
        /// The answer to a live refresh of the rows on screen, read for the table's window of `epoch`.
        case refreshed(epoch: Int, Result<TablePage, ConsoleFailure>)
        case planned(Result<ImportPlan, ConsoleFailure>)
        /// One chunk sent: how many keys it held, and what the service reported.
        case chunkDone(sent: Int, Result<LicenseKeyService.ImportReport, ConsoleFailure>)
        case revealed(Result<LicenseKeyService.KeyEntry, ConsoleFailure>)
        case hide(id: String)
    }

    public let store: TenantContext
    public let sku: String
    /// Keys per import transaction.
    public var chunkSize = 500
    /// How long a revealed key stays on screen.
    public var revealSeconds: Double = 8

    public private(set) var counts: LicenseKeyService.KeyCounts?
    /// The keys, a window of pages at a time (rows are keys by id; cells: masked key, status, added).
    public private(set) var table = TableView(columns: KeyRows.columns, pageSize: 100, maxPages: 3)
    /// The status filter `s` cycles through (one of `LicenseKeyService.statuses`).
    public private(set) var status: String?
    /// The `/` line's text: a key's exact value to find.
    public private(set) var value = ""
    /// Keys revealed right now, by id (cleared by `.hide`).
    public private(set) var revealed: [String: String] = [:]
    /// The path line, while it is open.
    public private(set) var pathInput: TextInput?
    public private(set) var plan: ImportPlan?
    public private(set) var progress: ImportProgress?
    /// Why the counts could not be read.
    public private(set) var failure: String?
    /// Why the last page could not be read.
    public private(set) var pageFailure: String?
    /// The counts by status, read one at a time.
    private var countReads = OneAtATime()

    public init(store: TenantContext, sku: String) {
        self.store = store
        self.sku = sku
    }

    public var title: String { "Keys \(sku)" }
    public var isFilterable: Bool { true }

    /// The key sought is masked as it is typed (and when `/` reopens) and in the status bar, as the keys are.
    public var filterIsSecret: Bool { true }

    public var isImporting: Bool { progress.map { !$0.isFinished } ?? false }

    /// The query's filter as the screen's state makes it.
    public var filter: KeyBrowsing.Filter {
        let value = self.value.trimmingCharacters(in: .whitespacesAndNewlines)
        return KeyBrowsing.Filter(status: status, value: value.isEmpty ? nil : value)
    }

    public var bindings: [KeyBinding] {
        if pathInput != nil {
            return [
                KeyBinding(.enter, "Import the keys in this file"),
                KeyBinding(.escape, "Cancel the import"),
            ]
        }
        var bindings = [
            KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false),
            KeyBinding([.pageUp, .pageDown], "Page up / down", inPalette: false),
            KeyBinding([.home, .character("g")], "Oldest key"),
            KeyBinding([.end, .character("G")], "Newest key"),
        ]
        if store.can(.productsWrite) { bindings.append(KeyBinding(.character("i"), "Import keys from a file")) }
        bindings += [
            KeyBinding(.character("v"), "Reveal the selected key for a few seconds (audited)"),
            KeyBinding(.character("s"), "Cycle the status filter"),
            // The palette offers the shell's filter line for it.
            KeyBinding(.character("/"), "Find a key by its exact value (paste it)", inPalette: false),
            KeyBinding(.character("r"), "Reload"),
        ]
        return bindings
    }

    // MARK: Update

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        table.layout(height: tableHeight(context.contentSize.height))
        pathInput?.layout(width: max(1, context.contentSize.width - 8))
        switch event {
        case .appeared:
            return .batch([count(), reads.refreshOrLoad(&table)])
        case .filter(let text):
            value = text
            return reload()
        case .changes(let changes):
            guard changes.isEmpty || changes.contains(where: { ["license", "variant", "order", "delivery"].contains($0.entity) })
            else { return .none }
            return isImporting ? .none : .batch([count(), reads.refresh(&table)])
        case .key(let key):
            return handle(key)
        case .message(let message):
            return receive(message)
        }
    }

    private mutating func handle(_ key: Key) -> Effect<Message> {
        if var input = pathInput {
            switch key {
            case .escape:
                pathInput = nil
                return .none
            case .enter:
                let path = input.text.trimmingCharacters(in: .whitespaces)
                guard !path.isEmpty else { return .notify(.error("type the path of a file with one key per line (or a CSV with a key column)")) }
                pathInput = nil
                return startImport(path: path)
            default:
                _ = input.handle(key)
                pathInput = input
                return .none
            }
        }
        switch key {
        case .character("i") where store.can(.productsWrite):
            guard !isImporting else { return .notify(.info("an import is running")) }
            pathInput = TextInput(placeholder: "/path/to/keys.txt", isFocused: true)
            return .none
        case .character("v"):
            guard let id = table.selectedID, let uuid = UUID(uuidString: id) else { return .none }
            let store = self.store
            let sku = self.sku
            return .task({ services in try services.licenseKeys().reveal(store, sku: sku, keyID: uuid) }, then: Message.revealed)
        case .character("s"):
            let all: [String?] = [nil] + LicenseKeyService.statuses.map(Optional.some)
            status = all[((all.firstIndex(of: status) ?? 0) + 1) % all.count]
            return reload()
        case .character("r"):
            return .batch([count(), reload()])
        case .escape where progress?.isFinished == true:
            // The report is dismissed first; the next Esc leaves.
            progress = nil
            return .none
        default:
            switch table.handle(key) {
            case nil: return .ignored
            case .handled, .open: return .none
            case .request(let request): return reads.run(request)
            }
        }
    }

    private mutating func receive(_ message: Message) -> Effect<Message> {
        switch message {
        case .counted(.success(let counts)):
            failure = nil
            self.counts = counts
            updateTotal()
            return countReads.finish() ? count() : .none
        case .counted(.failure(let failure)):
            countReads.cancel()
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
            return .notify(.error(failure.message))
        case .page(let request, .success(let page)):
            pageFailure = nil
            return reads.run(table.receive(page, for: request))
        case .page(let request, .failure(let failure)):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            pageFailure = failure.message
            return .batch([reads.run(table.requestFailed(request)), .notify(.error(failure.message))])
        case .refreshed(let epoch, .success(let page)):
            // Read under filters changed since: the reload that changed them brings the rows.
            guard epoch == table.epoch else { return .none }
            pageFailure = nil
            return reads.follow(table.receiveRefresh(page, epoch: epoch), epoch: epoch)
        case .refreshed(let epoch, .failure(let failure)):
            table.refreshFailed(epoch: epoch)
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            return .notify(.error(failure.message))
        case .planned(.success(let plan)):
            var progress = ImportProgress(path: plan.path, total: plan.keys.count)
            progress.duplicateLinesInFile = plan.duplicateLinesInFile
            progress.emptyLines = plan.emptyLines
            self.plan = plan
            self.progress = progress
            return nextChunk()
        case .planned(.failure(let failure)):
            progress = nil
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            return .notify(.error("import failed: " + failure.message))
        case .chunkDone(let sent, .success(let report)):
            guard var progress, let plan else { return .none }
            // The chunk's lines are 2… (after its header); map them back to the file's lines.
            let lines = plan.keys[progress.sent..<progress.sent + sent].map(\.line)
            progress.alreadyInPool += report.alreadyInPool.compactMap { $0 - 2 < lines.count && $0 >= 2 ? lines[$0 - 2] : nil }
            progress.duplicateLinesInFile += report.duplicateLinesInFile.compactMap { $0 - 2 < lines.count && $0 >= 2 ? lines[$0 - 2] : nil }
            progress.imported += report.imported
            progress.sent += sent
            counts = report.counts
            updateTotal()
            self.progress = progress
            return nextChunk()
        case .chunkDone(_, .failure(let failure)):
            guard var progress else { return .none }
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            progress.failure = failure.message
            progress.isFinished = true
            self.progress = progress
            plan = nil
            return .batch([.notify(.error("import stopped after \(progress.imported) keys: \(failure.message)")), count(), reads.refreshOrLoad(&table)])
        case .revealed(.success(let entry)):
            revealed[entry.id] = entry.key
            let id = entry.id
            let seconds = revealSeconds
            return .run { _ in
                if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
                return Message.hide(id: id)
            }
        case .revealed(.failure(let failure)):
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            let text = failure.statusCode == 403 ? "you may not reveal keys (needs keys.reveal): \(failure.message)" : failure.message
            return .notify(.error(text))
        case .hide(let id):
            revealed[id] = nil
            return .none
        }
    }

    // MARK: Work

    /// Re-reads the counts by status, one read at a time (another asked for meanwhile runs after it).
    private mutating func count() -> Effect<Message> {
        guard countReads.start() else { return .none }
        let store = self.store
        let sku = self.sku
        return .task({ services in try services.licenseKeys().count(store, sku: sku) }, then: Message.counted)
    }

    /// The position indicator's total: the keys the filter matches, when the counts tell (not for a value).
    private mutating func updateTotal() {
        guard let counts, filter.value == nil else {
            table.totalCount = nil
            return
        }
        switch status {
        case nil: table.totalCount = counts.total
        case "available": table.totalCount = counts.available
        case "reserved": table.totalCount = counts.reserved
        case "delivered": table.totalCount = counts.delivered
        default: table.totalCount = counts.revoked
        }
    }

    /// The filters changed (or `r`): the table starts again from the oldest key.
    private mutating func reload() -> Effect<Message> {
        updateTotal()
        return reads.run(table.reload())
    }

    /// The table's query under the current filters.
    private var reads: TableReads<TablePage, Message> {
        let store = self.store, sku = self.sku, filter = self.filter
        return TableReads(read: { services, request in
            KeyRows.page(try KeyBrowsing(service: services.licenseKeys())
                .page(store, sku: sku, filter: filter, at: try KeyRows.position(request), limit: request.limit))
        }, page: { .page($0, $1) }, refreshed: { .refreshed(epoch: $0, $1) })
    }

    /// Reads and parses the file off the input loop; keys repeated in the file are set aside here.
    private mutating func startImport(path: String) -> Effect<Message> {
        progress = ImportProgress(path: path, total: 0)
        return .task({ _ in try KeyPoolScreen.plan(path: path) }, then: Message.planned)
    }

    static func plan(path: String) throws -> ImportPlan {
        let expanded = (path as NSString).expandingTildeInPath
        let text: String
        do {
            text = try String(contentsOfFile: expanded, encoding: .utf8)
        } catch {
            throw ConsoleFailure(statusCode: 400, message: "cannot read \(path): \((error as NSError).localizedDescription)")
        }
        let (parsed, empty) = try LicenseKeyService.parseKeys(text)
        var seen = Set<String>()
        var keys: [ImportPlan.Line] = []
        var duplicates: [Int] = []
        for (line, key) in parsed {
            if seen.insert(key).inserted {
                keys.append(ImportPlan.Line(line: line, key: key))
            } else {
                duplicates.append(line)
            }
        }
        guard !keys.isEmpty else { throw ConsoleFailure(statusCode: 400, message: "\(path) holds no keys") }
        return ImportPlan(path: path, keys: keys, duplicateLinesInFile: duplicates, emptyLines: empty)
    }

    /// Sends the next chunk, or finishes the import.
    private mutating func nextChunk() -> Effect<Message> {
        guard var progress, let plan else { return .none }
        guard progress.sent < plan.keys.count else {
            progress.isFinished = true
            self.progress = progress
            self.plan = nil
            let duplicates = progress.duplicateLinesInFile.count + progress.alreadyInPool.count
            return .batch([.notify(.success("imported \(progress.imported) key\(progress.imported == 1 ? "" : "s") into \(sku)"
                                            + (duplicates > 0 ? ", \(duplicates) duplicate\(duplicates == 1 ? "" : "s") skipped" : ""))),
                           count(), reads.refreshOrLoad(&table)])
        }
        let chunk = plan.keys[progress.sent..<min(plan.keys.count, progress.sent + max(1, chunkSize))]
        // A CSV with a `key` header and every key quoted: whatever a key holds, it reads back as itself.
        let text = (["key"] + chunk.map { "\"" + $0.key.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }).joined(separator: "\n")
        let count = chunk.count
        let store = self.store
        let sku = self.sku
        return .task({ services in try services.licenseKeys().importKeys(store, sku: sku, text: text) },
                     then: { Message.chunkDone(sent: count, $0) })
    }

    // MARK: View

    /// Whether the import's progress bar shows (an import under way, its file read).
    private var showsBar: Bool {
        progress.map { !$0.isFinished && $0.total > 0 } ?? false
    }

    /// The rows of a screen `height` rows high left for the table: all but the heading, the counts, the
    /// bar or the report, and the path line.
    private func tableHeight(_ height: Int) -> Int {
        max(0, height - 2 - (showsBar ? 1 : 0) - reportLines.count - (pathInput == nil ? 0 : 1))
    }

    /// The import's state while its file is read, or its report, as lines (the bar shows the rest).
    private var reportLines: [(text: String, role: ThemeRole)] {
        guard let progress else { return [] }
        if !progress.isFinished {
            return progress.total == 0 ? [("Reading \(progress.path)…", .info)] : []
        }
        var lines: [(String, ThemeRole)] = [("Imported \(progress.imported) of \(progress.total + progress.duplicateLinesInFile.count) keys from \(progress.path)"
                                              + (progress.emptyLines > 0 ? " (\(progress.emptyLines) empty lines skipped)" : ""), .success)]
        if !progress.duplicateLinesInFile.isEmpty {
            lines.append(("Repeated in the file, skipped: " + KeyPoolScreen.lineList(progress.duplicateLinesInFile), .warning))
        }
        if !progress.alreadyInPool.isEmpty {
            lines.append(("Already in the pool, skipped: " + KeyPoolScreen.lineList(progress.alreadyInPool), .warning))
        }
        if let failure = progress.failure { lines.append(("Stopped: " + failure, .error)) }
        lines.append(("Esc dismisses this report", .muted))
        return lines
    }

    /// "lines 4, 9, 12 and 30 more".
    static func lineList(_ lines: [Int]) -> String {
        let sorted = lines.sorted()
        let shown = sorted.prefix(12).map(String.init).joined(separator: ", ")
        let more = sorted.count > 12 ? " and \(sorted.count - 12) more" : ""
        return "\(sorted.count) (line\(sorted.count == 1 ? "" : "s") \(shown)\(more))"
    }

    /// What an empty table says: why nothing matches, or how to fill the pool.
    private var emptyText: String {
        if let pageFailure { return pageFailure }
        if filter.value != nil {
            return "no \(status.map { $0 + " " } ?? "")key with that value in this pool"
        }
        if let status { return "no \(status) keys" }
        return "no keys yet" + (store.can(.productsWrite) ? ": i imports a file" : "")
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(1, rect.width - 2)
        var y = rect.y
        func line(_ text: String, _ role: ThemeRole) {
            guard y < rect.maxY else { return }
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: rect.x + 1, y: y, style: theme.style(role), maxWidth: width)
            y += 1
        }
        var heading = "Key pool of \(sku)"
        if let status { heading += " · " + status }
        // The value sought shows masked, as the keys do.
        if let value = filter.value { heading += " · key " + SecretBox.redacted(value) }
        line(heading, .title)
        if let counts {
            line("\(counts.available) available · \(counts.reserved) reserved · \(counts.delivered) delivered · \(counts.revoked) revoked · \(counts.total) in all",
                 .normal)
        } else {
            line(failure ?? "Loading…", failure == nil ? .muted : .error)
        }
        if let progress, showsBar, y < rect.maxY {
            drawBar(progress, into: &canvas, x: rect.x + 1, y: y, width: width, theme: theme)
            y += 1
        }
        for (text, role) in reportLines { line(text, role) }
        // The keys.
        let bottom = rect.maxY - (pathInput == nil ? 0 : 1)
        let body = Rect(x: rect.x, y: y, width: rect.width, height: max(0, bottom - y))
        var table = self.table
        table.layout(height: body.height)
        table.render(into: &canvas, at: body, theme: theme, focused: pathInput == nil)
        drawRevealed(table, into: &canvas, at: body, theme: theme, focused: pathInput == nil)
        if table.rows.isEmpty && !table.isLoading && (table.hasLoaded || pageFailure != nil) && body.height > 1 {
            // In place of the table's own "No rows".
            let row = Rect(x: body.x, y: body.y + 1, width: body.width, height: 1)
            canvas.fill(row, style: theme.style(.normal))
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(emptyText), to: width), x: row.x + 1, y: row.y,
                       style: theme.style(pageFailure == nil ? .muted : .error), maxWidth: width)
        }
        if let pathInput {
            let label = "File: "
            canvas.put(label, x: rect.x + 1, y: rect.maxY - 1, style: theme.style(.accent), maxWidth: label.count)
            pathInput.render(into: &canvas, at: Rect(x: rect.x + 1 + label.count, y: rect.maxY - 1, width: max(1, width - label.count), height: 1),
                             theme: theme)
        }
    }

    /// Draws each revealed key in full over its masked cell (the table holds only the masked text), in
    /// `warning` so it stands out, or in the selection's style on the selected row.
    private func drawRevealed(_ table: TableView, into canvas: inout some Canvas, at body: Rect, theme: Theme, focused: Bool) {
        guard !revealed.isEmpty, body.height > 1 else { return }
        let keyWidth = table.columnWidths(totalWidth: body.width)[0]
        guard keyWidth > 0 else { return }
        for (offset, index) in table.visibleRange(height: TableView.bodyHeight(forHeight: body.height)).enumerated() {
            guard let key = revealed[table.rows[index].id] else { continue }
            let style = theme.style(index != table.selectedIndex ? .warning : focused ? .selection : .selectionInactive)
            let text = DisplayWidth.pad(DisplayWidth.truncate(TerminalText.sanitized(key), to: keyWidth), to: keyWidth)
            canvas.put(text, x: body.x, y: body.y + 1 + offset, style: style, maxWidth: keyWidth)
        }
    }

    private func drawBar(_ progress: ImportProgress, into canvas: inout some Canvas, x: Int, y: Int, width: Int, theme: Theme) {
        let label = " \(progress.sent)/\(progress.total) keys"
        let barWidth = max(4, min(40, width - DisplayWidth.of(label) - 2))
        let filled = progress.total == 0 ? 0 : barWidth * progress.sent / progress.total
        canvas.put("[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]",
                   x: x, y: y, style: theme.style(.accent), maxWidth: barWidth + 2)
        canvas.put(label, x: x + barWidth + 2, y: y, style: theme.style(.normal), maxWidth: max(0, width - barWidth - 2))
    }

    /// "2026-11-25 14:03" in the console's time zone.
    static let addedFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()
}
