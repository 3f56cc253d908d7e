import Postgres

/// The nodes and rows behind a `JSONViewer`, built lazily so a document of any size opens at once.
///
/// It exists to keep the viewer's cost proportional to what is on screen and what was opened, never to
/// the document: a container's members become nodes only when it is first expanded (one level, in
/// order: array elements by index, object members by key), and `rows` lists the node of every visible
/// row, updated in place on expand and collapse. Nothing here recurses, so a deeply nested document
/// cannot exhaust the stack; expanding a 10,000-element array costs 10,000 small nodes and one insertion.
struct JSONTree: Sendable, Equatable {
    /// One value of the document with where it hangs.
    struct Node: Sendable, Equatable {
        /// How the node is named under its parent.
        enum Label: Sendable, Equatable {
            case root
            case key(String)
            case index(Int)
        }

        var value: JSONValue
        var label: Label
        /// 0 for the root.
        var depth: Int
        /// The parent's index in `nodes`; -1 for the root.
        var parent: Int
        /// The members' nodes once materialized (always contiguous in `nodes`).
        var children: Range<Int>?
        var isExpanded = false

        /// Members of an array or object, 0 for scalars.
        var memberCount: Int {
            switch value {
            case .array(let elements): elements.count
            case .object(let members): members.count
            default: 0
            }
        }

        /// Containers with members can be opened; empty ones show `{}` / `[]` like scalars.
        var isExpandable: Bool { memberCount > 0 }
    }

    private(set) var nodes: [Node]
    /// The node shown on each row, top to bottom.
    private(set) var rows: [Int]

    init(_ document: JSONValue) {
        nodes = [Node(value: document, label: .root, depth: 0, parent: -1)]
        rows = [0]
    }

    func node(atRow row: Int) -> Node { nodes[rows[row]] }

    /// Opens the node on `row`: its members (materialized on first use) and, below each member that
    /// was left open, that member's visible rows. Returns false when the node is not an expandable
    /// container or is already open.
    @discardableResult
    mutating func expand(row: Int) -> Bool {
        let index = rows[row]
        guard nodes[index].isExpandable, !nodes[index].isExpanded else { return false }
        nodes[index].isExpanded = true
        rows.insert(contentsOf: visibleDescendants(of: index), at: row + 1)
        return true
    }

    /// Closes the node on `row`, removing its descendants' rows. Returns false when it is not open.
    @discardableResult
    mutating func collapse(row: Int) -> Bool {
        let index = rows[row]
        guard nodes[index].isExpanded else { return false }
        nodes[index].isExpanded = false
        let depth = nodes[index].depth
        var end = row + 1
        while end < rows.count && nodes[rows[end]].depth > depth { end += 1 }
        rows.removeSubrange((row + 1)..<end)
        return true
    }

    /// The row of the parent of the node on `row` (nil for the root).
    func parentRow(of row: Int) -> Int? {
        let parent = nodes[rows[row]].parent
        guard parent >= 0 else { return nil }
        var candidate = row - 1
        while candidate >= 0 && rows[candidate] != parent { candidate -= 1 }
        return candidate >= 0 ? candidate : nil
    }

    /// The path from the root to the node on `row`.
    func path(ofRow row: Int) -> JSONPath {
        var components: [JSONPath.Component] = []
        var index = rows[row]
        while index >= 0 {
            switch nodes[index].label {
            case .root: break
            case .key(let key): components.append(.key(key))
            case .index(let position): components.append(.index(position))
            }
            index = nodes[index].parent
        }
        return JSONPath(components.reversed())
    }

    /// Opens every container on the way to `path` and returns the row showing it, or nil when the
    /// document has no such node (containers opened on the way stay open).
    mutating func reveal(_ path: JSONPath) -> Int? {
        var row = 0
        for component in path.components {
            let index = rows[row]
            guard nodes[index].isExpandable else { return nil }
            let members = materialize(index)
            let child: Int?
            switch component {
            case .index(let position):
                guard case .array = nodes[index].value, position >= 0, position < members.count else { return nil }
                child = members.lowerBound + position
            case .key(let key):
                guard case .object = nodes[index].value else { return nil }
                child = members.first(where: { nodes[$0].label == .key(key) })
            }
            guard let child else { return nil }
            expand(row: row)
            // The child's row: after the parent, past the rows of earlier siblings' open subtrees.
            var candidate = row + 1
            while rows[candidate] != child { candidate += 1 }
            row = candidate
        }
        return row
    }

    /// The node indexes of `index`'s visible descendants in row order (children, and the descendants of
    /// children that are open), walked with an explicit stack.
    private mutating func visibleDescendants(of index: Int) -> [Int] {
        var out: [Int] = []
        // Each entry: the members still to list of one open container.
        var stack: [Range<Int>] = [materialize(index)]
        while var pending = stack.popLast() {
            guard let child = pending.first else { continue }
            pending = pending.dropFirst()
            stack.append(pending)
            out.append(child)
            if nodes[child].isExpanded, let members = nodes[child].children {
                stack.append(members)
            }
        }
        return out
    }

    /// The node indexes of `index`'s members, creating the nodes on first use.
    private mutating func materialize(_ index: Int) -> Range<Int> {
        if let children = nodes[index].children { return children }
        let start = nodes.count
        let depth = nodes[index].depth + 1
        switch nodes[index].value {
        case .array(let elements):
            nodes.reserveCapacity(nodes.count + elements.count)
            for (position, element) in elements.enumerated() {
                nodes.append(Node(value: element, label: .index(position), depth: depth, parent: index))
            }
        case .object(let members):
            nodes.reserveCapacity(nodes.count + members.count)
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                nodes.append(Node(value: value, label: .key(key), depth: depth, parent: index))
            }
        default:
            break
        }
        let children = start..<nodes.count
        nodes[index].children = children
        return children
    }
}
