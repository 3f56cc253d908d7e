import Foundation
import Testing
@testable import Console

@Suite struct ThemeBuiltInTests {
    @Test func everyBuiltInParsesAndSetsEveryRoleItself() throws {
        for builtIn in BuiltInTheme.allCases {
            let document = try ThemeDocument.parse(text: builtIn.text, file: "themes/" + builtIn.fileName)
            #expect(document.inherit == nil, "\(builtIn.fileName) must not inherit")
            #expect(Set(document.styles.keys) == Set(ThemeRole.allCases), "\(builtIn.fileName) sets every role")
            #expect(document.name?.isEmpty == false)
            #expect(builtIn.theme.styles == document.styles)
            #expect(BuiltInTheme(name: builtIn.rawValue) == builtIn)
        }
        #expect(Theme.default.name == "Default dark")
        #expect(Set(BuiltInTheme.allCases.map(\.theme.name)).count == 4)
        #expect(BuiltInTheme(name: "High-Contrast") == .highContrast)
        #expect(BuiltInTheme(name: "solarized") == nil)
    }

    @Test func onlyMonoIsColourless() {
        #expect(Theme.mono.isMonochrome)
        for role in ThemeRole.allCases {
            #expect(Theme.mono.style(role).foreground == .default)
            #expect(Theme.mono.style(role).background == .default)
        }
        #expect(Theme.mono.style(.selection).attributes.contains(.reverse))
        #expect(!Theme.default.isMonochrome)
        #expect(!Theme.light.isMonochrome)
        #expect(!Theme.highContrast.isMonochrome)
    }

    @Test func selectionStandsOutInEveryBuiltIn() {
        for builtIn in BuiltInTheme.allCases {
            let theme = builtIn.theme
            #expect(theme.style(.selection) != theme.style(.normal), "\(builtIn)")
            #expect(theme.style(.selection) != theme.style(.selectionInactive), "\(builtIn)")
            #expect(theme.style(.borderFocused) != theme.style(.border), "\(builtIn)")
            #expect(theme.style(.inputFocused) != theme.style(.input), "\(builtIn)")
        }
    }

    @Test func monochromeStripsColoursKeepsAttributesAndReversesSelections() {
        let plain = Theme.default.monochrome()
        #expect(plain.isMonochrome)
        for role in ThemeRole.allCases {
            #expect(plain.style(role).attributes.isSuperset(of: Theme.default.style(role).attributes))
        }
        #expect(plain.style(.selection).attributes.contains(.reverse))
        #expect(plain.style(.selectionInactive).attributes.contains(.reverse))
        #expect(plain.style(.muted) == Style.plain)
    }
}

@Suite struct ThemeAccentTests {
    @Test func theAccentRecoloursAccentFocusedBorderAndStatusBarAccent() {
        let brand = TerminalColor.rgb(0xe6, 0x39, 0x46)
        let theme = Theme.default.withAccent(brand)
        #expect(theme.style(.accent) == Style(foreground: brand, attributes: .bold))
        #expect(theme.style(.borderFocused) == Style(foreground: brand))
        #expect(theme.style(.statusBarAccent) == Style(foreground: .ansi(0), background: brand, attributes: .bold))
        let changed: Set<ThemeRole> = [.accent, .borderFocused, .statusBarAccent]
        for role in ThemeRole.allCases where !changed.contains(role) {
            #expect(theme.style(role) == Theme.default.style(role), "\(role)")
        }
    }

    @Test func aStatusBarAccentWithoutBackgroundTakesTheAccentAsForeground() throws {
        let theme = try Theme.parse(text: "status-bar-accent = cyan, bold\n", file: "t.theme").withAccent(.ansi(5))
        #expect(theme.style(.statusBarAccent) == Style(foreground: .ansi(5), attributes: .bold))
    }

