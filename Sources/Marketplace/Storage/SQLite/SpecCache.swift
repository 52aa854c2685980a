import Foundation
import Synchronization

/// Decoded task specs by their stored JSON text: a spec changes only on update (which stores
/// new text), so the text is its own cache key and a hit skips JSON decoding on every read.
/// A spec written is remembered under the text it was stored as, so a task's first read after
/// its creation decodes nothing either (decoding the text gives back the same spec: checked in
/// CompactJSONTests).
final class SpecCache: Sendable {
    static let shared = SpecCache()
    /// Past this many entries the cache starts over.
    static let entriesMax = 20_000

    private let entries = Mutex<[String: TaskSpec]>([:])

    /// The text `spec` is stored as, remembered with it.
    func text(of spec: TaskSpec) throws -> String {
        let text = try StoredJSON.string(spec)
        remember(spec, as: text)
        return text
    }

    func spec(_ text: String) -> TaskSpec? {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        guard let spec = try? JSONDecoder().decode(TaskSpec.self, from: Data(text.utf8)) else { return nil }
        remember(spec, as: text)
        return spec
    }

    private func remember(_ spec: TaskSpec, as text: String) {
        entries.withLock { entries in
            if entries.count >= Self.entriesMax { entries.removeAll(keepingCapacity: true) }
            entries[text] = spec
        }
    }
}
