import Foundation
import Glibc

/// Opens a new pseudo-terminal for the pty figures (`PtyCursesSession`, `PtyProcess`): its master side,
/// unlocked and sized, and the path of its slave side.
enum PseudoTerminal {
    /// The master's descriptor (opened with `O_RDWR | O_NOCTTY` and `flags`) and the slave's path, the
    /// window set to `width` x `height`.
    static func open(flags: Int32 = 0, width: Int, height: Int) throws -> (master: Int32, slavePath: String) {
        guard let openMaster = Calls.openMaster, let grant = Calls.grant, let unlock = Calls.unlock, let slaveName = Calls.slaveName else {
            throw BenchError("posix_openpt and friends are unavailable")
        }
        let master = openMaster(O_RDWR | O_NOCTTY | flags)
        guard master >= 0 else { throw BenchError("posix_openpt: \(String(cString: strerror(errno)))") }
        guard grant(master) == 0, unlock(master) == 0, let name = slaveName(master) else {
            Glibc.close(master)
            throw BenchError("cannot unlock the pty: \(String(cString: strerror(errno)))")
        }
        var windowSize = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &windowSize)
        return (master, String(cString: name))
    }

    /// `posix_openpt`, `grantpt`, `unlockpt` and `ptsname`: XSI functions the Glibc module does not
    /// export, looked up with `dlsym` (as `CPUAffinity` does for the affinity calls).
    private enum Calls {
        typealias OpenMaster = @convention(c) (Int32) -> Int32
        typealias Control = @convention(c) (Int32) -> Int32
        typealias SlaveName = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

        static let openMaster = function("posix_openpt", as: OpenMaster.self)
        static let grant = function("grantpt", as: Control.self)
        static let unlock = function("unlockpt", as: Control.self)
        static let slaveName = function("ptsname", as: SlaveName.self)

        private static func function<T>(_ name: String, as type: T.Type) -> T? {
            guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, name) else { return nil }
            return unsafeBitCast(symbol, to: type)
        }
    }
}
