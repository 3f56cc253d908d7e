import Foundation
import Testing
@testable import Console

@Suite struct ThemeParserTests {
    private func style(_ value: String) throws -> Style {
        try Theme.parse(text: "selection = \(value)\n", file: "t.theme").style(.selection)
    }

    @Test func everyColourFormRoundTrips() throws {
        var colours: [TerminalColor] = [.default]
        colours += (0..<16).map { TerminalColor.ansi(UInt8($0)) }
        colours += [0, 7, 16, 42, 196, 231, 232, 255].map { TerminalColor.indexed($0) }
        colours += [.rgb(0, 0, 0), .rgb(255, 255, 255), .rgb(0x1a, 0x2b, 0x3c), .rgb(0xff, 0x08, 0x80)]
        for colour in colours {
            let text = colour.themeText
            #expect(TerminalColor(themeText: text) == colour, "\(text)")
            #expect(try style("\(text) on \(text)") == Style(foreground: colour, background: colour))
        }
        #expect(TerminalColor.ansi(3).themeText == "yellow")
        #expect(TerminalColor.ansi(15).themeText == "bright-white")
        #expect(TerminalColor.indexed(42).themeText == "color(42)")
        #expect(TerminalColor.rgb(0x1a, 0x2b, 0x3c).themeText == "#1a2b3c")
    }

    @Test func colourSpellings() throws {
        #expect(try style("Bright-Cyan") == Style(foreground: .ansi(14)))
        #expect(try style("color( 200 )") == Style(foreground: .indexed(200)))
        #expect(try style("#FFa500") == Style(foreground: .rgb(255, 165, 0)))
        #expect(try style("on blue") == Style(background: .ansi(4)))
        #expect(try style("default on #000000") == Style(background: .rgb(0, 0, 0)))
    }

    @Test func everyAttributeRoundTrips() throws {
        for (name, attribute) in TextAttributes.themeNames {
            #expect(try style(name) == Style(attributes: attribute))
            #expect(try style("red, \(name)") == Style(foreground: .ansi(1), attributes: attribute))
            #expect(Style(attributes: attribute).themeText == name)
        }
        let all: TextAttributes = [.bold, .dim, .italic, .underline, .reverse]
        let full = Style(foreground: .ansi(0), background: .ansi(6), attributes: all)
        #expect(full.themeText == "black on cyan, bold, dim, italic, underline, reverse")
        #expect(try style(full.themeText) == full)
        #expect(try style("black on cyan, BOLD") == Style(foreground: .ansi(0), background: .ansi(6), attributes: .bold))
        #expect(try style("reverse, bold") == Style(attributes: [.reverse, .bold]))
        #expect(Style.plain.themeText == "default")
    }

    @Test func everyBuiltInRoundTripsThroughItsFileText() throws {
        for builtIn in BuiltInTheme.allCases {
            let theme = builtIn.theme
            let reparsed = try Theme.parse(text: theme.fileText, file: "copy.theme")
            #expect(reparsed == theme, "\(builtIn)")
        }
    }

    @Test func rolesNotGivenComeFromTheDefault() throws {
        let theme = try Theme.parse(text: "# mine\n\nname = Mine\nselection = black on red, bold\n", file: "mine.theme")
        #expect(theme.name == "Mine")
        #expect(theme.style(.selection) == Style(foreground: .ansi(0), background: .ansi(1), attributes: .bold))
        for role in ThemeRole.allCases where role != .selection {
            #expect(theme.style(role) == Theme.default.style(role), "\(role)")
        }
    }

    @Test func inheritStartsFromAnotherBuiltIn() throws {
        let theme = try Theme.parse(text: "accent = red\ninherit = light\n", file: "/home/x/warm.theme")
        #expect(theme.name == "warm")
        #expect(theme.style(.accent) == Style(foreground: .ansi(1)))
        for role in ThemeRole.allCases where role != .accent {
            #expect(theme.style(role) == Theme.light.style(role), "\(role)")
        }
        let mono = try Theme.parse(text: "inherit = MONO\n", file: "m.theme")
        #expect(mono.styles == Theme.mono.styles)
        let contrast = try Theme.parse(text: "inherit = high_contrast\n", file: "c.theme")
        #expect(contrast.styles == Theme.highContrast.styles)
    }

