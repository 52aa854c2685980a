import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive right to write one ledger file, held by the process that opened it for
/// writing for as long as it is open. Balances live in the writer's memory, so a second writer
/// on the same file would validate against stale balances; it is refused at open instead.
///
/// The lock is an advisory `flock` on a sidecar file (`<db>.lock`), which records the holder's
/// process id and command line for the message a refused opener prints. The kernel drops it
/// when the process dies, so a crash never leaves a file locked.
final class WriterLock: Sendable {
    /// The sidecar file's path for a ledger at `databasePath`.
    static func path(for databasePath: String) -> String { databasePath + ".lock" }

    /// The open lock file; nil once released.
    private let descriptor: Mutex<Int32?>

    /// Takes the lock for `databasePath` or throws `.writerLocked` naming the holder.
    init(databasePath: String) throws(LedgerError) {
        let lockPath = Self.path(for: databasePath)
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .storage("open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = Self.holder(descriptor)
            close(descriptor)
            guard failure == EWOULDBLOCK else { throw .storage("lock \(lockPath): \(String(cString: strerror(failure)))") }
            throw .writerLocked(path: databasePath, holder: holder)
        }
        Self.record(descriptor)
        self.descriptor = Mutex(descriptor)
    }

    /// Lets the next writer in (closing the descriptor drops the lock; the file stays).
    func release() {
        descriptor.withLock { descriptor in
            if let open = descriptor { close(open) }
            descriptor = nil
        }
    }

    deinit { release() }

    /// Writes "pid <n>: <command line>" into the lock file, for whoever is refused next.
    private static func record(_ descriptor: Int32) {
        let line = "pid \(getpid()): \(CommandLine.arguments.joined(separator: " "))\n"
        _ = ftruncate(descriptor, 0)
        _ = line.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// What the holder recorded, or "another process" when it is unreadable.
    private static func holder(_ descriptor: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: holderBytesMax)
        let count = pread(descriptor, &bytes, holderBytesMax, 0)
        guard count > 0 else { return "another process" }
        let text = String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "another process" : text
    }

    /// The most of the holder's line a refusal quotes.
    private static let holderBytesMax = 512
}
