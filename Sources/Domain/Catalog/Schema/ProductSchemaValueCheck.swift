import Postgres

/// The one validator every write path uses (console forms, CLI, services): checks a product's or a
/// variant's field values against the schema, reporting every problem at once.
extension ProductSchema {
    /// More keys than this in one values object are refused outright, before looking at any of them.
    static let maximumValueKeys = 1_000
    /// All pattern matching of one check together may take at most this long.
    static let patternTimeBudget = Duration.milliseconds(500)

    /// Checks `values` (a JSON object of field name → value) for the fields of `scope`.
    ///
    /// Unknown keys, missing required fields and every rule of every field are reported together. With
    /// `partial` (an update that sends only what changes) absent fields are not required and get no defaults;
    /// a required field explicitly set to null is still refused, since that would clear it.
    public func check(_ values: JSONValue, scope: FieldScope, partial: Bool = false) -> SchemaCheck {
        guard case .object(let object) = values else {
            return SchemaCheck(issues: [FieldIssue(field: "data", rule: "type",
                                                   message: "field values must be a JSON object like {\"title\": \"…\"} (got \(SchemaText.kind(of: values)))")],
                               values: [:])
        }
        guard object.count <= Self.maximumValueKeys else {
            return SchemaCheck(issues: [FieldIssue(field: "data", rule: "size",
                                                   message: "field values have \(object.count) keys; at most \(Self.maximumValueKeys) are accepted")],
                               values: [:])
        }
        var issues: [FieldIssue] = []
        var normalised: [String: JSONValue] = [:]
        let own = fields(in: scope)
        let patternDeadline = ContinuousClock.now.advanced(by: Self.patternTimeBudget)
        for field in own {
            switch object[field.name] {
            case nil:
                if partial { continue }
                if field.required {
                    issues.append(FieldIssue(field: field.name, rule: "required", message: "\(field.name) is required"))
                } else if let value = field.defaultValue {
                    normalised[field.name] = value
                }
            case .null?:
                if field.required {
                    issues.append(FieldIssue(field: field.name, rule: "required", message: "\(field.name) is required and cannot be null"))
                } else if partial {
                    normalised[field.name] = .null
                } else if let value = field.defaultValue {
                    normalised[field.name] = value
                }
            case let value?:
                var check = FieldValueCheck(field: field, path: field.name, patternDeadline: patternDeadline)
                if let value = check.run(value) { normalised[field.name] = value }
                issues += check.issues
            }
        }
        let ownNames = Set(own.map(\.name))
        for key in object.keys.sorted() where !ownNames.contains(key) {
            let shown = Self.shortened(key)
            if let other = field(named: key) {
                let place = other.scope == .variant ? "on each variant, not on the product" : "on the product, not on a variant"
                issues.append(FieldIssue(field: shown, rule: "unknownField", message: "\(shown) is a \(other.scope.rawValue) field: set it \(place)"))
            } else {
                let known = own.isEmpty ? "this product type has no \(scope.rawValue) fields" : "known \(scope.rawValue) fields: " + own.map(\.name).joined(separator: ", ")
                issues.append(FieldIssue(field: shown, rule: "unknownField", message: "unknown field '\(shown)' (\(known))"))
            }
        }
        return SchemaCheck(issues: issues, values: normalised)
    }

    /// A key as messages show it: at most 100 characters.
    static func shortened(_ text: String) -> String {
        guard let end = text.index(text.startIndex, offsetBy: 100, limitedBy: text.endIndex), end != text.endIndex else { return text }
        return text[..<end] + "…"
    }
}
