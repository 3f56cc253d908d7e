/// Fuzzy matching for the command palette: the query's characters must appear in the candidate in
/// order (case-insensitive, spaces in the query ignored). Matches that are consecutive, start words or
/// start the candidate score higher, so "ps" ranks "Products: search" above "Open settings".
public enum FuzzyMatch {
    /// A match: its score (higher is better) and the matched character offsets, for highlighting.
    public struct Result: Sendable, Equatable {
        public var score: Int
        public var positions: [Int]
    }

    /// The best-effort match of `query` in `candidate`, or nil when the characters are not all there.
    public static func match(_ query: String, in candidate: String) -> Result? {
        let needle = Array(query.lowercased().filter { !$0.isWhitespace })
        let haystack = Array(candidate.lowercased())
        guard !needle.isEmpty else { return Result(score: 0, positions: []) }
        var positions: [Int] = []
        var score = 0
        var start = 0
        for character in needle {
            // Prefer a word start at or after `start`; else the first occurrence.
            var found: Int?
            var index = start
            while index < haystack.count {
                if haystack[index] == character {
                    if found == nil { found = index }
                    if isWordStart(haystack, index) {
                        found = index
                        break
                    }
                    if let last = positions.last, index == last + 1 { break }
                }
                index += 1
            }
            guard let position = found else { return nil }
            if position == 0 { score += 8 }
            if isWordStart(haystack, position) { score += 6 }
            if let last = positions.last, position == last + 1 { score += 5 }
            score -= min(position - start, 10)
            positions.append(position)
            start = position + 1
        }
        score -= haystack.count / 8
        return Result(score: score, positions: positions)
    }

    /// Candidates that match, best first (ties keep their order).
    public static func rank<T>(_ query: String, _ candidates: [T], by text: (T) -> String) -> [(T, Result)] {
        candidates.enumerated()
            .compactMap { offset, candidate in match(query, in: text(candidate)).map { (offset, candidate, $0) } }
            .sorted { $0.2.score != $1.2.score ? $0.2.score > $1.2.score : $0.0 < $1.0 }
            .map { ($0.1, $0.2) }
    }

    private static func isWordStart(_ text: [Character], _ index: Int) -> Bool {
        index == 0 || !(text[index - 1].isLetter || text[index - 1].isNumber)
    }
}
