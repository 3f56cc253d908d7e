/// Turns what ncurses `get_wch` returned into `Key`s. A pure function over the raw (status, code) pair, so
/// it is tested without a terminal; the codes are ncurses' own (`KEY_UP` is 0o403, and so on).
public enum KeyDecoder {
    /// One `get_wch` result: `status` is `OK` (0) for a character, `KEY_CODE_YES` (0o400) for a function
    /// key code, `ERR` (-1) when nothing was read.
    public struct RawInput: Sendable, Hashable {
        public var status: Int32
        public var code: UInt32

        public init(status: Int32, code: UInt32) {
            self.status = status
            self.code = code
        }

        /// A character result (`OK`).
        public static func character(_ code: UInt32) -> RawInput { RawInput(status: ok, code: code) }
        /// A function key result (`KEY_CODE_YES`).
        public static func keyCode(_ code: UInt32) -> RawInput { RawInput(status: keyCodeYes, code: code) }
    }

    /// What one raw input means.
    public enum Decoded: Sendable, Hashable {
        case key(Key)
        /// `KEY_RESIZE`: the terminal changed size.
        case resize
        /// Nothing the console uses (`ERR`, an unmapped key code, a lone control character).
        case ignored
    }

    // ncurses' values (curses.h); fixed by the X/Open curses ABI.
    static let ok: Int32 = 0
    static let keyCodeYes: Int32 = 0o400
    static let keyDown: UInt32 = 0o402, keyUp: UInt32 = 0o403, keyLeft: UInt32 = 0o404, keyRight: UInt32 = 0o405
    static let keyHome: UInt32 = 0o406, keyBackspace: UInt32 = 0o407, keyF0: UInt32 = 0o410
    static let keyDelete: UInt32 = 0o512, keyInsert: UInt32 = 0o513
    static let keyPageDown: UInt32 = 0o522, keyPageUp: UInt32 = 0o523, keyEnter: UInt32 = 0o527
    static let keyBackTab: UInt32 = 0o541, keyEnd: UInt32 = 0o550, keyResize: UInt32 = 0o632

    public static func decode(_ input: RawInput) -> Decoded {
        switch input.status {
        case keyCodeYes: return decodeKeyCode(input.code)
        case ok: return decodeCharacter(input.code)
        default: return .ignored
        }
    }

    /// Decodes one drained batch, joining scalars that form one grapheme (a letter and its combining
    /// marks) into one `.character`, and reporting whether a resize was among them.
    public static func decode(batch: [RawInput]) -> (keys: [Key], resized: Bool) {
        var keys: [Key] = []
        var resized = false
        for input in batch {
            switch decode(input) {
            case .resize:
                resized = true
            case .ignored:
                continue
            case .key(.character(let next)):
                if case .character(let previous)? = keys.last {
                    let joined = String(previous) + String(next)
                    if joined.count == 1, let combined = joined.first {
                        keys[keys.count - 1] = .character(combined)
                        continue
                    }
                }
                keys.append(.character(next))
            case .key(let key):
                keys.append(key)
            }
        }
        return (keys, resized)
    }

    private static func decodeKeyCode(_ code: UInt32) -> Decoded {
        switch code {
        case keyUp: .key(.up)
        case keyDown: .key(.down)
        case keyLeft: .key(.left)
        case keyRight: .key(.right)
        case keyHome: .key(.home)
        case keyEnd: .key(.end)
        case keyPageUp: .key(.pageUp)
        case keyPageDown: .key(.pageDown)
        case keyDelete: .key(.delete)
        case keyInsert: .key(.insert)
        case keyBackspace: .key(.backspace)
        case keyEnter: .key(.enter)
        case keyBackTab: .key(.backTab)
        case keyResize: .resize
        case (keyF0 + 1)...(keyF0 + 12): .key(.function(Int(code - keyF0)))
        default: .ignored
        }
    }

    private static func decodeCharacter(_ code: UInt32) -> Decoded {
        switch code {
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(code - 1)))))
        case 0..<32, 128..<160:
            return .ignored
        default:
            guard let scalar = Unicode.Scalar(code) else { return .ignored }
            return .key(.character(Character(scalar)))
        }
    }
}
