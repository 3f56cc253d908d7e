import Foundation
import Testing
@testable import Console

@Suite struct ThemeSelectionTests {
    private func resolve(
        _ argument: String? = nil, env: [String: String] = [:], colors: Int = 256, settings: String? = nil
    ) -> (theme: Theme, warning: String?) {
        ThemeSelection.resolve(argument: argument, environment: env, terminalColors: colors, settings: settings)
    }

    private func temporaryTheme(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("theme-test-\(UUID()).theme")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func withNothingChosenTheDefaultIsUsed() {
        let chosen = resolve()
        #expect(chosen.theme == Theme.default.fitted(toColors: 256))
        #expect(chosen.warning == nil)
        #expect(resolve(colors: 1 << 24).theme == Theme.default)
    }

    @Test func theArgumentBeatsTheEnvironmentWhichBeatsTheSettings() {
        let env = ["BACKOFFICE_THEME": "light"]
        #expect(resolve("high-contrast", env: env, settings: "mono").theme.name == Theme.highContrast.name)
        #expect(resolve(nil, env: env, settings: "high-contrast").theme.name == Theme.light.name)
        #expect(resolve(nil, settings: "high-contrast").theme.name == Theme.highContrast.name)
        #expect(resolve("  ", env: ["BACKOFFICE_THEME": ""], settings: "light").theme.name == Theme.light.name)
        #expect(resolve(nil, settings: "mono").theme == Theme.mono)
    }

    @Test func aValueMayBeTheThemeFilesPath() throws {
        let path = try temporaryTheme("name = Mine\ninherit = light\naccent = #ff0000\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chosen = resolve(nil, env: ["BACKOFFICE_THEME": path], colors: 1 << 24)
        #expect(chosen.warning == nil)
        #expect(chosen.theme.name == "Mine")
        #expect(chosen.theme.style(.accent) == Style(foreground: .rgb(255, 0, 0)))
        #expect(chosen.theme.style(.header) == Theme.light.style(.header))
        #expect(resolve(path, colors: 256).theme.style(.accent).foreground == .indexed(196))
    }

    @Test func aTildePathExpandsToHome() throws {
        let path = try temporaryTheme("name = Home\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let url = URL(fileURLWithPath: path)
        let chosen = resolve("~/" + url.lastPathComponent, env: ["HOME": url.deletingLastPathComponent().path])
        #expect(chosen.warning == nil)
        #expect(chosen.theme.name == "Home")
    }

    @Test func aBrokenFileGivesTheDefaultAndAWarningNamingFileLineAndKey() throws {
        let path = try temporaryTheme("name = Broken\n\nselection = black on cyna\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chosen = resolve(path, colors: 1 << 24)
        #expect(chosen.theme == Theme.default)
        let warning = try #require(chosen.warning)
        #expect(warning.contains("\(path):3: key 'selection'"), "\(warning)")
        #expect(warning.contains("cyna"))
        #expect(warning.contains("--theme"))
        #expect(warning.contains("default theme"))
    }

    @Test func aMissingFileOrUnknownNameGivesTheDefaultAndAWarning() {
        let missing = resolve(nil, env: ["BACKOFFICE_THEME": "/nonexistent/dir/x.theme"], colors: 1 << 24)
        #expect(missing.theme == Theme.default)
        #expect(missing.warning?.contains("/nonexistent/dir/x.theme") == true)
        #expect(missing.warning?.contains("BACKOFFICE_THEME") == true)
        let unknown = resolve(nil, settings: "solarized")
        #expect(unknown.theme == Theme.default.fitted(toColors: 256))
        #expect(unknown.warning?.contains("'solarized'") == true)
        #expect(unknown.warning?.contains("high-contrast") == true)
    }

    @Test func noColorForcesMono() throws {
        #expect(resolve("high-contrast", env: ["NO_COLOR": "1"]).theme == Theme.mono)
        #expect(resolve(env: ["NO_COLOR": "yes", "BACKOFFICE_THEME": "light"]).theme == Theme.mono)
        #expect(resolve("light", env: ["NO_COLOR": ""]).theme.name == Theme.light.name)
        let path = try temporaryTheme("selection = nope\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let broken = resolve(path, env: ["NO_COLOR": "1"])
        #expect(broken.theme == Theme.mono)
        #expect(broken.warning?.contains(":1: key 'selection'") == true)
    }

    @Test func aTerminalWithoutColoursGetsMono() {
        #expect(resolve("light", colors: 0).theme == Theme.mono)
        #expect(resolve(colors: 2).theme == Theme.mono)
        #expect(resolve(colors: 7).theme == Theme.mono)
        #expect(!resolve(colors: 8).theme.isMonochrome)
        #expect(resolve(colors: 0).theme.withAccent(.ansi(2)).isMonochrome)
    }

    @Test func anEightColourTerminalGetsOnlyTheFirstEightColours() {
        let theme = resolve("high-contrast", colors: 8).theme
        for role in ThemeRole.allCases {
            for colour in [theme.style(role).foreground, theme.style(role).background] {
                if case .ansi(let index) = colour { #expect(index < 8) } else { #expect(colour == .default) }
            }
        }
    }
}
