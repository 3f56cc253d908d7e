/// Reads and writes one-dimensional PostgreSQL array literals (`{a,"b c",NULL}`).
enum PostgresArrayLiteral {
    /// Quotes one element for an array literal; nil is the NULL element.
    static func quote(_ element: String?) -> String {
        guard let element else { return "NULL" }
        var out = "\""
        for ch in element.unicodeScalars {
            if ch == "\"" || ch == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(ch)
        }
        return out + "\""
    }

    /// Splits an array literal into its elements; nil elements are NULL. Returns nil when malformed or
    /// multi-dimensional.
    static func parse(_ text: String) -> [String?]? {
        var scalars = Substring(text).unicodeScalars[...]
        // Skip an explicit dimension decoration such as "[0:1]=".
        if scalars.first == "[" {
            guard let eq = scalars.firstIndex(of: "=") else { return nil }
            scalars = scalars[scalars.index(after: eq)...]
        }
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        scalars = scalars.dropFirst().dropLast()
        var result: [String?] = []
        if scalars.isEmpty { return result }
        var iterator = scalars.makeIterator()
        var current = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        while let c = iterator.next() {
            if quoted {
                if c == "\\" {
                    if let next = iterator.next() { current.append(next) }
                } else if c == "\"" {
                    quoted = false
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
                wasQuoted = true
            } else if c == "{" {
                return nil
            } else if c == "," {
                result.append(element(current, wasQuoted))
                current = String.UnicodeScalarView()
                wasQuoted = false
            } else {
                current.append(c)
            }
        }
        if quoted { return nil }
        result.append(element(current, wasQuoted))
        return result
    }

    private static func element(_ scalars: String.UnicodeScalarView, _ wasQuoted: Bool) -> String? {
        let s = String(scalars)
        if !wasQuoted {
            let trimmed = s.trimmingCharacters(in: " ")
            return trimmed.uppercased() == "NULL" ? nil : trimmed
        }
        return s
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}
