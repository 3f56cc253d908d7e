/// Finds regular expressions that can backtrack catastrophically: a repeated group that itself contains a
/// quantifier (`(a+)+`, `(a*)*`, `(\d+,)*`) or alternatives that can start alike (`(a|a)+`, `(a|ab)*`).
/// Such a pattern can take exponential time on a short string, so the schema check refuses it.
enum PatternSafety {
    /// The first character an alternative can match, as far as a quick scan can tell.
    private enum First: Equatable {
        case literal(Unicode.Scalar)
        case other
    }

    private struct Group {
        var containsQuantifier = false
        var firsts: [First?] = []
        var current: First?
        var atomCount = 0

        mutating func noteAtom(_ first: First) {
            if atomCount == 0 { current = first }
            atomCount += 1
        }

        mutating func endAlternative() {
            firsts.append(atomCount == 0 ? nil : current)
            current = nil
            atomCount = 0
        }

        /// Two alternatives may match the same first character (or one may match nothing).
        var alternativesOverlap: Bool {
            guard firsts.count > 1 else { return false }
            var seen: Set<String> = []
            for first in firsts {
                guard case .literal(let scalar) = first ?? .other else { return true }
                if !seen.insert(String(scalar).lowercased()).inserted { return true }
            }
            return false
        }
    }

    private enum Atom {
        case simple
        case group(Group)
    }

    /// Why `pattern` may take exponential time, or nil when the scan finds nothing dangerous. Unbalanced or
    /// otherwise broken patterns return nil here; compiling them reports the error.
    static func problem(in pattern: String) -> String? {
        let s = Array(pattern.unicodeScalars)
        var stack = [Group()]
        var last: Atom?
        var i = 0
        func atom(_ first: First) {
            stack[stack.count - 1].noteAtom(first)
        }
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                i += 1
                guard i < s.count else { return nil }
                let e = s[i]
                i += 1
                if e == "Q" {
                    // \Q…\E quotes literally.
                    let start = i
                    while i < s.count, !(s[i] == "\\" && i + 1 < s.count && s[i + 1] == "E") { i += 1 }
                    atom(i > start ? .literal(s[start]) : .other)
                    i = min(s.count, i + 2)
                } else {
                    if "pPxNk".unicodeScalars.contains(e), i < s.count, s[i] == "{" {
                        while i < s.count, s[i] != "}" { i += 1 }
                        i += 1
                    }
                    let isLiteral = !(e.properties.isAlphabetic || ("0"..."9").contains(e))
                    atom(isLiteral ? .literal(e) : .other)
                }
                last = .simple
            case "[":
                i = endOfClass(s, from: i)
                atom(.other)
                last = .simple
            case "(":
                i += 1
                if i < s.count, s[i] == "?" {
                    // (?#comment)
                    if i + 1 < s.count, s[i + 1] == "#" {
                        while i < s.count, s[i] != ")" { i += 1 }
                        i += 1
                        continue
                    }
                    // Flag settings: (?i) applies to the rest, (?i:…) opens a group.
                    var j = i + 1
                    while j < s.count, s[j].properties.isAlphabetic || s[j] == "-" { j += 1 }
                    if j > i + 1, j < s.count, s[j] == ")" {
                        i = j + 1
                        continue
                    }
                    if j > i + 1, j < s.count, s[j] == ":" {
                        i = j + 1
                    } else if i + 1 < s.count, s[i + 1] == "<", i + 2 < s.count, s[i + 2] != "=", s[i + 2] != "!" {
                        // (?<name>…)
                        while i < s.count, s[i] != ">" { i += 1 }
                        i += 1
                    } else {
                        // (?:…) (?=…) (?!…) (?>…) (?<=…) (?<!…)
                        i += 2
                        if i < s.count, s[i - 1] == "<" { i += 1 }
                    }
                }
                atom(.other)
                stack.append(Group())
                last = nil
            case ")":
                i += 1
                guard stack.count > 1 else { return nil }
                var group = stack.removeLast()
                group.endAlternative()
                if group.containsQuantifier { stack[stack.count - 1].containsQuantifier = true }
                last = .group(group)
            case "|":
                i += 1
                stack[stack.count - 1].endAlternative()
                last = nil
            case "*", "+", "?", "{":
                guard let (end, repeats, variable) = quantifier(s, at: i) else {
                    // A `{` that does not start a quantifier is a literal.
                    i += 1
                    atom(.literal(c))
                    last = .simple
                    continue
                }
                i = end
                // Lazy (`*?`) and possessive (`*+`) forms.
                if i < s.count, s[i] == "?" || s[i] == "+" { i += 1 }
                if repeats, case .group(let group) = last {
                    if group.containsQuantifier {
                        return "a repeated group contains another quantifier (like (a+)+), which can take exponential time; quantify only the inside or only the group"
                    }
                    if group.alternativesOverlap {
                        return "a repeated group has alternatives that can match the same text (like (a|a)+ or (a|ab)*), which can take exponential time; make each alternative start with a different character or use a character class"
                    }
                }
                if variable { stack[stack.count - 1].containsQuantifier = true }
                last = nil
            default:
                i += 1
                atom(c == "." || c == "^" || c == "$" ? .other : .literal(c))
                last = .simple
            }
        }
        return nil
    }

    /// The index after the `]` closing the class that opens at `start` (nested classes and escapes allowed).
    private static func endOfClass(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var i = start + 1
        var depth = 1
        if i < s.count, s[i] == "^" { i += 1 }
        if i < s.count, s[i] == "]" { i += 1 }
        while i < s.count, depth > 0 {
            switch s[i] {
            case "\\": i += 2
            case "[": depth += 1; i += 1
            case "]": depth -= 1; i += 1
            default: i += 1
            }
        }
        return min(i, s.count)
    }

    /// A quantifier at `i`: where it ends, whether it repeats (upper bound above one) and whether the
    /// count varies (so it can backtrack; `{3}` cannot).
    private static func quantifier(_ s: [Unicode.Scalar], at i: Int) -> (end: Int, repeats: Bool, variable: Bool)? {
        switch s[i] {
        case "*", "+": return (i + 1, true, true)
        case "?": return (i + 1, false, true)
        default:
            // {n}, {n,}, {n,m}
            var j = i + 1
            var lower = ""
            while j < s.count, ("0"..."9").contains(s[j]) { lower.unicodeScalars.append(s[j]); j += 1 }
            guard !lower.isEmpty, j < s.count else { return nil }
            let low = Int(lower) ?? Int.max
            if s[j] == "}" { return (j + 1, low > 1, false) }
            guard s[j] == "," else { return nil }
            j += 1
            var upper = ""
            while j < s.count, ("0"..."9").contains(s[j]) { upper.unicodeScalars.append(s[j]); j += 1 }
            guard j < s.count, s[j] == "}" else { return nil }
            let high = upper.isEmpty ? Int.max : (Int(upper) ?? Int.max)
            return (j + 1, high > 1, high != low)
        }
    }
}
