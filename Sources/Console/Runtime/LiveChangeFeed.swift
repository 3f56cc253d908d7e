import Foundation
import Postgres

/// The console's ear on `backoffice_events`: a dedicated LISTEN connection whose socket the event loop
/// polls (design §5). Notifications become `.changes`; a broken connection becomes `.feed(.lost)` and
/// a background thread reconnects with back-off, announcing `.feed(.live)` when it is back (the loop
/// then polls the new socket). Thread-safe: the loop reads, the reconnecting thread replaces.
public final class LiveChangeFeed: @unchecked Sendable {
    public static let channel = "backoffice_events"

    private let url: String
    private let post: @Sendable (ShellMessage) -> Void
    private let log: ConsoleLog?
    private let lock = NSLock()
    private var listener: NotificationListener?
    private var reconnecting = false
    private var stopped = false

    public init(url: String, log: ConsoleLog? = nil, post: @escaping @Sendable (ShellMessage) -> Void) {
        self.url = url
        self.log = log
        self.post = post
    }

    /// Connects in the background (the first frame does not wait for it).
    public func start() {
        reconnect(firstAttempt: true)
    }

    /// Closes the connection; no reconnecting after this.
    public func stop() {
        lock.withLock {
            stopped = true
            listener?.connection.close()
            listener = nil
        }
    }

    /// The socket to poll, or nil while disconnected.
    public func descriptor() -> Int32? {
        lock.withLock {
            guard let listener else { return nil }
            let fd = listener.socket
            return fd >= 0 ? fd : nil
        }
    }

    /// Reads what arrived: the changes, or the news that the connection broke.
    public func read() -> [ShellMessage] {
        let outcome: Result<[PostgresNotification], PostgresError>? = lock.withLock { () -> Result<[PostgresNotification], PostgresError>? in
            guard let listener else { return nil }
            do {
                return .success(try listener.drain())
            } catch let error as PostgresError {
                listener.connection.close()
                self.listener = nil
                return .failure(error)
            } catch {
                return nil
            }
        }
        switch outcome {
        case nil:
            return []
        case .success(let notifications):
            let changes = notifications.compactMap { ChangeNotice(payload: $0.payload) }
            return changes.isEmpty ? [] : [.changes(changes)]
        case .failure(let error):
            log?.write("live feed lost: \(error.message)")
            reconnect(firstAttempt: false)
            return [.feed(.lost("the database connection broke"))]
        }
    }

    /// The event-loop source for this feed.
    public func source() -> EventSource<ShellMessage> {
        EventSource(descriptor: { [self] in descriptor() }, read: { [self] in read() })
    }

    private func reconnect(firstAttempt: Bool) {
        let go: Bool = lock.withLock {
            guard !reconnecting, !stopped else { return false }
            reconnecting = true
            return true
        }
        guard go else { return }
        Thread.detachNewThread { [self] in
            var delay = firstAttempt ? 0.0 : 0.5
            var announcedLoss = !firstAttempt
            while true {
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                if lock.withLock({ stopped }) { return }
                do {
                    // TCP keepalives, so a silently dropped network shows as lost within a minute (the default
                    // waits two hours); ignored on unix sockets.
                    let conninfo = try ConnectionString.replacing(url, ["keepalives": "1", "keepalives_idle": "30",
                                                                        "keepalives_interval": "10", "keepalives_count": "3"])
                    let fresh = try NotificationListener(conninfo: conninfo)
                    try fresh.listen(LiveChangeFeed.channel)
                    let keep: Bool = lock.withLock {
                        reconnecting = false
                        guard !stopped else { return false }
                        listener = fresh
                        return true
                    }
                    guard keep else {
                        fresh.connection.close()
                        return
                    }
                    log?.write("live feed connected")
                    post(.feed(.live))
                    return
                } catch {
                    if !announcedLoss {
                        announcedLoss = true
                        post(.feed(.lost("cannot reach the database")))
                    }
                    log?.write("live feed: \(error); retrying")
                    delay = min(5, max(0.5, delay * 2))
                }
            }
        }
    }
}
