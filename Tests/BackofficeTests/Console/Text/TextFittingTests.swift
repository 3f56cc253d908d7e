import Testing
@testable import Console

@Suite struct TextFittingTests {
    typealias W = DisplayWidth

    /// Whether `result` starts with the first graphemes of `original`, whole, followed only by `tail`
    /// (fill spaces and an ellipsis).
    static func isGraphemePrefix(_ result: String, of original: String) -> Bool {
        var body = Substring(result)
        while body.last == "…" || body.last == " " { body.removeLast() }
        let kept = Array(body)
        let source = Array(original)
        guard kept.count <= source.count else { return false }
        return Array(source.prefix(kept.count)) == kept
    }

    @Test func truncateExamples() {
        #expect(W.truncate("hello", to: 10) == "hello")
        #expect(W.truncate("hello", to: 5) == "hello")
        #expect(W.truncate("hello world", to: 8) == "hello w…")
        #expect(W.truncate("hello world", to: 8, ellipsis: false) == "hello wo")
        #expect(W.truncate("hello", to: 1) == "…")
        #expect(W.truncate("hello", to: 0) == "")
        #expect(W.truncate("hello", to: -3) == "")
        #expect(W.truncate("漢字かな", to: 5) == "漢字…")
        #expect(W.truncate("漢字かな", to: 5, ellipsis: false) == "漢字 ")
        #expect(W.truncate("漢字かな", to: 6) == "漢字 …")
        #expect(W.truncate("e\u{301}e\u{301}e\u{301}", to: 2) == "e\u{301}…")
        #expect(W.truncate("👨‍👩‍👧👨‍👩‍👧", to: 3) == "👨‍👩‍👧…")
        #expect(W.truncate("🇩🇪🇫🇷", to: 3, ellipsis: false) == "🇩🇪 ")
    }

    @Test func padExamples() {
        #expect(W.pad("abc", to: 6) == "abc   ")
        #expect(W.pad("abc", to: 6, alignment: .right) == "   abc")
        #expect(W.pad("abc", to: 6, alignment: .center) == " abc  ")
        #expect(W.pad("漢字", to: 6, alignment: .center) == " 漢字 ")
        #expect(W.pad("hello world", to: 5) == "hell…")
        #expect(W.pad("漢字", to: 3) == "漢…")
        #expect(W.pad("漢字", to: 3, ellipsis: false) == "漢 ")
        #expect(W.pad("x", to: 0) == "")
    }

    @Test func wrapExamples() {
        #expect(W.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(W.wrap("the quick brown fox", width: 9) == ["the quick", "brown fox"])
        #expect(W.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(W.wrap("a abcdefghij", width: 4) == ["a", "abcd", "efgh", "ij"])
        #expect(W.wrap("漢字かなカナ", width: 5) == ["漢字", "かな", "カナ"])
        #expect(W.wrap("one\ntwo\n\nfour", width: 10) == ["one", "two", "", "four"])
        #expect(W.wrap("", width: 10) == [""])
        #expect(W.wrap("  indented words", width: 20) == ["  indented words"])
        #expect(W.wrap("word   ", width: 20) == ["word"])
        #expect(W.wrap("a\u{301}b\u{301}c\u{301}", width: 2) == ["a\u{301}b\u{301}", "c\u{301}"])
        #expect(W.wrap("漢", width: 1) == [" "])
        #expect(W.wrap("anything", width: 0) == [])
    }

    @Test(arguments: 0...40) func truncateNeverExceedsOrSplits(columns: Int) {
        for text in TextCorpus.all {
            for ellipsis in [true, false] {
                let result = W.truncate(text, to: columns, ellipsis: ellipsis)
                let width = W.of(result)
                #expect(width <= max(columns, 0), "\(text) at \(columns): \(result)")
                if W.of(text) <= columns {
                    #expect(result == text)
                } else {
                    #expect(width == columns, "\(text) at \(columns): \(result)")
                    #expect(Self.isGraphemePrefix(result, of: text), "\(text) at \(columns): \(result)")
                    if ellipsis && columns > 0 { #expect(result.last == "…") }
                }
            }
        }
    }

    @Test(arguments: 0...40) func padIsExact(columns: Int) {
        for text in TextCorpus.all {
            for alignment in [W.Alignment.left, .right, .center] {
                let result = W.pad(text, to: columns, alignment: alignment)
                #expect(W.of(result) == columns, "\(text) at \(columns) \(alignment): \(result)")
                let trimmed = result.drop { $0 == " " }
                #expect(Self.isGraphemePrefix(String(trimmed), of: String(text.drop { $0 == " " })))
            }
        }
    }

    @Test(arguments: 0...40) func wrapNeverExceedsOrSplits(width: Int) {
        for text in TextCorpus.all {
            let lines = W.wrap(text, width: width)
            if width == 0 {
                #expect(lines.isEmpty)
                continue
            }
            for line in lines {
                #expect(W.of(line) <= width, "\(text) at \(width): \(line)")
            }
            // Nothing lost or cut: the non-space graphemes come back in order, whole.
            let isSpace: (Character) -> Bool = { $0 == " " || $0.isNewline }
            let original = text.filter { !isSpace($0) }
            let wrapped = lines.joined().filter { !isSpace($0) }
            if width >= 2 {
                #expect(Array(wrapped) == Array(original), "\(text) at \(width): \(lines)")
            } else {
                #expect(Array(wrapped) == Array(original).filter { W.of($0) <= 1 }, "\(text) at \(width): \(lines)")
            }
            // Each line's graphemes are graphemes of the text: joining never glues two into one.
            #expect(lines.reduce(0) { $0 + $1.count } <= text.count + lines.count)
        }
    }

    @Test func wrapFillsLines() {
        let text = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"
        for width in 12...40 {
            let lines = W.wrap(text, width: width)
            for (line, next) in zip(lines, lines.dropFirst()) {
                let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
                #expect(W.of(line) + 1 + W.of(nextWord) > width, "line \(line) could take \(nextWord) at \(width)")
            }
        }
    }
}
