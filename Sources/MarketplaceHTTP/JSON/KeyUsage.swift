/// The keys a `Decodable` asked for, per object of the body (by `FieldPath`), recorded while
/// `BodyDecoder` runs. Keys it never asked for are keys the server would silently drop; the
/// body is refused naming the first of them instead. One decode, one thread: no locking.
final class KeyUsage {
    /// Object path ("" at the top level) to the JSON keys asked for there, present or not.
    private var asked: [String: Set<String>] = [:]

    /// The type opened the object at `path` as a keyed container.
    func opened(_ path: String) { asked[path, default: []] = asked[path, default: []] }

    /// The type asked the object at `path` for `key`.
    func ask(_ key: String, at path: String) { asked[path, default: []].insert(key) }

    /// The first key, in document order, that an object the type read never asked for, with
    /// the path of that object and the keys it does take.
    func firstUnasked(in value: JSONValue, at path: String = "") -> (field: String, object: String, allowed: [String])? {
        switch value {
        case .object(let members):
            let keys = asked[path]
            for member in members {
                let field = FieldPath.member(path, member.key)
                if let keys, !keys.contains(member.key) { return (field, path, keys.sorted()) }
                if let found = firstUnasked(in: member.value, at: field) { return found }
            }
            return nil
        case .array(let elements):
            for (offset, element) in elements.enumerated() {
                if let found = firstUnasked(in: element, at: FieldPath.index(path, offset)) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
