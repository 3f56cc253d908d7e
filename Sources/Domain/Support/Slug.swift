import Foundation

/// Turns a name into a URL-friendly slug: `"Cyberpunk 2077: Ultimate!"` → `cyberpunk-2077-ultimate`.
/// Letters with accents lose them, everything else that is not a letter or digit becomes one hyphen.
enum Slug {
    static func make(from name: String, maxLength: Int = 200) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var out = ""
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen && !out.isEmpty { out.append("-") }
                pendingHyphen = false
                out.unicodeScalars.append(scalar)
                if out.count >= maxLength { break }
            } else {
                pendingHyphen = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "item" : out
    }
}
