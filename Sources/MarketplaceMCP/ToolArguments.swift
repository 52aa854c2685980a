import Foundation
import MCP
import Marketplace

/// A tool call's arguments, checked against the tool's input schema before any service runs:
/// unknown names, missing required ones, wrong JSON types and values outside an enum are
/// refused as VALIDATION_ERROR naming the field (`budget.amount`, `required_deliverables[1]`).
/// Money arrives as decimal strings and stays text until the domain parses it exactly.
struct ToolArguments: Sendable {
    let values: [String: Value]

    init(_ values: [String: Value]?, schema: Value) throws(MarketplaceError) {
        let present = (values ?? [:]).filter { !$0.value.isNull }
        try Self.check(present, against: schema, path: "")
        self.values = present
    }

    private init(checked values: [String: Value]) { self.values = values }

    func string(_ name: String) -> String? {
        guard let value = values[name] else { return nil }
        return Self.text(value)
    }

    /// A required string; `init` has already refused a call without it.
    func requiredString(_ name: String) throws(MarketplaceError) -> String {
        guard let text = string(name) else { throw .validation(field: name, message: "\(name) is required") }
        return text
    }

    func bool(_ name: String) -> Bool? { values[name]?.boolValue }

    func int(_ name: String) -> Int? { values[name]?.intValue }

    /// A coordinate: JSON numbers are accepted here and nowhere near money.
    func number(_ name: String) -> Double? {
        switch values[name] {
        case .int(let value)?: Double(value)
        case .double(let value)?: value
        default: nil
        }
    }

    /// Money as exact text: a JSON integer's digits, or a decimal string (`"15.50"`). A
    /// fractional JSON number is refused naming the field: it has been through a Double by the
    /// time a tool sees it (the dialects' money fields, which their documents print as numbers).
    func wholeOrDecimal(_ name: String) throws(MarketplaceError) -> String {
        if let whole = int(name) { return String(whole) }
        guard let text = string(name) else {
            throw .validation(field: name, message: "\(name) must be a whole number or a decimal string such as \"15.50\"")
        }
        return text
    }

    func strings(_ name: String) -> [String]? { values[name]?.arrayValue?.compactMap(Self.text) }

    func object(_ name: String) -> ToolArguments? { values[name]?.objectValue.map { ToolArguments(checked: $0) } }

    /// An array of objects (each checked against the schema's `items`).
    func objects(_ name: String) -> [ToolArguments]? { values[name]?.arrayValue?.compactMap { $0.objectValue.map { ToolArguments(checked: $0) } } }

    /// Refuses the first of `names` the call carries: it does not go with `context` ("source wallet").
    func refuse(_ names: [String], with context: String) throws(MarketplaceError) {
        for name in names where values[name] != nil {
            throw .validation(field: name, message: "\(name) does not go with \(context)")
        }
    }

    // MARK: - Checking against the schema

    private static func check(_ object: [String: Value], against schema: Value, path: String) throws(MarketplaceError) {
        let properties = schema.objectValue?["properties"]?.objectValue ?? [:]
        for name in object.keys.sorted() where properties[name] == nil {
            let known = properties.keys.sorted().joined(separator: ", ")
            throw .validation(field: path + name, message: "unknown argument '\(path + name)'; this tool takes \(known.isEmpty ? "no arguments" : known)")
        }
        for name in schema.objectValue?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            throw .validation(field: path + name, message: "\(path + name) is required")
        }
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            try check(value, against: properties[name] ?? [:], field: path + name)
        }
    }

    private static func check(_ value: Value, against schema: Value, field: String) throws(MarketplaceError) {
        let rules = schema.objectValue ?? [:]
        switch rules["type"]?.stringValue {
        case "string":
            guard let text = text(value) else {
                let hint = rules["pattern"] != nil ? " holding a decimal such as \"25.00\" (amounts are exact text, never JSON numbers)" : ""
                throw .validation(field: field, message: "\(field) must be a string\(hint)")
            }
            if let refusal = TextRule.refusal(of: text, field: field) { throw .validation(field: field, message: refusal) }
            if let choices = rules["enum"]?.arrayValue?.compactMap(\.stringValue), !choices.contains(text) {
                throw .validation(field: field, message: "\(field) must be one of \(choices.joined(separator: ", "))")
            }
        case "integer":
            guard value.intValue != nil else { throw .validation(field: field, message: "\(field) must be a whole number") }
        case "number":
            guard value.intValue != nil || value.doubleValue != nil else { throw .validation(field: field, message: "\(field) must be a number") }
        case "boolean":
            guard value.boolValue != nil else { throw .validation(field: field, message: "\(field) must be true or false") }
        case "array":
            guard let items = value.arrayValue else { throw .validation(field: field, message: "\(field) must be an array") }
            for (index, item) in items.enumerated() { try check(item, against: rules["items"] ?? [:], field: "\(field)[\(index)]") }
        case "object":
            guard let object = value.objectValue else { throw .validation(field: field, message: "\(field) must be an object") }
            try check(object, against: schema, path: field + ".")
        default:
            break
        }
    }

    /// The text of a string value. The SDK decodes a string shaped like a data URL into
    /// `.data`; its JSON encoding is that same string again.
    private static func text(_ value: Value) -> String? {
        switch value {
        case .string(let text): return text
        case .data:
            guard let json = try? JSONEncoder().encode(value) else { return nil }
            return try? JSONDecoder().decode(String.self, from: json)
        default: return nil
        }
    }
}
