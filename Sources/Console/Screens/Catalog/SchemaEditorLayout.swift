/// Where the schema editor draws each part in its content area: the heading, the banner (a version
/// conflict, the products a refused save would invalidate), the field list, the field's properties and
/// the preview, and the footer (hints or the path prompt). From 120 columns the preview stands beside
/// the editor; below that it replaces the editor while it is shown.
struct SchemaEditorLayout: Equatable {
    var heading: Rect
    var banner: Rect?
    var list: Rect?
    var pane: Rect?
    var preview: Rect?
    /// Columns drawn as vertical separators, over the body's rows.
    var separators: [Int]
    var body: Rect
    var footer: Rect

    static let listWidth = 24

    init(size: Size, screen: SchemaEditorScreen) {
        let width = size.width, height = size.height
        heading = Rect(x: 1, y: 0, width: max(0, width - 2), height: 1)
        footer = Rect(x: 1, y: max(0, height - 1), width: max(0, width - 2), height: 1)
        let bannerHeight = min(screen.bannerLines(width: max(1, width - 2)).count, max(0, height - 6))
        var top = 1
        banner = nil
        if bannerHeight > 0 {
            banner = Rect(x: 1, y: top, width: max(0, width - 2), height: bannerHeight)
            top += bannerHeight
        }
        body = Rect(x: 0, y: top, width: width, height: max(0, height - 1 - top))
        separators = []
        list = nil
        pane = nil
        preview = nil
        let sideBySide = width >= SchemaEditorScreen.sideBySideWidth
        let listRect = Rect(x: 1, y: body.y, width: SchemaEditorLayout.listWidth, height: body.height)
        let paneX = listRect.maxX + 3
        if sideBySide {
            if screen.previewShownWide {
                let previewWidth = max(40, width * 2 / 5)
                let previewX = width - previewWidth - 1
                preview = Rect(x: previewX, y: body.y, width: previewWidth, height: body.height)
                pane = Rect(x: paneX, y: body.y, width: max(1, previewX - 2 - paneX), height: body.height)
                separators = [listRect.maxX + 1, previewX - 2]
            } else {
                pane = Rect(x: paneX, y: body.y, width: max(1, width - 1 - paneX), height: body.height)
                separators = [listRect.maxX + 1]
            }
            list = listRect
        } else if screen.previewShownNarrow {
            preview = Rect(x: 1, y: body.y, width: max(1, width - 2), height: body.height)
        } else {
            list = listRect
            pane = Rect(x: paneX, y: body.y, width: max(1, width - 1 - paneX), height: body.height)
            separators = [listRect.maxX + 1]
        }
    }
}
