import Postgres

/// Keeps a product type's `ui_config` in step with the schema editor's fields. The config names fields
/// in lists under `"fields"` keys (`{"sections": [{"title": "Game", "fields": ["title", "platform"]}]}`);
/// saved as loaded, a renamed field would be listed under its old name and a removed one would linger.
/// Everything else in the config is kept as it is.
enum SchemaEditorUIConfig {
    /// `config` with every `"fields"` list of names following `fields`: a name a field had when the type
    /// was read becomes that field's name now; a name no field has any more is dropped.
    static func following(_ config: JSONValue, fields: [SchemaEditorField]) -> JSONValue {
        var renamed: [String: String] = [:]
        for field in fields {
            if let original = field.originalName { renamed[original] = field.name }
        }
        let current = Set(fields.map(\.name))
        // A name is still the same field's when that field kept it, or when a field of that name was
        // added here and no field was read under it.
        func mapped(_ name: String) -> String? {
            if let now = renamed[name] { return now }
            return current.contains(name) ? name : nil
        }
        func walk(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let members):
                var result: [String: JSONValue] = [:]
                for (key, member) in members {
                    if key == "fields", case .array(let items) = member, items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                        var seen = Set<String>()
                        result[key] = .array(items.compactMap { item -> JSONValue? in
                            guard case .string(let name) = item, let now = mapped(name), seen.insert(now).inserted else { return nil }
                            return .string(now)
                        })
                    } else {
                        result[key] = walk(member)
                    }
                }
                return .object(result)
            case .array(let items):
                return .array(items.map(walk))
            default:
                return value
            }
        }
        return walk(config)
    }
}
