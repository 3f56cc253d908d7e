import Domain
import Foundation

/// A variant's license-key pool: counts by status, the keys (masked by the Domain: only the last
/// characters show), importing keys from a file path with a progress bar and a report of duplicates,
/// and revealing one key at a time — the Domain checks `keys.reveal` and audits every reveal — hidden
/// again after `revealSeconds`.
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

    public struct Loaded: Sendable, Equatable {
        public var counts: LicenseKeyService.KeyCounts
        public var keys: [KeyRow]

        public struct KeyRow: Sendable, Equatable {
            public var id: String
            public var status: String
            public var masked: String
            public var createdAt: Date
        }
    }

    public enum Message: Sendable {
        case loaded(Result<Loaded, ConsoleFailure>)
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
    /// The most keys listed (oldest first).
    public static let listLimit = 500

    public private(set) var counts: LicenseKeyService.KeyCounts?
    public private(set) var keys: [Loaded.KeyRow] = []
    public private(set) var cursor = ListCursor()
    /// Keys revealed right now, by id (cleared by `.hide`).
    public private(set) var revealed: [String: String] = [:]
    /// The path line, while it is open.
    public private(set) var pathInput: TextInput?
    public private(set) var plan: ImportPlan?
    public private(set) var progress: ImportProgress?
    public private(set) var failure: String?
    private var loading = false
    private var loadAgain = false

    public init(store: TenantContext, sku: String) {
        self.store = store
        self.sku = sku
    }

    public var title: String { "Keys \(sku)" }

    public var isImporting: Bool { progress.map { !$0.isFinished } ?? false }

    public var bindings: [KeyBinding] {
        if pathInput != nil {
            return [
                KeyBinding(.enter, "Import the keys in this file"),
                KeyBinding(.escape, "Cancel the import"),
            ]
        }
        var bindings = [KeyBinding([.up, .down, .character("k"), .character("j")], "Move", inPalette: false)]
        if store.can(.productsWrite) { bindings.append(KeyBinding(.character("i"), "Import keys from a file")) }
        bindings += [
            KeyBinding(.character("v"), "Reveal the selected key for a few seconds (audited)"),
            KeyBinding(.character("r"), "Reload"),
        ]
        return bindings
    }

    // MARK: Update

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        cursor.layout(visibleRows: max(1, listHeight(context.contentSize.height)))
        pathInput?.layout(width: max(1, context.contentSize.width - 8))
        switch event {
        case .appeared:
            return load()
        case .filter:
            return .none
        case .changes(let changes):
            guard changes.isEmpty || changes.contains(where: { ["license", "variant", "order", "delivery"].contains($0.entity) })
            else { return .none }
            return isImporting ? .none : load()
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
            guard keys.indices.contains(cursor.selected) else { return .none }
            let id = keys[cursor.selected].id
            guard let uuid = UUID(uuidString: id) else { return .none }
            let store = self.store
            let sku = self.sku
            return .task({ services in try services.licenseKeys().reveal(store, sku: sku, keyID: uuid) }, then: Message.revealed)
        case .character("r"):
            return load()
        case .escape where progress?.isFinished == true:
            // The report is dismissed first; the next Esc leaves.
            progress = nil
            return .none
        default:
            return cursor.handle(key) ? .none : .ignored
        }
    }

    private mutating func receive(_ message: Message) -> Effect<Message> {
        switch message {
        case .loaded(.success(let loaded)):
            loading = false
            failure = nil
            let selectedID = keys.indices.contains(cursor.selected) ? keys[cursor.selected].id : nil
            counts = loaded.counts
            keys = loaded.keys
            cursor.setCount(keys.count, selecting: selectedID.flatMap { id in keys.firstIndex { $0.id == id } })
            revealed = revealed.filter { id, _ in keys.contains { $0.id == id } }
            if loadAgain {
                loadAgain = false
                return load()
            }
            return .none
        case .loaded(.failure(let failure)):
            loading = false
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            self.failure = failure.message
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
            self.progress = progress
            return nextChunk()
        case .chunkDone(_, .failure(let failure)):
            guard var progress else { return .none }
            if failure.statusCode == 401 { return .sessionEnded(failure) }
            progress.failure = failure.message
            progress.isFinished = true
            self.progress = progress
            plan = nil
            return .batch([.notify(.error("import stopped after \(progress.imported) keys: \(failure.message)")), load()])
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

    private mutating func load() -> Effect<Message> {
        if loading {
            loadAgain = true
            return .none
        }
        loading = true
        let store = self.store
        let sku = self.sku
        return .task({ services in
            let service = try services.licenseKeys()
            let counts = try service.count(store, sku: sku)
            let keys = try service.list(store, sku: sku, limit: KeyPoolScreen.listLimit)
            return Loaded(counts: counts, keys: keys.map { Loaded.KeyRow(id: $0.id, status: $0.status, masked: $0.key, createdAt: $0.createdAt) })
        }, then: Message.loaded)
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
                           load()])
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

    /// Rows for the list: the screen less the heading, counts, column titles, the report and the path line.
    private func listHeight(_ height: Int) -> Int {
        height - 4 - reportLines.count - (pathInput == nil ? 0 : 1)
    }

    /// The import's progress or report, as lines.
    private var reportLines: [(text: String, role: ThemeRole)] {
        guard let progress else { return [] }
        if !progress.isFinished {
            return [(progress.total == 0 ? "Reading \(progress.path)…" : "Importing from \(progress.path)…", .info)]
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

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        let width = max(1, rect.width - 2)
        var y = rect.y
        func line(_ text: String, _ role: ThemeRole) {
            guard y < rect.maxY else { return }
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: width), x: rect.x + 1, y: y, style: theme.style(role), maxWidth: width)
            y += 1
        }
        line("Key pool of \(sku)", .title)
        if let counts {
            line("\(counts.available) available · \(counts.reserved) reserved · \(counts.delivered) delivered · \(counts.revoked) revoked · \(counts.total) in all",
                 .normal)
        } else {
            line(failure ?? "Loading…", failure == nil ? .muted : .error)
        }
        if let progress, !progress.isFinished, progress.total > 0 {
            drawBar(progress, into: &canvas, x: rect.x + 1, y: y, width: width, theme: theme)
            y += 1
        }
        for (text, role) in reportLines where !(role == .info && progress?.total ?? 0 > 0) { line(text, role) }
        // The keys.
        let keyWidth = min(44, max(12, width / 2))
        let header = DisplayWidth.pad("Key", to: keyWidth) + " " + DisplayWidth.pad("Status", to: 10) + " Added"
        if y < rect.maxY {
            canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: theme.style(.tableHeader))
            canvas.put(DisplayWidth.truncate(header, to: width), x: rect.x + 1, y: y, style: theme.style(.tableHeader), maxWidth: width)
            y += 1
        }
        let bottom = rect.maxY - (pathInput == nil ? 0 : 1)
        var cursor = self.cursor
        cursor.layout(visibleRows: max(1, bottom - y))
        if keys.isEmpty, y < bottom, counts != nil {
            line("no keys yet" + (store.can(.productsWrite) ? ": i imports a file" : ""), .muted)
        }
        for index in cursor.visibleRange where y < bottom {
            let key = keys[index]
            let shown = revealed[key.id]
            let text = DisplayWidth.pad(DisplayWidth.truncate(TerminalText.sanitized(shown ?? key.masked), to: keyWidth), to: keyWidth)
                + " " + DisplayWidth.pad(key.status, to: 10) + " " + KeyPoolScreen.addedFormat.string(from: key.createdAt)
            let style = theme.style(index == cursor.selected ? .selection : shown != nil ? .warning : .normal)
            canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
            canvas.put(DisplayWidth.truncate(text, to: width), x: rect.x + 1, y: y, style: style, maxWidth: width)
            y += 1
        }
        if let pathInput {
            let label = "File: "
            canvas.put(label, x: rect.x + 1, y: rect.maxY - 1, style: theme.style(.accent), maxWidth: label.count)
            pathInput.render(into: &canvas, at: Rect(x: rect.x + 1 + label.count, y: rect.maxY - 1, width: max(1, width - label.count), height: 1),
                             theme: theme)
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