    @Test func keysMayBeCamelOrSnakeCaseAndLinesMayEndInCRLF() throws {
        let theme = try Theme.parse(text: "\u{FEFF}borderFocused = red\r\n  status_bar\t=  blue  \r\n", file: "t.theme")
        #expect(theme.style(.borderFocused) == Style(foreground: .ansi(1)))
        #expect(theme.style(.statusBar) == Style(foreground: .ansi(4)))
        #expect(ThemeRole(key: "TABLE-ROW-ALTERNATE") == .tableRowAlternate)
        #expect(ThemeRole(key: "nope") == nil)
    }

    // MARK: Errors

    private func error(_ text: String, file: String = "themes/broken.theme") -> ThemeError? {
        do {
            _ = try Theme.parse(text: text, file: file)
            return nil
        } catch {
            return error
        }
    }

    private func expectLocated(_ error: ThemeError?, line: Int, key: String, kind: ThemeError.Kind) {
        #expect(error?.file == "themes/broken.theme")
        #expect(error?.line == line)
        #expect(error?.key == key)
        #expect(error?.kind == kind)
        let description = error?.description ?? ""
        #expect(description.hasPrefix("themes/broken.theme:\(line): key '\(key)': "), "\(description)")
    }

    @Test func anUnknownRoleNamesFileLineAndKeyAndListsTheValidOnes() {
        let error = error("name = X\n# comment\nselectoin = red\n")
        expectLocated(error, line: 3, key: "selectoin", kind: .unknownRole)
        for role in ThemeRole.allCases { #expect(error?.message.contains(role.rawValue) == true) }
        #expect(error?.message.contains("inherit") == true)
    }

    @Test func anUnknownColourNamesFileLineAndKey() {
        expectLocated(error("\nheader = black on cyna\n"), line: 2, key: "header", kind: .unknownColor("cyna"))
        expectLocated(error("header = color(256)\n"), line: 1, key: "header", kind: .unknownColor("color(256)"))
        expectLocated(error("header = #12345\n"), line: 1, key: "header", kind: .unknownColor("#12345"))
        expectLocated(error("header = red on\n"), line: 1, key: "header", kind: .unknownColor(""))
        expectLocated(error("header = red blue\n"), line: 1, key: "header", kind: .unknownColor("red blue"))
        #expect(error("header = pink\n")?.message.contains("#rrggbb") == true)
    }

    @Test func anUnknownAttributeNamesFileLineAndKey() {
        let blink = error("\n\n\nmuted = white, blink\n")
        expectLocated(blink, line: 4, key: "muted", kind: .unknownAttribute("blink"))
        let colourLate = error("muted = bold, red\n")
        expectLocated(colourLate, line: 1, key: "muted", kind: .unknownAttribute("red"))
        #expect(colourLate?.message.contains("colours come first") == true)
    }

    @Test func aDuplicateKeyNamesBothLines() {
        let error = error("selection = red\nnormal = default\nSelection = blue\n")
        expectLocated(error, line: 3, key: "Selection", kind: .duplicateKey(firstLine: 1))
        #expect(error?.message.contains("line 1") == true)
        expectLocated(self.error("name = A\nname = B\n"), line: 2, key: "name", kind: .duplicateKey(firstLine: 1))
    }

    @Test func aLineWithoutEqualsNamesFileLineAndKey() {
        expectLocated(error("name = X\nselection black on cyan\n"), line: 2, key: "selection", kind: .missingEquals)
        expectLocated(error("= red\n"), line: 1, key: "", kind: .missingEquals)
    }

    @Test func otherMistakesNameFileLineAndKey() {
        expectLocated(error("accent =\n"), line: 1, key: "accent", kind: .missingValue)
        expectLocated(error("inherit = solarized\n"), line: 1, key: "inherit", kind: .unknownTheme("solarized"))
        #expect(error("inherit = solarized\n")?.message.contains("high-contrast") == true)
    }

    @Test func anUnreadableFileNamesTheFile() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID()).theme").path
        #expect(throws: ThemeError(file: path, line: 0, key: "", kind: .unreadable("no such file"))) {
            try Theme.load(path: path)
        }
    }
}
