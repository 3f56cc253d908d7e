import Domain
import Foundation
import Postgres

/// One order as its full record (items, pricing, payments, deliveries) in the JSON viewer: what
/// `backoffice order show --json` prints, browsable with the keyboard and refreshed live. The order
/// desk with its actions builds on this.
public struct OrderRecordScreen: Screen {
    public enum Message: Sendable {
        case loaded(Result<JSONValue, ConsoleFailure>)
    }

    public let store: TenantContext
    public let number: Int64
    public private(set) var viewer: JSONViewer?
    public private(set) var failure: String?

    public init(store: TenantContext, number: Int64) {
        self.store = store
        self.number = number
    }

    public var title: String { "Order \(number)" }

    public var bindings: [KeyBinding] {
        [
            KeyBinding([.up, .down], "Move", inPalette: false),
            KeyBinding([.enter, .character(" ")], "Open or close the selected part", inPalette: false),
            KeyBinding(.character("r"), "Reload"),
        ]
    }

    public mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
        switch event {
        case .appeared, .changes, .key(.character("r")):
            return load()
        case .key(let key):
            guard var viewer else { return .ignored }
            viewer.layout(height: context.contentSize.height - 2)
            let used = viewer.handle(key)
            self.viewer = viewer
            return used ? .none : .ignored
        case .filter:
            return .none
        case .message(.loaded(.success(let document))):
            failure = nil
            if var viewer, viewer.document != document {
                let path = viewer.selectedPath
                viewer = JSONViewer(document, visibleRowCount: context.contentSize.height - 2)
                viewer.select(path)
                self.viewer = viewer
            } else if viewer == nil {
                viewer = JSONViewer(document, visibleRowCount: context.contentSize.height - 2)
            }
            return .none
        case .message(.loaded(.failure(let failure))):
            self.failure = failure.message
            return .none
        }
    }

    private func load() -> Effect<Message> {
        let store = self.store
        let number = self.number
        return .task({ services in
            try PlatformJSON.value(try services.orders.show(store, number: number))
        }, then: Message.loaded)
    }

    public func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
        let theme = context.theme
        canvas.put("Order \(number)", x: rect.x + 1, y: rect.y, style: theme.style(.title), maxWidth: rect.width - 2)
        let body = Rect(x: rect.x + 1, y: rect.y + 1, width: max(0, rect.width - 2), height: max(0, rect.height - 1))
        if let failure {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: max(1, body.width)), x: body.x, y: body.y + 1,
                       style: theme.style(.error), maxWidth: body.width)
        } else if let viewer {
            viewer.render(into: &canvas, at: body, theme: theme)
        } else {
            canvas.put("Loading…", x: body.x, y: body.y + 1, style: theme.style(.muted), maxWidth: body.width)
        }
    }
}
