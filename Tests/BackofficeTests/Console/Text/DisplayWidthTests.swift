import Testing
@testable import Console

@Suite struct DisplayWidthTests {
    @Test func ascii() {
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of("hello, world") == 12)
        #expect(DisplayWidth.of(Character("a")) == 1)
        #expect(DisplayWidth.of(Character(" ")) == 1)
        #expect(DisplayWidth.of(Character("\t")) == 0)
        #expect(DisplayWidth.of(Character("\r\n")) == 0)
        #expect(DisplayWidth.of("a\u{1B}b\u{7F}") == 2)
    }

    @Test func latinWithCombiningMarks() {
        #expect(DisplayWidth.of(Character("e\u{301}")) == 1)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("Crème brûlée") == 12)
        #expect(DisplayWidth.of("Cre\u{300}me bru\u{302}le\u{301}e") == 12)
        #expect(DisplayWidth.of("a\u{301}\u{302}\u{303}\u{304}") == 1)
        #expect(DisplayWidth.of("Ελληνικά кириллица") == 18)
    }

    @Test func cjkAndHangulAreTwoColumns() {
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("中文字符") == 8)
        #expect(DisplayWidth.of("ひらがなカタカナ") == 16)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of(Character("\u{1100}\u{1161}\u{11A8}")) == 2) // conjoining jamo: one syllable
        #expect(DisplayWidth.of("\u{3000}") == 2) // ideographic space
        #expect(DisplayWidth.of("。、") == 4)
        #expect(DisplayWidth.of("\u{20000}") == 2) // CJK extension B
        #expect(DisplayWidth.of("ｱｲｳ") == 3) // halfwidth katakana stays narrow
        #expect(DisplayWidth.of("a漢b") == 4)
    }

    @Test func fullwidthForms() {
        #expect(DisplayWidth.of("ＡＢＣ") == 6)
        #expect(DisplayWidth.of("１２３") == 6)
        #expect(DisplayWidth.of("￥") == 2)
    }

    @Test func emoji() {
        #expect(DisplayWidth.of(Character("😀")) == 2)
        #expect(DisplayWidth.of("😀😀") == 4)
        #expect(DisplayWidth.of("👍🏽") == 2) // skin-tone modifier
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2) // ZWJ family, one grapheme
        #expect(DisplayWidth.of("🏳️‍🌈") == 2)
        #expect(DisplayWidth.of("🇩🇪") == 2)
        #expect(DisplayWidth.of("🇩🇪🇫🇷") == 4)
        #expect(DisplayWidth.of("1️⃣") == 2)
        #expect(DisplayWidth.of("#️⃣") == 2)
        #expect(DisplayWidth.of("❤️") == 2) // text-default symbol with VS16
        #expect(DisplayWidth.of("©️") == 2)
        #expect(DisplayWidth.of("🏴󠁧󠁢󠁳󠁣󠁴󠁿") == 2) // tag sequence
        #expect(DisplayWidth.of("⌚") == 2)
        #expect(DisplayWidth.of("ok 👍") == 5)
    }

    @Test func textPresentationSymbolsAreOneColumn() {
        #expect(DisplayWidth.of("©") == 1)
        #expect(DisplayWidth.of("™") == 1)
        #expect(DisplayWidth.of("®") == 1)
        #expect(DisplayWidth.of("❤") == 1)
        #expect(DisplayWidth.of("…") == 1)
        #expect(DisplayWidth.of("€") == 1)
        #expect(DisplayWidth.of("─│┌") == 3)
    }

    @Test func zeroWidthOnTheirOwn() {
        #expect(DisplayWidth.of(Character("\u{200D}")) == 0) // ZWJ
        #expect(DisplayWidth.of(Character("\u{200B}")) == 0) // ZWSP
        #expect(DisplayWidth.of(Character("\u{FE0F}")) == 0)
        #expect(DisplayWidth.of(Character("\u{301}")) == 0)
        #expect(DisplayWidth.of(Character("\u{AD}")) == 0) // soft hyphen
        #expect(DisplayWidth.of(Character("\u{2060}")) == 0) // word joiner
        #expect(DisplayWidth.of(Character("\u{85}")) == 0) // C1
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
    }

    @Test func everyGraphemeIsZeroOneOrTwo() {
        for character in TextCorpus.all.joined() {
            #expect((0...2).contains(DisplayWidth.of(character)), "\(character.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        for string in TextCorpus.all {
            #expect(DisplayWidth.of(string) == string.reduce(0) { $0 + DisplayWidth.of($1) })
            #expect(DisplayWidth.of(string[...]) == DisplayWidth.of(string))
        }
    }

    @Test func wideTableIsSortedAndDisjoint() {
        let ranges = WideCodePoints.ranges
        for (previous, next) in zip(ranges, ranges.dropFirst()) {
            #expect(previous.upperBound < next.lowerBound)
        }
        #expect(ranges.first?.lowerBound == WideCodePoints.lowestWide)
        for range in ranges {
            #expect(WideCodePoints.contains(range.lowerBound))
            #expect(WideCodePoints.contains(range.upperBound))
        }
        #expect(!WideCodePoints.contains(0x10FF))
        #expect(!WideCodePoints.contains(0x303F))
        #expect(!WideCodePoints.contains(0x10FFFF))
    }
}

/// Mixed text for the property-style tests.
enum TextCorpus {
    static let all: [String] = [
        "",
        "a",
        "hello world",
        "The quick brown fox jumps over the lazy dog",
        "Crème brûlée à la carte",
        "Cre\u{300}me bru\u{302}le\u{301}e",
        "漢字かなカナ한국어",
        "中文 日本語 한국어 mixed with ASCII",
        "ＦＵＬＬＷＩＤＴＨ ｈａｌｆ ｱｲｳ",
        "😀👍🏽👨‍👩‍👧🏳️‍🌈🇩🇪🇫🇷1️⃣#️⃣❤️©™",
        "emoji 😀 in 👨‍👩‍👧 the 🇩🇪 middle 1️⃣ of words",
        "zero\u{200B}width\u{200D}joiner\u{FE0F}marks\u{301}\u{302}",
        "supercalifragilisticexpialidocious-and-then-some-more-text-without-spaces",
        "a  b   c    d     e",
        "   indented text",
        "trailing spaces   ",
        "x漢y字zかw",
        "🇩🇪🇫🇷🇮🇹🇪🇸🇬🇧🇺🇸🇯🇵",
        "Ελληνικά кириллица עברית العربية हिन्दी",
        "Z\u{351}\u{36B}\u{343}\u{36A}\u{302}a\u{334}\u{33C}l\u{357}g\u{34D}o",
        "one\ntwo\n\nfour",
        String(repeating: "漢", count: 30),
        String(repeating: "ab😀", count: 15),
    ]
}
