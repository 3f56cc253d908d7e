@testable import Console
import Testing

@Suite("Canvas: Rect")
struct CanvasRectTests {
    let screen = Rect(x: 0, y: 0, width: 80, height: 24)

    @Test(arguments: [
        [Rect.Length.fixed(1), .flex(1), .fixed(1)],
        [.flex(1), .flex(1), .flex(1)],
        [.flex(2), .flex(1), .flex(5), .fixed(3)],
        [.fixed(10), .fixed(20)],
        [.fixed(50), .fixed(50), .flex(1)],
        [.flex(0), .fixed(3)],
        [.flex(1)],
        [.fixed(100)],
    ])
    func splitsCoverTheParentExactly(_ lengths: [Rect.Length]) {
        for parent in [screen, Rect(x: 3, y: 2, width: 7, height: 5), Rect(x: 0, y: 0, width: 0, height: 0)] {
            let rows = parent.rows(lengths)
            #expect(rows.count == lengths.count)
            #expect(rows.map(\.height).reduce(0, +) == parent.height)
            #expect(rows.allSatisfy { $0.x == parent.x && $0.width == parent.width })
            for (above, below) in zip(rows, rows.dropFirst()) { #expect(above.maxY == below.y) }
            #expect(rows.first?.y == parent.y && rows.last?.maxY == parent.maxY)

            let columns = parent.columns(lengths)
            #expect(columns.map(\.width).reduce(0, +) == parent.width)
            #expect(columns.allSatisfy { $0.y == parent.y && $0.height == parent.height })
            for (left, right) in zip(columns, columns.dropFirst()) { #expect(left.maxX == right.x) }
            #expect(columns.first?.x == parent.x && columns.last?.maxX == parent.maxX)
        }
    }

    @Test func fixedFirstThenFlexByWeight() {
        #expect(screen.rows([.fixed(1), .flex(1), .fixed(1)]).map(\.height) == [1, 22, 1])
        #expect(Rect.distribute(80, among: [.fixed(20), .flex(1), .flex(2)]) == [20, 20, 40])
        // Rounding leftovers go to the first flex pieces.
        #expect(Rect.distribute(10, among: [.flex(1), .flex(1), .flex(1)]) == [4, 3, 3])
        // Too little room: later fixed pieces shrink, flex gets nothing.
        #expect(Rect.distribute(5, among: [.fixed(3), .flex(1), .fixed(4)]) == [3, 0, 2])
        // No flex: the last piece takes the rest.
        #expect(Rect.distribute(10, among: [.fixed(3), .fixed(4)]) == [3, 7])
        #expect(Rect.distribute(10, among: []) == [])
        #expect(Rect.distribute(-4, among: [.fixed(2), .flex(1)]) == [0, 0])
    }

    @Test func intersection() {
        let a = Rect(x: 0, y: 0, width: 10, height: 5)
        #expect(a.intersection(Rect(x: 5, y: 3, width: 10, height: 10)) == Rect(x: 5, y: 3, width: 5, height: 2))
        #expect(a.intersection(a) == a)
        #expect(a.intersection(Rect(x: 10, y: 0, width: 3, height: 3)).isEmpty)
        #expect(a.intersection(Rect(x: -5, y: -5, width: 2, height: 2)).isEmpty)
    }

    @Test func inset() {
        let a = Rect(x: 2, y: 1, width: 10, height: 6)
        #expect(a.inset(by: 1) == Rect(x: 3, y: 2, width: 8, height: 4))
        #expect(a.inset(left: 2, right: 3) == Rect(x: 4, y: 1, width: 5, height: 6))
        let collapsed = a.inset(by: 4)
        #expect(collapsed.isEmpty && collapsed.height == 0 && collapsed.width == 2)
        #expect(a.inset(by: 20).isEmpty)
        #expect(a.contains(x: 2, y: 1) && !a.contains(x: 12, y: 1) && !a.contains(x: 2, y: 7))
    }
}
