/// What text a client may send, whichever door it comes through (HTTP bodies, MCP tool
/// arguments): tabs and line breaks, and no other control character.
public enum TextRule {
    /// Control characters other than tab, line feed and carriage return (C0, DEL and C1).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// Why `text` in `field` is refused, or nil when it holds no control character.
    public static func refusal(of text: String, field: String) -> String? {
        guard let control = text.unicodeScalars.first(where: isControl) else { return nil }
        let hex = String(control.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return "\(field) holds a control character (\(code)); text may hold tabs and line breaks but no other control characters"
    }
}
