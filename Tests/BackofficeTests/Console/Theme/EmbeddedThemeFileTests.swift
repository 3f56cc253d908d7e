import Foundation
import Testing
@testable import Console

/// The built-in themes are embedded as Swift strings (`Sources/Console/Theme/BuiltInThemeFiles.swift`);
/// the files in `themes/` are the source. These tests keep the two identical. After editing a theme file run
/// `BACKOFFICE_REGENERATE_THEMES=1 swift test --filter EmbeddedThemeFileTests` to rewrite the Swift file.
@Suite struct EmbeddedThemeFileTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Theme
        .deletingLastPathComponent() // Console
        .deletingLastPathComponent() // BackofficeTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()
    static let generatedFile = packageRoot.appendingPathComponent("Sources/Console/Theme/BuiltInThemeFiles.swift")

    static func fileText(_ builtIn: BuiltInTheme) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent("themes/" + builtIn.fileName), encoding: .utf8)
    }

    /// The Swift source that embeds the theme files' texts.
    static func generatedSource() throws -> String {
        var lines = [
            "// Generated from the files in themes/; do not edit by hand. After changing a theme file, run",
            "//     BACKOFFICE_REGENERATE_THEMES=1 swift test --filter EmbeddedThemeFileTests",
            "// EmbeddedThemeFileTests fails while this file and themes/ differ.",
            "",
            "/// The built-in theme files, embedded so the console needs no resources at run time.",
            "enum BuiltInThemeFiles {",
        ]
        for (index, builtIn) in BuiltInTheme.allCases.enumerated() {
            let text = try fileText(builtIn)
            var hashes = "#"
            while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
            let identifier = builtIn == .default ? "`default`" : "\(builtIn)"
            if index > 0 { lines.append("") }
            lines.append("    /// themes/\(builtIn.fileName)")
            lines.append("    static let \(identifier) = \(hashes)\"\"\"")
            lines.append(text + "\n\"\"\"" + hashes) // the newline before the closing delimiter is not part of the string
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theEmbeddedTextEqualsTheFilesOnDisk() throws {
        if ProcessInfo.processInfo.environment["BACKOFFICE_REGENERATE_THEMES"] == "1" {
            try Self.generatedSource().write(to: Self.generatedFile, atomically: true, encoding: .utf8)
            return // this build still embeds the old text; the next run checks the new one
        }
        for builtIn in BuiltInTheme.allCases {
            let onDisk = try Self.fileText(builtIn)
            #expect(!onDisk.contains("\r"), "themes/\(builtIn.fileName) must use LF line endings")
            #expect(builtIn.text == onDisk, """
                themes/\(builtIn.fileName) differs from its embedded copy; run \
                BACKOFFICE_REGENERATE_THEMES=1 swift test --filter EmbeddedThemeFileTests, then rebuild
                """)
        }
    }

    @Test func theGeneratedSwiftFileIsUpToDate() throws {
        let current = try String(contentsOf: Self.generatedFile, encoding: .utf8)
        #expect(current == (try Self.generatedSource()), """
            BuiltInThemeFiles.swift is stale; run BACKOFFICE_REGENERATE_THEMES=1 swift test --filter EmbeddedThemeFileTests
            """)
    }

    @Test func everyThemeFileInTheDirectoryLoads() throws {
        let directory = Self.packageRoot.appendingPathComponent("themes")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".theme") }
        #expect(Set(names).isSuperset(of: BuiltInTheme.allCases.map(\.fileName)))
        for name in names {
            #expect(throws: Never.self) { try Theme.load(path: directory.appendingPathComponent(name).path) }
        }
    }
}