    @Test func monoIgnoresTheAccent() {
        #expect(Theme.mono.withAccent(.ansi(1)) == Theme.mono)
        #expect(Theme.default.monochrome().withAccent(.rgb(1, 2, 3)).isMonochrome)
    }

    @Test func theAccentIsFittedToTheTerminal() {
        let theme = Theme.default.fitted(toColors: 16).withAccent(.rgb(255, 0, 0))
        #expect(theme.style(.accent).foreground == .ansi(9))
        #expect(Theme.default.fitted(toColors: 256).withAccent(.rgb(255, 0, 0)).style(.accent).foreground == .indexed(196))
        #expect(Theme.default.withAccent(.rgb(255, 0, 0)).style(.accent).foreground == .rgb(255, 0, 0))
    }
}

@Suite struct ThemeColorTests {
    @Test func nearest256Examples() {
        #expect(TerminalColor.nearest256(0, 0, 0) == 16)
        #expect(TerminalColor.nearest256(255, 255, 255) == 231)
        #expect(TerminalColor.nearest256(255, 0, 0) == 196)
        #expect(TerminalColor.nearest256(0, 255, 0) == 46)
        #expect(TerminalColor.nearest256(0, 0, 255) == 21)
        #expect(TerminalColor.nearest256(0x5f, 0x87, 0xaf) == 67)
        #expect(TerminalColor.nearest256(255, 165, 0) == 214)
        #expect(TerminalColor.nearest256(128, 128, 128) == 244)
        #expect(TerminalColor.nearest256(18, 18, 18) == 233)
        #expect(TerminalColor.nearest256(0xee, 0xee, 0xee) == 255)
    }

    @Test func nearest16Examples() {
        #expect(TerminalColor.nearest16(0, 0, 0) == 0)
        #expect(TerminalColor.nearest16(255, 255, 255) == 15)
        #expect(TerminalColor.nearest16(255, 0, 0) == 9)
        #expect(TerminalColor.nearest16(200, 0, 0) == 1)
        #expect(TerminalColor.nearest16(0, 0, 230) == 4)
        #expect(TerminalColor.nearest16(128, 128, 128) == 8)
        #expect(TerminalColor.nearest16(230, 230, 230) == 7)
        #expect(TerminalColor.nearest16(255, 165, 0) == 3)
        #expect(TerminalColor.nearest8(255, 255, 255) == 7)
    }

    @Test func coloursFitTheTerminal() {
        let red = TerminalColor.rgb(255, 0, 0)
        #expect(red.fitted(toColors: 1 << 24) == red)
        #expect(red.fitted(toColors: 256) == .indexed(196))
        #expect(red.fitted(toColors: 16) == .ansi(9))
        #expect(red.fitted(toColors: 8) == .ansi(1))
        #expect(red.fitted(toColors: 2) == .default)
        #expect(TerminalColor.indexed(196).fitted(toColors: 16) == .ansi(9))
        #expect(TerminalColor.indexed(3).fitted(toColors: 16) == .ansi(3))
        #expect(TerminalColor.indexed(235).fitted(toColors: 256) == .indexed(235))
        #expect(TerminalColor.ansi(9).fitted(toColors: 8) == .ansi(1))
        #expect(TerminalColor.default.fitted(toColors: 8) == .default)
    }

    @Test func themesFitTheTerminal() {
        let sixteen = Theme.default.fitted(toColors: 16)
        for role in ThemeRole.allCases {
            for colour in [sixteen.style(role).foreground, sixteen.style(role).background] {
                if case .ansi(let index) = colour { #expect(index < 16) } else { #expect(colour == .default, "\(role)") }
            }
            #expect(sixteen.style(role).attributes == Theme.default.style(role).attributes)
        }
        #expect(Theme.light.fitted(toColors: 256) == Theme.light.fitted(toColors: 256).fitted(toColors: 1 << 24))
        #expect(Theme.highContrast.fitted(toColors: 4).isMonochrome)
    }
}
