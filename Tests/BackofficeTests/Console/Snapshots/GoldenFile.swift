import Foundation
import Testing
@testable import Console

/// Golden text files for headless snapshots: a frame's `textDump()` is compared with
/// `Snapshots/Golden/<name>.txt`. A missing or different file fails the test; the files are written only
/// when `BACKOFFICE_UPDATE_GOLDEN=1` is set (never silently), and the diff is shown line by line.
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["BACKOFFICE_UPDATE_GOLDEN"] == "1" }

    /// Checks `frame` against the golden file `<name>-<width>x<height>.txt`. `masking` replaces
    /// run-dependent text (a generated id) with a stable placeholder first.
    /// `patterns` (regular expressions) are replaced the same way, for text like "claimed 3 s ago".
    static func check(_ frame: CellBuffer, _ name: String, masking: [String: String] = [:], patterns: [String: String] = [:],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent("\(name)-\(frame.size.width)x\(frame.size.height).txt")
        var actual = frame.textDump() + "\n"
        for (text, placeholder) in masking { actual = actual.replacingOccurrences(of: text, with: placeholder) }
        for (pattern, placeholder) in patterns {
            actual = actual.replacingOccurrences(of: pattern, with: placeholder, options: .regularExpression)
        }
        if updating {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? Data(actual.utf8).write(to: file)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(file.lastPathComponent); run with BACKOFFICE_UPDATE_GOLDEN=1 to write it. Frame:\n\(actual)",
                         sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(want.count, got.count) {
            let w = index < want.count ? String(want[index]) : "<none>"
            let g = index < got.count ? String(got[index]) : "<none>"
            if w != g { lines.append("row \(index):\n  golden: |\(w)|\n  actual: |\(g)|") }
        }
        let report = "frame differs from \(file.lastPathComponent) (BACKOFFICE_UPDATE_GOLDEN=1 rewrites it):\n"
            + lines.joined(separator: "\n") + "\nFull frame:\n" + actual
        Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
    }
}
