/// Fitting text into a number of columns: every widget measures and cuts with these so nothing it draws
/// spills into the next cell. They never cut a grapheme apart; they expect sanitized text (controls count
/// as zero columns).
extension DisplayWidth {
    public enum Alignment: Sendable, Hashable {
        case left, right, center
    }

    /// `s` cut to at most `columns` columns at a grapheme boundary. Text that fits comes back unchanged.
    /// Text that does not fit is cut to exactly `columns` columns: a wide character that would straddle
    /// the edge becomes a space, and with `ellipsis` the last column is "…".
    public static func truncate(_ s: String, to columns: Int, ellipsis: Bool = true) -> String {
        fit(s, to: columns, ellipsis: ellipsis).text
    }

    /// `s` in exactly `columns` columns: truncated as by `truncate`, then padded with spaces according to
    /// `alignment` (centre puts the odd space on the right).
    public static func pad(_ s: String, to columns: Int, alignment: Alignment = .left, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        let (text, width) = fit(s, to: columns, ellipsis: ellipsis)
        let gap = columns - width
        guard gap > 0 else { return text }
        switch alignment {
        case .left:
            return text + String(repeating: " ", count: gap)
        case .right:
            return String(repeating: " ", count: gap) + text
        case .center:
            let before = gap / 2
            return String(repeating: " ", count: before) + text + String(repeating: " ", count: gap - before)
        }
    }

    /// `s` word-wrapped into lines of at most `width` columns. Newlines end paragraphs (an empty paragraph
    /// is an empty line); lines break at spaces, which are dropped at the break; a word wider than a line
    /// is broken at grapheme boundaries (so CJK text without spaces breaks anywhere). Leading spaces of a
    /// paragraph are kept when they fit with its first word. A grapheme wider than `width` itself (a wide
    /// character when `width` is 1) becomes a space. `width` below 1 gives no lines.
    public static func wrap(_ s: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in s.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var wrapper = ParagraphWrapper(width: width)
            wrapper.wrap(paragraph)
            lines.append(contentsOf: wrapper.lines)
        }
        return lines
    }

    /// The cut text and its width.
    static func fit(_ s: String, to columns: Int, ellipsis: Bool) -> (text: String, width: Int) {
        guard columns > 0 else { return ("", 0) }
        let total = of(s)
        if total <= columns { return (s, total) }
        let budget = ellipsis ? columns - 1 : columns
        var out = ""
        var used = 0
        for character in s {
            let width = of(character)
            if used + width > budget { break }
            out.append(character)
            used += width
        }
        if used < budget {
            // Only a wide character straddling the edge leaves a gap, of one column.
            out.append(String(repeating: " ", count: budget - used))
        }
        if ellipsis { out.append("…") }
        return (out, columns)
    }

    /// Whether a grapheme is a space a line may break at (not the no-break spaces).
    static func isBreakingSpace(_ character: Character) -> Bool {
        if character == " " { return true }
        let scalars = character.unicodeScalars
        guard let scalar = scalars.first, scalars.count == 1 else { return false }
        switch scalar.value {
        case 0xA0, 0x2007, 0x202F: return false
        default: return scalar.properties.generalCategory == .spaceSeparator || scalar == "\t"
        }
    }
}

/// Greedy word wrap of one paragraph.
private struct ParagraphWrapper {
    let width: Int
    var lines: [String] = []
    var line = ""
    var lineWidth = 0

    init(width: Int) {
        self.width = width
    }

    mutating func wrap(_ paragraph: Substring) {
        var spaces = ""
        var spacesWidth = 0
        var word = ""
        var wordWidth = 0
        for character in paragraph {
            if DisplayWidth.isBreakingSpace(character) {
                if !word.isEmpty {
                    place(word, wordWidth, after: spaces, spacesWidth)
                    word = ""
                    wordWidth = 0
                    spaces = ""
                    spacesWidth = 0
                }
                spaces.append(character)
                spacesWidth += DisplayWidth.of(character)
            } else {
                word.append(character)
                wordWidth += DisplayWidth.of(character)
            }
        }
        if !word.isEmpty { place(word, wordWidth, after: spaces, spacesWidth) }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
    }

    private mutating func place(_ word: String, _ wordWidth: Int, after spaces: String, _ spacesWidth: Int) {
        if line.isEmpty && lines.isEmpty {
            // The paragraph's first word keeps its indentation when both fit.
            if spacesWidth + wordWidth <= width {
                line = spaces + word
                lineWidth = spacesWidth + wordWidth
                return
            }
        } else if !line.isEmpty {
            if lineWidth + spacesWidth + wordWidth <= width {
                line += spaces
                line += word
                lineWidth += spacesWidth + wordWidth
                return
            }
            flush()
        }
        if wordWidth <= width {
            line = word
            lineWidth = wordWidth
            return
        }
        for character in word {
            var character = character
            var characterWidth = DisplayWidth.of(character)
            if characterWidth > width {
                character = " "
                characterWidth = 1
            }
            if lineWidth + characterWidth > width { flush() }
            line.append(character)
            lineWidth += characterWidth
        }
    }

    private mutating func flush() {
        lines.append(line)
        line = ""
        lineWidth = 0
    }
}
