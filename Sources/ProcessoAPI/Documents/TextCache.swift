import Synchronization

/// Extracted document texts kept in memory, bounded in bytes, evicting the least recently used.
///
/// An entry's key includes the file's size, modification time and inode, so a changed or replaced
/// file misses the cache and is extracted again. Only the newest version of each path is kept.
final class TextCache: Sendable {
    /// The identity of one version of a file: its path and what `stat` returns for it.
    struct Key: Hashable, Sendable {
        var path: String
        var size: Int
        var modificationSeconds: Int
        var modificationNanoseconds: Int
        var device: UInt64
        var inode: UInt64
    }

    private struct Entry {
        var text: DocumentText
        var byteCount: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var keyOfPath: [String: Key] = [:]
        var byteCount = 0
        var useCounter: UInt64 = 0
    }

    /// The bound on the sum of the cached texts' UTF-8 bytes.
    let capacityBytes: Int
    private let state = Mutex(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Returns the cached text for `key` and marks it as just used, or `nil`.
    func text(for key: Key) -> DocumentText? {
        state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            state.useCounter += 1
            entry.lastUse = state.useCounter
            state.entries[key] = entry
            return entry.text
        }
    }

    /// Stores `text` for `key`, replacing any older version of the same path, then evicts the least
    /// recently used entries until the total fits. A text larger than the whole bound is not stored.
    func insert(_ text: DocumentText, for key: Key) {
        let byteCount = text.byteCount
        state.withLock { state in
            if let oldKey = state.keyOfPath[key.path], let old = state.entries.removeValue(forKey: oldKey) {
                state.byteCount -= old.byteCount
                state.keyOfPath[key.path] = nil
            }
            guard byteCount <= capacityBytes else { return }

            state.useCounter += 1
            state.entries[key] = Entry(text: text, byteCount: byteCount, lastUse: state.useCounter)
            state.keyOfPath[key.path] = key
            state.byteCount += byteCount
            // A linear scan per eviction is enough for the hundreds of documents one cache holds.
            while state.byteCount > capacityBytes, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries[oldest.key] = nil
                state.keyOfPath[oldest.key.path] = nil
                state.byteCount -= oldest.value.byteCount
            }
        }
    }

    /// The number of cached documents and their total bytes.
    var usage: (documents: Int, bytes: Int) {
        state.withLock { ($0.entries.count, $0.byteCount) }
    }
}
