import MCP

/// JSON Schema (draft 2020-12) pieces for the tools' input schemas. Each schema is also what
/// `ToolArguments` checks a call against, so the published schema and the check never differ.
enum Schema {
    /// An object with these properties; any other property is refused.
    static func object(_ properties: [String: Value], required: [String] = [], description: String? = nil) -> Value {
        var schema: [String: Value] = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .array(required.map(Value.string)) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func string(_ description: String, oneOf choices: [String]? = nil) -> Value {
        var schema: [String: Value] = ["type": "string", "description": .string(description)]
        if let choices { schema["enum"] = .array(choices.map(Value.string)) }
        return .object(schema)
    }

    static func integer(_ description: String, minimum: Int, maximum: Int) -> Value {
        ["type": "integer", "description": .string(description), "minimum": .int(minimum), "maximum": .int(maximum)]
    }

    static func boolean(_ description: String) -> Value {
        ["type": "boolean", "description": .string(description)]
    }

    /// A coordinate, not money: money is always a decimal string (`amount`).
    static func number(_ description: String) -> Value {
        ["type": "number", "description": .string(description)]
    }

    static func strings(_ description: String, oneOf choices: [String]? = nil) -> Value {
        var items: [String: Value] = ["type": "string"]
        if let choices { items["enum"] = .array(choices.map(Value.string)) }
        return ["type": "array", "description": .string(description), "items": .object(items)]
    }

    /// Money as an exact decimal string in the currency's units ("25.00"), never a JSON number.
    static func amount(_ description: String) -> Value {
        ["type": "string", "description": .string(description), "pattern": #"^[0-9]+(\.[0-9]+)?$"#]
    }

    static let taskID = string("The task's id (tsk_…), as create_task or list_tasks returned it.")
    static let serviceID = string("The service's id (svc_…), as search_services or create_service returned it.")

    /// A tool that takes no arguments.
    static let none = object([:])
}
