@testable import Console
import Testing

/// ncurses key codes (curses.h), spelled out so the tests need no ncurses.
private enum Code {
    static let down: UInt32 = 0o402, up: UInt32 = 0o403, left: UInt32 = 0o404, right: UInt32 = 0o405
    static let home: UInt32 = 0o406, backspace: UInt32 = 0o407, f0: UInt32 = 0o410
    static let delete: UInt32 = 0o512, insert: UInt32 = 0o513, pageDown: UInt32 = 0o522, pageUp: UInt32 = 0o523
    static let enter: UInt32 = 0o527, backTab: UInt32 = 0o541, end: UInt32 = 0o550, resize: UInt32 = 0o632
}

@Suite("Runtime: KeyDecoder")
struct KeyDecoderTests {
    private func key(_ input: KeyDecoder.RawInput) -> Key? {
        if case .key(let key) = KeyDecoder.decode(input) { return key }
        return nil
    }

    @Test func functionKeyCodes() {
        let expected: [(UInt32, Key)] = [
            (Code.up, .up), (Code.down, .down), (Code.left, .left), (Code.right, .right),
            (Code.home, .home), (Code.end, .end), (Code.pageUp, .pageUp), (Code.pageDown, .pageDown),
            (Code.delete, .delete), (Code.insert, .insert), (Code.backspace, .backspace),
            (Code.enter, .enter), (Code.backTab, .backTab),
        ]
        for (code, expectedKey) in expected {
            #expect(key(.keyCode(code)) == expectedKey, "code \(code)")
        }
        for n in 1...12 {
            #expect(key(.keyCode(Code.f0 + UInt32(n))) == .function(n))
        }
        #expect(KeyDecoder.decode(.keyCode(Code.f0 + 13)) == .ignored)
        #expect(KeyDecoder.decode(.keyCode(Code.resize)) == .resize)
    }

    @Test func characterCodes() {
        #expect(key(.character(13)) == .enter)
        #expect(key(.character(10)) == .enter)
        #expect(key(.character(9)) == .tab)
        #expect(key(.character(27)) == .escape)
        #expect(key(.character(127)) == .backspace)
        #expect(key(.character(8)) == .backspace)
        #expect(key(.character(3)) == .control("c"))
        #expect(key(.character(1)) == .control("a"))
        #expect(key(.character(19)) == .control("s"))
        #expect(key(.character(26)) == .control("z"))
        #expect(key(.character(UInt32(UInt8(ascii: "q")))) == .character("q"))
        #expect(key(.character(0xE9)) == .character("é"))
        #expect(key(.character(0x4E2D)) == .character("中"))
    }

    @Test func nothingToUse() {
        #expect(KeyDecoder.decode(KeyDecoder.RawInput(status: -1, code: 0)) == .ignored)
        #expect(KeyDecoder.decode(.character(0)) == .ignored)
        #expect(KeyDecoder.decode(.character(28)) == .ignored)
        #expect(KeyDecoder.decode(.character(0x9B)) == .ignored)
        #expect(KeyDecoder.decode(.character(0xD800)) == .ignored)
        #expect(KeyDecoder.decode(.keyCode(0o777)) == .ignored)
    }

    @Test func batchJoinsCombiningMarksAndReportsResize() {
        let batch: [KeyDecoder.RawInput] = [
            .character(UInt32(UInt8(ascii: "e"))), .character(0x301), .keyCode(Code.resize),
            .character(UInt32(UInt8(ascii: "x"))), .character(UInt32(UInt8(ascii: "y"))), .keyCode(Code.up),
        ]
        let decoded = KeyDecoder.decode(batch: batch)
        #expect(decoded.resized)
        #expect(decoded.keys == [.character("e\u{301}"), .character("x"), .character("y"), .up])
        #expect(KeyDecoder.decode(batch: [.character(27)]) == (keys: [.escape], resized: false))
    }
}
