import Foundation

/// A field's `pattern` rule as a compiled, whole-string regular expression with a time budget, so a value
/// check can never hang on a pattern, however it was written.
struct SchemaPattern {
    /// The longest pattern a schema may hold.
    static let maximumLength = 500
    /// How long one match may run before the value is refused instead.
    static let timeBudget = Duration.milliseconds(100)

    let source: String
    private let expression: NSRegularExpression

    /// Compiles `source` to match whole strings only; throws the engine's complaint. The pattern must compile
    /// on its own first, so one like `a)|(b` cannot break out of the whole-string wrapper.
    init(_ source: String) throws {
        self.source = source
        _ = try NSRegularExpression(pattern: source)
        expression = try NSRegularExpression(pattern: "\\A(?:" + source + ")\\z")
    }

    enum Outcome {
        case match, noMatch, tooSlow
    }

    /// Whether all of `text` matches, giving up after the time budget or at `limit`, whichever is sooner.
    func matches(_ text: String, giveUpAt limit: ContinuousClock.Instant? = nil) -> Outcome {
        let clock = ContinuousClock()
        let own = clock.now.advanced(by: Self.timeBudget)
        let deadline = limit.map { min($0, own) } ?? own
        var outcome = Outcome.noMatch
        let range = NSRange(location: 0, length: text.utf16.count)
        expression.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
            if result != nil {
                outcome = .match
                stop.pointee = true
            } else if clock.now > deadline {
                outcome = .tooSlow
                stop.pointee = true
            }
        }
        return outcome
    }
}
