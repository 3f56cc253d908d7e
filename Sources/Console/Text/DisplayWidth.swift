/// How many terminal columns text takes, measured per grapheme cluster (Swift `Character`) with our own
/// table rather than the C library's `wcwidth` (design §5), so the answer is the same on every machine and
/// in the headless canvas.
///
/// A grapheme's width is the width of its base (its widest scalar), never the sum of its scalars:
/// - 0: control characters (they are stripped before drawing anyway), combining marks, line and
///   paragraph separators, and default-ignorable code points (zero-width joiner and space, variation
///   selectors, soft hyphen, bidi controls, tags…) on their own;
/// - 2: East Asian Wide and Fullwidth characters (CJK ideographs, Hangul, kana, fullwidth forms…), emoji
///   with default emoji presentation, and emoji sequences: anything with VS16 (U+FE0F) on an emoji base,
///   keycaps, regional-indicator flags, modifier, tag and ZWJ sequences, each one grapheme;
/// - 1: everything else, including ambiguous-width characters and text-presentation symbols (©, ™).
public enum DisplayWidth {
    /// The width of one grapheme: 0, 1 or 2 columns.
    public static func of(_ character: Character) -> Int {
        if character.isASCII {
            // `asciiValue` of "\r\n" is "\n": a control either way.
            guard let byte = character.asciiValue else { return 0 }
            return byte >= 0x20 && byte < 0x7F ? 1 : 0
        }
        var width = 0
        var isFirst = true
        var emojiBase = false
        var hasVariationSelector16 = false
        var hasKeycap = false
        var hasJoiner = false
        var hasPictographic = false
        for scalar in character.unicodeScalars {
            switch scalar.value {
            case 0xFE0F: hasVariationSelector16 = true
            case 0x20E3: hasKeycap = true
            case 0x200D: hasJoiner = true
            default: break
            }
            let properties = scalar.properties
            if isFirst {
                emojiBase = properties.isEmoji
                isFirst = false
            }
            if isPictographic(scalar, properties) { hasPictographic = true }
            width = max(width, of(scalar))
        }
        if width < 2 {
            if (hasVariationSelector16 || hasKeycap) && emojiBase { return 2 }
            if hasJoiner && hasPictographic { return 2 }
        }
        return width
    }

    /// Stands in for Extended_Pictographic, which the standard library does not expose: the non-ASCII
    /// emoji, plus the pictographic planes' reserved code points (future emoji).
    private static func isPictographic(_ scalar: Unicode.Scalar, _ properties: Unicode.Scalar.Properties) -> Bool {
        scalar.value >= 0xA9 && (properties.isEmoji || (0x1F000...0x1FFFD).contains(scalar.value))
    }

    /// The width of a string: the sum of its graphemes' widths.
    public static func of(_ string: some StringProtocol) -> Int {
        var width = 0
        for byte in string.utf8 {
            guard byte < 0x80 else { return widthByGrapheme(string) }
            if byte >= 0x20 && byte < 0x7F { width += 1 }
        }
        return width
    }

    private static func widthByGrapheme(_ string: some StringProtocol) -> Int {
        var width = 0
        for character in string { width += of(character) }
        return width
    }

    /// The width of one scalar seen on its own (a grapheme's base); sequences are judged by
    /// `of(_: Character)`.
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value < 0xA0 { return 0 } // DEL and the C1 controls
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .nonspacingMark, .enclosingMark, .lineSeparator, .paragraphSeparator:
            return 0
        default:
            break
        }
        // Before the default-ignorable check: the Hangul fillers are both, and drawing them wide
        // is the safe mistake.
        if WideCodePoints.contains(value) { return 2 }
        if properties.isDefaultIgnorableCodePoint { return 0 }
        if properties.isEmojiPresentation { return 2 }
        return 1
    }
}
