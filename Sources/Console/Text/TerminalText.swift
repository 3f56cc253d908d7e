/// Makes text from the database safe to draw: control and escape characters are removed so nothing
/// stored in a row can drive a staff member's terminal (design §5).
///
/// Removed: C0 and C1 controls and DEL; whole escape sequences — CSI (`ESC [` … final byte), OSC
/// (`ESC ]` … BEL or ST), DCS, SOS, PM and APC strings (… ST or BEL), two- and three-character escapes
/// (`ESC c`, `ESC ( B`) — in their 7-bit and 8-bit (U+009B CSI, U+009D OSC…) forms; bidi embeddings,
/// overrides and isolates (U+202A–202E, U+2066–2069); line and paragraph separators (U+2028, U+2029).
/// An unterminated string sequence runs to the end of the text, as it would in a terminal; CAN and SUB
/// cancel a sequence. A tab becomes one space; a newline (LF, CR or CRLF) becomes one space, or with
/// `keepingNewlines` LF is kept and CR dropped. Everything else, all printable Unicode, is kept as is.
public enum TerminalText {
    /// `text` as one line, safe to draw.
    public static func sanitized(_ text: String) -> String {
        sanitized(text, keepingNewlines: false)
    }

    /// `text` safe to draw; with `keepingNewlines` (multi-line viewers) its line feeds stay.
    public static func sanitized(_ text: String, keepingNewlines: Bool) -> String {
        guard text.unicodeScalars.contains(where: needsAttention) else { return text }
        var sanitizer = Sanitizer(keepingNewlines: keepingNewlines)
        sanitizer.output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { sanitizer.consume(scalar) }
        return String(sanitizer.output)
    }

    /// `text` sanitized to one line, then truncated to `maxColumns` display columns (with "…" when cut).
    public static func sanitizedForDisplay(_ text: String, maxColumns: Int) -> String {
        DisplayWidth.truncate(sanitized(text), to: maxColumns)
    }

    /// Whether a scalar is one the sanitizer removes or rewrites.
    static func needsAttention(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

/// The escape-sequence state machine, one scalar at a time.
private struct Sanitizer {
    enum State {
        case text
        /// After ESC.
        case escape
        /// After ESC and intermediate bytes (0x20–0x2F), waiting for the final byte.
        case escapeIntermediate
        /// Inside a CSI sequence, waiting for its final byte (0x40–0x7E).
        case controlSequence
        /// Inside an OSC, DCS, SOS, PM or APC string, waiting for its terminator.
        case controlString
        /// After ESC inside a control string: `\` ends the string, anything else starts a new escape.
        case controlStringEscape
    }

    let keepingNewlines: Bool
    var output = String.UnicodeScalarView()
    var state = State.text
    var previousWasCarriageReturn = false

    init(keepingNewlines: Bool) {
        self.keepingNewlines = keepingNewlines
    }

    mutating func consume(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        switch state {
        case .text:
            text(scalar)
        case .escape:
            switch value {
            case 0x5B: state = .controlSequence // [
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .controlString // ] P X ^ _
            case 0x20...0x2F: state = .escapeIntermediate
            case 0x30...0x7E: state = .text
            case 0x1B: state = .escape
            default: // not an escape sequence after all: drop the ESC only
                state = .text
                text(scalar)
            }
        case .escapeIntermediate:
            switch value {
            case 0x20...0x2F: break
            case 0x30...0x7E: state = .text
            case 0x1B: state = .escape
            default:
                state = .text
                text(scalar)
            }
        case .controlSequence:
            switch value {
            case 0x20...0x3F: break
            case 0x40...0x7E: state = .text
            case 0x1B: state = .escape
            default:
                state = .text
                text(scalar)
            }
        case .controlString:
            switch value {
            case 0x07, 0x9C, 0x18, 0x1A: state = .text // BEL, ST, CAN, SUB
            case 0x1B: state = .controlStringEscape
            default: break
            }
        case .controlStringEscape:
            if value == 0x5C { // ESC \ is ST
                state = .text
            } else {
                state = .escape
                consume(scalar)
            }
        }
    }

    private mutating func text(_ scalar: Unicode.Scalar) {
        let afterCarriageReturn = previousWasCarriageReturn
        previousWasCarriageReturn = false
        switch scalar.value {
        case 0x1B: state = .escape
        case 0x9B: state = .controlSequence
        case 0x90, 0x98, 0x9D, 0x9E, 0x9F: state = .controlString // DCS SOS OSC PM APC
        case 0x09: output.append(" ")
        case 0x0A:
            if keepingNewlines {
                output.append("\n")
            } else if !afterCarriageReturn {
                output.append(" ")
            }
        case 0x0D:
            if !keepingNewlines {
                output.append(" ")
                previousWasCarriageReturn = true
            }
        case 0x00...0x1F, 0x7F...0x9F, 0x2028...0x202E, 0x2066...0x2069:
            break
        default:
            output.append(scalar)
        }
    }
}
