import Domain
import Foundation

/// A non-blocking pipe that wakes a `poll()`: any thread writes a byte, the loop sees its read end readable
/// and drains it. Writes never block (a full pipe already means "wake up").
public final class WakePipe: Sendable {
    public let readFD: Int32
    public let writeFD: Int32

    public init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw InternalError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Writes one byte (thread-safe: `write` of one byte is atomic).
    public func wake(_ byte: UInt8 = 1) {
        var value = byte
        _ = write(writeFD, &value, 1)
    }

    /// Reads every byte written so far, without blocking.
    @discardableResult
    public func drain() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
