/// EIP-712 typed structured data: `\x19\x01 ‖ domainSeparator ‖ hashStruct(message)`.
/// Supports the member types the marketplace signs and the EIP's own example uses: string,
/// bytes, address, bool, uint*/int* (non-negative), bytes32 and nested struct types.
public struct TypedData: Sendable {
    public struct Member: Sendable, Hashable {
        public let name: String
        public let type: String
        public init(_ name: String, _ type: String) {
            self.name = name
            self.type = type
        }
    }

    public indirect enum Value: Sendable, Hashable {
        case string(String)
        case bytes([UInt8])
        case address(EthereumAddress)
        case uint(UInt256)
        case bool(Bool)
        case bytes32([UInt8])
        case `struct`([String: Value])
    }

    public enum Failure: Error, Sendable, Equatable {
        case unknownType(String)
        case missing(String)
        case mismatch(String)
    }

    /// Every struct type by name, the domain's included (`EIP712Domain`).
    public let types: [String: [Member]]
    public let primaryType: String
    public let domain: [String: Value]
    public let message: [String: Value]

    public init(types: [String: [Member]], primaryType: String, domain: [String: Value], message: [String: Value]) {
        self.types = types
        self.primaryType = primaryType
        self.domain = domain
        self.message = message
    }

    /// `Name(type name,…)` followed by every struct it references, sorted by name.
    public func encodeType(_ name: String) throws(Failure) -> String {
        var referenced = Set<String>()
        try collect(name, into: &referenced)
        referenced.remove(name)
        var out = ""
        for type in [name] + referenced.sorted() {
            guard let members = types[type] else { throw .unknownType(type) }
            out += "\(type)(" + members.map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        }
        return out
    }

    private func collect(_ name: String, into found: inout Set<String>) throws(Failure) {
        guard !found.contains(name) else { return }
        guard let members = types[name] else { throw .unknownType(name) }
        found.insert(name)
        for member in members where types[member.type] != nil { try collect(member.type, into: &found) }
    }

    public func typeHash(_ name: String) throws(Failure) -> [UInt8] { Keccak256.hash(Array(try encodeType(name).utf8)) }

    public func hashStruct(_ name: String, _ value: [String: Value]) throws(Failure) -> [UInt8] {
        guard let members = types[name] else { throw .unknownType(name) }
        var encoded = try typeHash(name)
        for member in members {
            guard let field = value[member.name] else { throw .missing("\(name).\(member.name)") }
            encoded += try encodeField(member.type, field, at: "\(name).\(member.name)")
        }
        return Keccak256.hash(encoded)
    }

    private func encodeField(_ type: String, _ value: Value, at path: String) throws(Failure) -> [UInt8] {
        switch (type, value) {
        case ("string", .string(let text)): return Keccak256.hash(Array(text.utf8))
        case ("bytes", .bytes(let bytes)): return Keccak256.hash(bytes)
        case ("address", .address(let address)): return [UInt8](repeating: 0, count: 12) + address.bytes
        case ("bool", .bool(let flag)): return UInt256(flag ? 1 : 0).bytes
        case ("bytes32", .bytes32(let bytes)) where bytes.count == 32: return bytes
        case (_, .uint(let number)) where type.hasPrefix("uint") || type.hasPrefix("int"): return number.bytes
        case (_, .struct(let fields)) where types[type] != nil: return try hashStruct(type, fields)
        default: throw .mismatch(path)
        }
    }

    public var domainSeparator: [UInt8] { get throws(Failure) { try hashStruct("EIP712Domain", domain) } }

    /// The 32 bytes that are signed.
    public func digest() throws(Failure) -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + (try domainSeparator) + (try hashStruct(primaryType, message)))
    }

    static let domainMembers = [Member("name", "string"), Member("version", "string"), Member("chainId", "uint256"), Member("verifyingContract", "address")]
}
