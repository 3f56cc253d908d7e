import Foundation

/// How colours are written in theme files, and how a colour is brought down to what a terminal can show.
extension TerminalColor {
    /// The names of the 16 ANSI colours, by index.
    public static let ansiNames: [String] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// A colour as theme files write it: `default`, an ANSI name (`bright-white`), `color(0-255)` or
    /// `#rrggbb`. Case-insensitive; `nil` when the text is none of these.
    public init?(themeText: String) {
        let text = String(themeText.lowercased().filter { !$0.isWhitespace })
        if text == "default" {
            self = .default
        } else if let index = TerminalColor.ansiNames.firstIndex(of: text) {
            self = .ansi(UInt8(index))
        } else if text.hasPrefix("color("), text.hasSuffix(")") {
            let digits = text.dropFirst("color(".count).dropLast()
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  digits.count <= 3, let index = UInt8(digits) else { return nil }
            self = .indexed(index)
        } else if text.hasPrefix("#") {
            let hex = text.dropFirst()
            guard hex.count == 6, hex.allSatisfy(\.isHexDigit), let value = UInt32(hex, radix: 16) else { return nil }
            self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        } else {
            return nil
        }
    }

    /// The colour as a theme file writes it; `TerminalColor(themeText:)` reads it back.
    public var themeText: String {
        switch self {
        case .default: "default"
        case .ansi(let index): index < 16 ? TerminalColor.ansiNames[Int(index)] : "color(\(index))"
        case .indexed(let index): "color(\(index))"
        case .rgb(let r, let g, let b): "#" + [r, g, b].map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        }
    }

    // MARK: Fewer colours

    /// The xterm 256-colour palette index closest to an RGB colour, from the 6×6×6 cube (16–231) and
    /// the grey ramp (232–255). The 16 system colours are never chosen: terminals redefine them.
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let levels = [0, 95, 135, 175, 215, 255]
        func cubeStep(_ value: UInt8) -> Int {
            var best = 0
            for (step, level) in levels.enumerated() where abs(level - Int(value)) < abs(levels[best] - Int(value)) {
                best = step
            }
            return best
        }
        let (cr, cg, cb) = (cubeStep(r), cubeStep(g), cubeStep(b))
        let cube = 16 + 36 * cr + 6 * cg + cb
        let cubeDistance = distance((levels[cr], levels[cg], levels[cb]), (Int(r), Int(g), Int(b)))
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = min(23, max(0, (average - 3) / 10)) // greys are 8, 18, …, 238
        let grey = 8 + 10 * greyStep
        let greyDistance = distance((grey, grey, grey), (Int(r), Int(g), Int(b)))
        return UInt8(greyDistance < cubeDistance ? 232 + greyStep : cube)
    }

    /// The ANSI colour (0–15) closest to an RGB colour, measured against xterm's default palette.
    public static func nearest16(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        nearest(r, g, b, among: 16)
    }

    /// The standard colour (0–7) closest to an RGB colour, for 8-colour terminals.
    static func nearest8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        nearest(r, g, b, among: 8)
    }

    /// xterm's default RGB values of the 16 ANSI colours.
    static let ansiPalette: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB value of a 256-colour palette index (xterm defaults for 0–15).
    static func rgb(ofIndex index: UInt8) -> (Int, Int, Int) {
        let index = Int(index)
        switch index {
        case 0..<16:
            return ansiPalette[index]
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let cube = index - 16
            return (levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6])
        default:
            let grey = 8 + 10 * (index - 232)
            return (grey, grey, grey)
        }
    }

    private static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, among count: Int) -> UInt8 {
        let target = (Int(r), Int(g), Int(b))
        var best = 0
        for index in 1..<count where distance(ansiPalette[index], target) < distance(ansiPalette[best], target) {
            best = index
        }
        return UInt8(best)
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }

    /// This colour as a terminal with `colors` colours can show it: 24-bit colour is kept from 2^24
    /// colours up, becomes the nearest palette index from 256 up, the nearest ANSI colour from 16 up
    /// and the nearest of the first eight from 8 up. Below 8 every colour becomes `.default`.
    public func fitted(toColors colors: Int) -> TerminalColor {
        switch self {
        case .default:
            return .default
        case .ansi(let index):
            if colors >= 16 { return self }
            if colors >= 8 { return .ansi(index % 8) }
            return .default
        case .indexed(let index):
            if colors >= 256 { return self }
            if index < 16 { return TerminalColor.ansi(index).fitted(toColors: colors) }
            let (r, g, b) = TerminalColor.rgb(ofIndex: index)
            return TerminalColor.rgb(UInt8(r), UInt8(g), UInt8(b)).fitted(toColors: colors)
        case .rgb(let r, let g, let b):
            if colors >= 1 << 24 { return self }
            if colors >= 256 { return .indexed(TerminalColor.nearest256(r, g, b)) }
            if colors >= 16 { return .ansi(TerminalColor.nearest16(r, g, b)) }
            if colors >= 8 { return .ansi(TerminalColor.nearest8(r, g, b)) }
            return .default
        }
    }
}

extension TextAttributes {
    /// The attributes theme files name, in the order they are written.
    public static let themeNames: [(name: String, attribute: TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic), ("underline", .underline), ("reverse", .reverse),
    ]

    /// The attribute a theme file names (case-insensitive), or `nil`.
    public init?(themeName: String) {
        let name = themeName.trimmingCharacters(in: .whitespaces).lowercased()
        guard let entry = TextAttributes.themeNames.first(where: { $0.name == name }) else { return nil }
        self = entry.attribute
    }
}

extension Style {
    /// The style as a theme file writes it: `fg on bg, attribute, …`, e.g. `black on cyan, bold`.
    /// A default background is left out; a style with only attributes is just the attributes.
    public var themeText: String {
        var colour: String?
        switch (foreground, background) {
        case (.default, .default): colour = attributes.isEmpty ? "default" : nil
        case (_, .default): colour = foreground.themeText
        default: colour = "\(foreground.themeText) on \(background.themeText)"
        }
        let names = TextAttributes.themeNames.filter { attributes.contains($0.attribute) }.map(\.name)
        return ([colour].compactMap { $0 } + names).joined(separator: ", ")
    }
}
