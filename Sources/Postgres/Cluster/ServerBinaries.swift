import Foundation

/// Finds the PostgreSQL server programs (`initdb`, `pg_ctl`) an embedded cluster needs.
///
/// Debian keeps them off `PATH`, in `/usr/lib/postgresql/<version>/bin`; `BACKOFFICE_PG_BIN` overrides
/// the search.
public struct ServerBinaries: Sendable {
    public let directory: String

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }

    /// Looks in `BACKOFFICE_PG_BIN` when set; otherwise in each `searchRoots` entry's newest
    /// `<version>/bin`, then along `PATH`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              searchRoots: [String] = ["/usr/lib/postgresql"]) throws(ClusterError) -> ServerBinaries {
        let fm = FileManager.default
        var candidates: [String] = []
        if let explicit = environment["BACKOFFICE_PG_BIN"], !explicit.isEmpty {
            candidates.append(explicit)
        } else {
            for root in searchRoots {
                let versions = (try? fm.contentsOfDirectory(atPath: root)) ?? []
                for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
                    candidates.append("\(root)/\(version)/bin")
                }
            }
            for entry in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
                candidates.append(String(entry))
            }
        }
        for directory in candidates where fm.isExecutableFile(atPath: directory + "/initdb") && fm.isExecutableFile(atPath: directory + "/pg_ctl") {
            // Resolve symlinks (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb) so pg_ctl finds postgres beside it.
            let resolved = (try? fm.destinationOfSymbolicLink(atPath: directory + "/initdb"))
                .map { ($0 as NSString).deletingLastPathComponent }
            if let resolved, resolved.hasPrefix("/"), fm.isExecutableFile(atPath: resolved + "/pg_ctl") {
                return ServerBinaries(directory: resolved)
            }
            return ServerBinaries(directory: directory)
        }
        if environment["BACKOFFICE_PG_BIN"] != nil {
            throw ClusterError("BACKOFFICE_PG_BIN=\(environment["BACKOFFICE_PG_BIN"]!) does not contain initdb and pg_ctl")
        }
        throw ClusterError("PostgreSQL server programs (initdb, pg_ctl) were not found: install the Debian package `postgresql` (apt-get install postgresql), or set BACKOFFICE_PG_BIN to their directory")
    }
}

/// A failure managing the embedded cluster, with a message meant for the person at the terminal.
public struct ClusterError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
