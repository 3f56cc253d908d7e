/// Reading a frame back as text, for tests: `textDump()` for what it says, `styledDump()` for golden files
/// that also pin down how it looks.
extension CellBuffer {
    /// One line per row, trailing spaces trimmed, each wide character once.
    public func textDump() -> String {
        (0..<size.height).map(rowText).joined(separator: "\n")
    }

    /// `textDump()` with styles: after each row that is not all plain, a line `  ~ a5 .3 b72` giving the
    /// row's style runs (a letter per style, `.` for plain, then the number of columns), and at the end a
    /// legend line per letter (`a = fg=red bg=#1e1e1e bold`), letters in order of first appearance.
    public func styledDump() -> String {
        var letters: [Style: String] = [.plain: "."]
        var legend: [String] = []
        var lines: [String] = []
        for y in 0..<size.height {
            lines.append(rowText(y))
            var runs: [(style: Style, count: Int)] = []
            for cell in row(y) {
                if let last = runs.last, last.style == cell.style {
                    runs[runs.count - 1].count += 1
                } else {
                    runs.append((cell.style, 1))
                }
            }
            guard runs.contains(where: { $0.style != .plain }) else { continue }
            let annotation = runs.map { run -> String in
                if letters[run.style] == nil {
                    let letter = CellBuffer.styleLetter(legend.count)
                    letters[run.style] = letter
                    legend.append("\(letter) = \(CellBuffer.describe(run.style))")
                }
                return "\(letters[run.style]!)\(run.count)"
            }
            lines.append("  ~ " + annotation.joined(separator: " "))
        }
        return (lines + legend).joined(separator: "\n")
    }

    private func rowText(_ y: Int) -> String {
        var line = ""
        for cell in row(y) {
            if let character = cell.character { line.append(character) }
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// a…z, then A…Z, then s52, s53…
    private static func styleLetter(_ index: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return index < alphabet.count ? String(alphabet[index]) : "s\(index)"
    }

    private static func describe(_ style: Style) -> String {
        var parts: [String] = []
        if style.foreground != .default { parts.append("fg=" + style.foreground.themeText) }
        if style.background != .default { parts.append("bg=" + style.background.themeText) }
        for (name, attribute) in TextAttributes.themeNames where style.attributes.contains(attribute) {
            parts.append(name)
        }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}
