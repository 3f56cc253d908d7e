import Domain
import Foundation

/// Drawing the frame: breadcrumbs on top, the connection banner, the screen, notices, the filter line,
/// the status bar, and the open overlay above everything.
extension ConsoleShell {
    public func view(into canvas: inout some Canvas) {
        let size = canvas.size
        guard size.width > 0, size.height > 0 else { return }
        canvas.fill(canvas.bounds, style: theme.style(.normal))
        drawHeader(into: &canvas, width: size.width)
        guard size.height >= 3 else { return }
        if case .lost(let reason) = feed {
            let text = " ⚠ connection lost (\(reason)): reconnecting; what you typed is kept"
            canvas.fill(Rect(x: 0, y: 1, width: size.width, height: 1), style: theme.style(.banner))
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(text), to: size.width), x: 0, y: 1, style: theme.style(.banner), maxWidth: size.width)
        }
        let statusY = size.height - 1
        // The layout screens were given (`contentRect`), on the canvas actually drawn.
        var content = contentRect
        content.width = size.width
        content.height = max(0, min(content.height, statusY - content.y - (overlayName == "filter" ? 1 : 0)))
        let top = content.y
        let bottom = content.maxY
        if case .filter(let input, _) = overlay, bottom < statusY {
            drawFilterLine(into: &canvas, input: input, y: bottom, width: size.width)
        }
        if let entry = stack.last, content.height > 0 {
            entry.screen.view(into: &canvas, in: content, context: context)
        }
        drawNotices(into: &canvas, bottom: bottom, top: top, width: size.width)
        drawStatusBar(into: &canvas, y: statusY, width: size.width)
        switch overlay {
        case .palette(let palette): palette.render(into: &canvas, in: content, theme: theme)
        case .help(let help): help.render(into: &canvas, in: content, theme: theme)
        case .confirm(let dialog, _): dialog.render(into: &canvas, in: content, theme: theme)
        case .filter, nil: break
        }
    }

    /// " Backoffice › Demo Games › Home › Stores". When it does not fit, the oldest crumbs give way
    /// first (shown as "…"), then the application's name, then the store name is shortened; the current
    /// screen's title stays.
    private func drawHeader(into canvas: inout some Canvas, width: Int) {
        let header = theme.style(.header)
        canvas.fill(Rect(x: 0, y: 0, width: width, height: 1), style: header)
        let separator = " › "
        var crumbs = stack.map { TerminalText.sanitized($0.screen.title) }
        var storeName = session?.store.map { TerminalText.sanitized($0.name) }
        var showsApplication = true
        var elided = false
        func parts() -> [(text: String, role: Int)] {
            // role: 0 plain, 1 store, 2 current screen
            var list: [(String, Int)] = []
            if showsApplication { list.append(("Backoffice", 0)) }
            if let storeName { list.append((storeName, 1)) }
            if elided { list.append(("…", 0)) }
            for (index, crumb) in crumbs.enumerated() { list.append((crumb, index == crumbs.count - 1 ? 2 : 0)) }
            return list
        }
        func length() -> Int {
            let list = parts()
            return 1 + list.reduce(0) { $0 + DisplayWidth.of($1.text) } + DisplayWidth.of(separator) * max(0, list.count - 1)
        }
        while length() > width {
            if crumbs.count > 1 {
                crumbs.removeFirst()
                elided = true
            } else if showsApplication {
                showsApplication = false
            } else if let name = storeName, DisplayWidth.of(name) > 4 {
                storeName = DisplayWidth.truncate(name, to: max(4, DisplayWidth.of(name) - (length() - width)))
            } else {
                break
            }
        }
        var x = 1
        for (index, part) in parts().enumerated() {
            if index > 0 { x += canvas.put(separator, x: x, y: 0, style: header, maxWidth: max(0, width - x)) }
            var style = header
            switch part.role {
            case 1:
                style = theme.style(.accent)
                style.background = header.background
                style.attributes.insert(.bold)
            case 2:
                style.attributes.insert(.bold)
            default:
                break
            }
            let room = max(0, width - x)
            x += canvas.put(DisplayWidth.truncate(part.text, to: room), x: x, y: 0, style: style, maxWidth: room)
        }
    }

    private func drawFilterLine(into canvas: inout some Canvas, input: TextInput, y: Int, width: Int) {
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), style: theme.style(.input))
        canvas.put("/", x: 0, y: y, style: theme.style(.key))
        let hint = " Enter keep · Esc clear"
        let hintWidth = DisplayWidth.of(hint)
        var field = input
        field.isFocused = true
        field.render(into: &canvas, at: Rect(x: 1, y: y, width: max(1, width - 1 - hintWidth), height: 1), theme: theme)
        if width > hintWidth + 10 {
            canvas.put(hint, x: width - hintWidth, y: y, style: theme.style(.muted))
        }
    }

    /// The newest notices, one line each, just above the bottom of the content area.
    private func drawNotices(into canvas: inout some Canvas, bottom: Int, top: Int, width: Int) {
        for (offset, entry) in notices.reversed().enumerated() {
            let y = bottom - 1 - offset
            guard y > top else { break }
            let (role, mark): (ThemeRole, String) = switch entry.notice.kind {
            case .success: (.success, "✓")
            case .info: (.info, "i")
            case .warning: (.warning, "!")
            case .error: (.error, "✗")
            }
            var style = theme.style(role)
            style.attributes.insert(.reverse)
            let text = " \(mark) " + TerminalText.sanitized(entry.notice.text) + " "
            let fitted = DisplayWidth.truncate(text, to: max(1, width - 2))
            let x = max(0, width - DisplayWidth.of(fitted) - 1)
            canvas.put(fitted, x: x, y: y, style: style, maxWidth: width - x)
        }
    }

    /// " demo-games · ann@example.com · manager · ● live      ? help  : commands  ^T store  q quit "
    private func drawStatusBar(into canvas: inout some Canvas, y: Int, width: Int) {
        let bar = theme.style(.statusBar)
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), style: bar)
        var left: [String] = []
        if let session {
            if let store = session.store {
                left.append(store.context.tenantSlug)
                left.append(TerminalText.sanitized(session.user.email))
                left.append(store.context.isSuperAdminEntry ? "super admin" : store.context.role)
            } else {
                left.append(TerminalText.sanitized(session.user.email))
                if session.user.isSuperAdmin { left.append("super admin") }
            }
        } else {
            left.append("not signed in")
        }
        let feedText: String = switch feed {
        case .live: "● live"
        case .connecting: "○ connecting"
        case .lost: "✗ offline"
        }
        if let top = stack.last, !top.filter.isEmpty, overlayName != "filter" {
            let shown = top.screen.filterIsSecret ? SecretBox.redacted(top.filter.trimmingCharacters(in: .whitespacesAndNewlines)) : top.filter
            left.append("filter: " + shown)
        }
        var hints = ["? help", ": commands"]
        if session != nil { hints.append("^T store") }
        hints.append("q quit")
        let leftText = " " + left.joined(separator: " · ") + " "
        var x = canvas.put(DisplayWidth.truncate(leftText, to: max(1, width * 2 / 3)), x: 0, y: y, style: theme.style(.statusBarAccent), maxWidth: width)
        var feedStyle = bar
        if case .lost = feed { feedStyle = theme.style(.error); feedStyle.background = bar.background }
        x += canvas.put(" " + feedText, x: x, y: y, style: feedStyle, maxWidth: max(0, width - x))
        while !hints.isEmpty {
            let text = hints.joined(separator: "  ") + " "
            let w = DisplayWidth.of(text)
            if x + 2 + w <= width {
                canvas.put(text, x: width - w, y: y, style: bar)
                break
            }
            hints.removeLast()
        }
    }
}
