/// Pins the bench (and the throwaway cluster it starts) to one CPU.
///
/// This file exists because on this machine (two vCPUs, a VM) where the scheduler happens to place each
/// backend decides a figure more than our code does: a backend that lands on the other CPU than the
/// client pays a cross-CPU wake-up per round trip, and that placement sticks to the connection, so one
/// side of a figure ran at ~4,500 tx/s while the other ran at ~9,000, with the winner changing from run
/// to run (ratios from 0.47 to 2.40 for the same code). With the client and every backend on one CPU a
/// round trip is a plain context switch and repeated runs agree within a few percent.
///
/// Pinning happens before the cluster starts: `pg_ctl`, the postmaster and every backend it forks inherit
/// the mask. A server we were pointed at (`BACKOFFICE_BENCH_*_URL`) keeps its own placement; only the
/// client is pinned then. `sched_{get,set}affinity` are GNU extensions that the Glibc module does not
/// export, so they are looked up with `dlsym`.
import Foundation

enum CPUAffinity {
    private typealias AffinityFunction = @convention(c) (pid_t, Int, UnsafeMutableRawPointer?) -> Int32
    /// Room for 1,024 CPUs, glibc's `cpu_set_t`.
    private static let maskWords = 16

    /// The CPUs this process may run on now, or nil when that cannot be read.
    static func allowedCPUs() -> [Int]? {
        guard let getAffinity = function("sched_getaffinity") else { return nil }
        var mask = [UInt64](repeating: 0, count: maskWords)
        let status = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress) }
        guard status == 0 else { return nil }
        var cpus: [Int] = []
        for (word, bits) in mask.enumerated() where bits != 0 {
            for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 {
                cpus.append(word * 64 + bit)
            }
        }
        return cpus
    }

    /// Restricts the calling thread, and every process or thread it starts from now on, to `cpu`.
    /// Call it from the main thread before anything is spawned.
    static func pin(to cpu: Int) throws(BenchError) {
        guard cpu >= 0, cpu < maskWords * 64 else { throw BenchError("cannot pin to CPU \(cpu): out of range") }
        guard let setAffinity = function("sched_setaffinity") else {
            throw BenchError("cannot pin to a CPU: sched_setaffinity is unavailable (use --no-pin)")
        }
        var mask = [UInt64](repeating: 0, count: maskWords)
        mask[cpu / 64] = 1 << UInt64(cpu % 64)
        let status = mask.withUnsafeMutableBytes { setAffinity(0, $0.count, $0.baseAddress) }
        guard status == 0 else {
            throw BenchError("cannot pin to CPU \(cpu): \(String(cString: strerror(errno))) (use --no-pin or another --cpu)")
        }
    }

    private static func function(_ name: String) -> AffinityFunction? {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, name) else { return nil }
        return unsafeBitCast(symbol, to: AffinityFunction.self)
    }
}
