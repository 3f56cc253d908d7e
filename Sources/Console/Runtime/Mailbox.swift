import Foundation

/// Messages posted to the loop from other threads (database results, timers). `post(_:)` is thread-safe:
/// it queues the message and writes one byte to the wake-up pipe so a blocked `poll()` returns.
public final class Mailbox<Message: Sendable>: @unchecked Sendable {
    public let pipe: WakePipe
    private let lock = NSLock()
    private var queue: [Message] = []

    public init() throws {
        pipe = try WakePipe()
    }

    public func post(_ message: Message) {
        lock.lock()
        queue.append(message)
        lock.unlock()
        pipe.wake()
    }

    /// Everything posted so far, oldest first; drains the pipe too.
    public func take() -> [Message] {
        pipe.drain()
        lock.lock()
        defer { lock.unlock() }
        let messages = queue
        queue.removeAll()
        return messages
    }
}
