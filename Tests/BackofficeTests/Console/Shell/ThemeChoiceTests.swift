import Foundation
import Testing
@testable import Console
@testable import Domain

/// Choosing a theme in the palette: it applies at once, is saved in the console settings (0600), and
/// `NO_COLOR` still wins; the settings file is read back, and a broken one is reported, not fatal.
@Suite("Console: theme from the palette and the settings file")
struct ThemeChoiceTests {
    static func temporaryPath() -> String {
        NSTemporaryDirectory() + "bo-settings-\(UUID().uuidString.prefix(8))/backoffice/console.json"
    }

    @Test func choosingAThemeAppliesItAndSavesIt() throws {
        try TestDatabase.with { db in
            let path = ThemeChoiceTests.temporaryPath()
            defer { try? FileManager.default.removeItem(atPath: ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent) }
            let world = try ShellWorld(db)
            defer { world.services.close() }
            world.runner = HeadlessRunner(ConsoleShell(services: world.services, theme: .default,
                                                       appearance: Appearance(terminalColors: 256, settingsPath: path)),
                                          size: Size(width: 80, height: 24))
            world.send(.character(":"))
            world.type("theme light")
            world.send(.enter)
            #expect(world.shell.baseTheme == Theme.light.fitted(toColors: 256))
            #expect(world.shell.theme == world.shell.baseTheme)
            #expect(ConsoleSettings.load(path: path).settings.theme == "light")
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            // At the next start the settings choose it (after --theme and BACKOFFICE_THEME).
            let resolved = ThemeSelection.resolve(argument: nil, environment: [:], terminalColors: 256,
                                                  settings: ConsoleSettings.load(path: path).settings.theme)
            #expect(resolved.theme == Theme.light.fitted(toColors: 256))
        }
    }

    @Test func noColorKeepsMonoWhateverIsChosen() throws {
        try TestDatabase.with { db in
            let world = try ShellWorld(db)
            defer { world.services.close() }
            world.runner = HeadlessRunner(ConsoleShell(services: world.services, theme: .mono,
                                                       appearance: Appearance(environment: ["NO_COLOR": "1"], terminalColors: 256)),
                                          size: Size(width: 80, height: 24))
            world.send(.character(":"))
            world.type("theme high")
            world.send(.enter)
            #expect(world.shell.baseTheme == Theme.mono)
            #expect(world.shell.visibleNotices.contains { $0.text.contains("mono") })
        }
    }

    @Test func aBrokenSettingsFileIsReportedAndIgnored() throws {
        let path = ThemeChoiceTests.temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("{theme: light".utf8).write(to: URL(fileURLWithPath: path))
        let (settings, warning) = ConsoleSettings.load(path: path)
        #expect(settings == ConsoleSettings())
        #expect(warning?.contains(path) == true)
        #expect(ConsoleSettings.load(path: path + ".missing") == (ConsoleSettings(), nil))
    }
}
