/// Where a node sits in a JSON document: the object keys and array indexes from the root down to it.
///
/// It exists so screens can talk about the viewer's selection without reaching into its rows: show
/// "$.items[0].sku" in a status bar, copy it, or select the same node again after the document was
/// reloaded (`JSONViewer.select(_:)`).
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step down from a container.
    public enum Component: Sendable, Hashable {
        /// A member of an object, by key.
        case key(String)
        /// An element of an array, from 0.
        case index(Int)
    }

    /// From the root down; empty for the root itself.
    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// The document itself.
    public static let root = JSONPath()

    /// The path one step further down.
    public func appending(_ component: Component) -> JSONPath {
        JSONPath(components + [component])
    }

    /// JSONPath-style text: `$`, `$.customer.email`, `$.items[0]`, and `$["two words"]` for keys that
    /// are not plain identifiers (quotes and backslashes escaped). Keys are sanitized
    /// (`TerminalText.sanitized`), so the text is safe to draw.
    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key):
                let clean = TerminalText.sanitized(key)
                if JSONDisplayText.isPlainKey(clean) {
                    text += "." + clean
                } else {
                    text += "[" + JSONDisplayText.quoted(clean) + "]"
                }
            }
        }
        return text
    }
}
