/// The width and height of a canvas in terminal columns and rows.
public struct Size: Sendable, Hashable {
    public var width: Int
    public var height: Int

    /// Negative values become 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }
}
