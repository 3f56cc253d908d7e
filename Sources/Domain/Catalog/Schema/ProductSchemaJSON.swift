import Postgres

/// The canonical JSON of a schema, in exactly the reference's shape, leaving out absent keys (and the
/// defaults `"required": false`, `"scope": "product"`, an empty `validation`), so it parses back to an equal
/// schema and stores compactly.
extension ProductSchema {
    public var json: JSONValue {
        .object(["fields": .array(fields.map(\.json))])
    }
}

extension SchemaField {
    /// `{"name","type","label","required","options","default","help","scope","validation"}`, absent keys left out.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "type": .string(type.rawValue)]
        if let label { object["label"] = .string(label) }
        if required { object["required"] = .bool(true) }
        if let options {
            object["options"] = .array(options.map { .object(["value": .string($0.value), "label": .string($0.label)]) })
        }
        if let defaultValue { object["default"] = defaultValue }
        if let help { object["help"] = .string(help) }
        if scope != .product { object["scope"] = .string(scope.rawValue) }
        if !validation.isEmpty { object["validation"] = validation.json }
        return .object(object)
    }
}

extension FieldRules {
    /// `{"minLength":3,"maxLength":255,…}` with only the rules that are set.
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let minLength { object["minLength"] = .integer(Int64(minLength)) }
        if let maxLength { object["maxLength"] = .integer(Int64(maxLength)) }
        if let pattern { object["pattern"] = .string(pattern) }
        if let min { object["min"] = SchemaNumber.json(min) }
        if let max { object["max"] = SchemaNumber.json(max) }
        if let minItems { object["minItems"] = .integer(Int64(minItems)) }
        if let maxItems { object["maxItems"] = .integer(Int64(maxItems)) }
        return .object(object)
    }
}
