import Testing
@testable import Console

@Suite struct TerminalTextTests {
    typealias T = TerminalText

    @Test func keepsNormalUnicode() {
        for text in TextCorpus.all where !text.contains("\n") {
            #expect(T.sanitized(text) == text)
        }
        let mixed = "Crème 漢字 한국어 😀 👨‍👩‍👧 🇩🇪 1️⃣ © ™ עברית العربية e\u{301} \u{200D}\u{200E}"
        #expect(T.sanitized(mixed) == mixed)
        #expect(T.sanitized(mixed, keepingNewlines: true) == mixed)
    }

    @Test func stripsControls() {
        #expect(T.sanitized("a\u{0}b\u{7}c\u{8}d\u{7F}e\u{85}f\u{9C}g") == "abcdefg")
        #expect(T.sanitized("a\u{B}b\u{C}c") == "abc")
        #expect(T.sanitized("a\u{2028}b\u{2029}c") == "abc")
    }

    @Test func tabsAndNewlines() {
        #expect(T.sanitized("a\tb") == "a b")
        #expect(T.sanitized("one\ntwo") == "one two")
        #expect(T.sanitized("one\r\ntwo") == "one two")
        #expect(T.sanitized("one\rtwo") == "one two")
        #expect(!T.sanitized("x\n\r\ny\u{2028}z").contains { $0.isNewline })
        #expect(T.sanitized("one\r\ntwo\nthree\r", keepingNewlines: true) == "one\ntwo\nthree")
        #expect(T.sanitized("a\tb\u{1B}[2Jc", keepingNewlines: true) == "a bc")
    }

    @Test func stripsCSI() {
        #expect(T.sanitized("before\u{1B}[2J\u{1B}[Hafter") == "beforeafter") // clear screen, home
        #expect(T.sanitized("\u{1B}[1;31mred\u{1B}[0m") == "red")
        #expect(T.sanitized("\u{1B}[?1049h\u{1B}[38;2;255;0;0mx") == "x")
        #expect(T.sanitized("a\u{1B}[6nb") == "ab") // device status report
        #expect(T.sanitized("a\u{9B}2Jb") == "ab") // 8-bit CSI
        #expect(T.sanitized("a\u{9B}31mb\u{9B}0m") == "ab")
        #expect(T.sanitized("a\u{1B}[12é") == "aé") // broken off by a non-ASCII scalar
    }

    @Test func stripsOSC() {
        // OSC 52: write to the clipboard.
        #expect(T.sanitized("x\u{1B}]52;c;ZWNobyBwd25lZA==\u{7}y") == "xy")
        #expect(T.sanitized("x\u{1B}]52;c;ZWNobyBwd25lZA==\u{1B}\\y") == "xy")
        #expect(T.sanitized("x\u{1B}]0;evil title\u{7}y") == "xy")
        #expect(T.sanitized("x\u{1B}]8;;https://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\y") == "xlinky") // hyperlink
        #expect(T.sanitized("x\u{9D}52;c;AAAA\u{9C}y") == "xy") // 8-bit OSC and ST
        #expect(T.sanitized("x\u{1B}]0;unterminated") == "x")
    }

    @Test func stripsOtherStringsAndEscapes() {
        #expect(T.sanitized("a\u{1B}P1$r0m\u{1B}\\b") == "ab") // DCS
        #expect(T.sanitized("a\u{1B}Xsos\u{1B}\\b") == "ab")
        #expect(T.sanitized("a\u{1B}^pm\u{1B}\\b") == "ab")
        #expect(T.sanitized("a\u{1B}_apc\u{1B}\\b") == "ab")
        #expect(T.sanitized("a\u{90}dcs\u{9C}b\u{9F}apc\u{9C}c\u{98}sos\u{9C}d\u{9E}pm\u{9C}e") == "abcde")
        #expect(T.sanitized("a\u{1B}cb") == "ab") // full reset
        #expect(T.sanitized("a\u{1B}(0b") == "ab") // line-drawing charset
        #expect(T.sanitized("a\u{1B}#8b") == "ab") // screen alignment test
        #expect(T.sanitized("a\u{1B}7\u{1B}8b") == "ab")
        #expect(T.sanitized("a\u{1B}") == "a")
        #expect(T.sanitized("a\u{1B}]x\u{18}b") == "ab") // CAN cancels
        #expect(T.sanitized("a\u{1B}]x\u{1B}[2Jb") == "ab") // ESC inside a string starts a new sequence
    }

    @Test func stripsBidiControls() {
        #expect(T.sanitized("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        for scalar in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let text = "a" + String(Character(Unicode.Scalar(UInt32(scalar))!)) + "b"
            #expect(T.sanitized(text) == "ab")
        }
    }

    @Test func resultHasNoControlScalars() {
        var hostile = ""
        for value in 0...0xA0 { hostile.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        // U+009D opened an OSC string (U+009E, U+009F and U+00A0 are inside it): ST ends it.
        hostile += "\u{1B}\\\u{2028}\u{2029}\u{202A}\u{202E}\u{2066}\u{2069}漢😀"
        for keepingNewlines in [false, true] {
            let result = T.sanitized(hostile, keepingNewlines: keepingNewlines)
            for scalar in result.unicodeScalars {
                let allowed = scalar.value >= 0x20 && !T.needsAttention(scalar) || (keepingNewlines && scalar == "\n")
                #expect(allowed, "U+\(String(scalar.value, radix: 16))")
            }
            #expect(result.hasSuffix("漢😀"))
        }
    }

    @Test func sanitizedForDisplay() {
        #expect(T.sanitizedForDisplay("\u{1B}[31mhello\u{1B}[0m world", maxColumns: 8) == "hello w…")
        #expect(T.sanitizedForDisplay("a\nb", maxColumns: 10) == "a b")
        #expect(T.sanitizedForDisplay("漢字かな", maxColumns: 5) == "漢字…")
        #expect(T.sanitizedForDisplay("abc", maxColumns: 0) == "")
    }

    @Test func hostileMegabyteIsQuick() {
        let piece = "\u{1B}[2J\u{1B}]52;c;QUFB\u{7}\u{9B}31m\u{202E}漢😀e\u{301}\u{1B}P$q\u{1B}\\\t\r\n\u{0}x"
        var hostile = ""
        while hostile.utf8.count < 1_000_000 { hostile += piece }
        let clock = ContinuousClock()
        let start = clock.now
        let result = T.sanitized(hostile)
        let display = T.sanitizedForDisplay(hostile, maxColumns: 80)
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        #expect(!result.unicodeScalars.contains(where: T.needsAttention))
        #expect(result.hasPrefix("漢😀e\u{301}  x漢"))
        #expect(DisplayWidth.of(display) == 80)

        // An unterminated OSC followed by a megabyte of text.
        let open = "ok\u{1B}]52;c;" + String(repeating: "A", count: 1_000_000)
        let start2 = clock.now
        #expect(T.sanitized(open) == "ok")
        #expect(clock.now - start2 < .seconds(2))
    }
}
