import Foundation
import Synchronization

/// Decoded task specs by their stored JSON text: a spec changes only on update (which stores
/// new text), so the text is its own cache key and a hit skips JSON decoding on every read.
final class SpecCache: Sendable {
    static let shared = SpecCache()
    /// Past this many entries the cache starts over.
    static let entriesMax = 20_000

    private let entries = Mutex<[String: TaskSpec]>([:])

    func spec(_ text: String) -> TaskSpec? {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        guard let spec = try? JSONDecoder().decode(TaskSpec.self, from: Data(text.utf8)) else { return nil }
        entries.withLock { entries in
            if entries.count >= Self.entriesMax { entries.removeAll(keepingCapacity: true) }
            entries[text] = spec
        }
        return spec
    }
}
