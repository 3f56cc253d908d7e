import Foundation

/// Runs the PostgreSQL server programs, as the `postgres` system user when we are root (the server
/// refuses to run as root), from a working directory that user can enter.
struct CommandRunner: Sendable {
    /// Set when commands must run as another user (we are root).
    let serverUser: SystemUser?

    struct Output {
        var status: Int32
        var text: String
    }

    /// Runs a program to completion with stdin from /dev/null and stdout+stderr captured through a
    /// private temporary file (a pipe could be held open by a server the program leaves running).
    func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) throws(ClusterError) -> Output {
        // `env -C /` starts the program in / (a server user cannot enter root's home, and the working
        // directory is process-wide, so it cannot be changed here while other threads run).
        var argv = ["/usr/bin/env", "-C", "/"]
        if let serverUser {
            argv += ["/usr/sbin/runuser", "-u", serverUser.name, "--"]
        }
        argv += [executable] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment["LANG"] = "C"
        for (key, value) in extra { environment[key] = value }
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var template = Array((NSTemporaryDirectory() + "/backoffice-cmd-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ClusterError("cannot create a temporary file for \(executable)'s output") }
        let outputPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            close(fd)
            unlink(outputPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fd, 1)
        posix_spawn_file_actions_adddup2(&actions, fd, 2)

        var pid: pid_t = 0
        let spawnStatus = withCStrings(argv) { argvPointers in
            withCStrings(envp) { envPointers in
                argvPointers.withUnsafeBufferPointer { a in
                    envPointers.withUnsafeBufferPointer { e in
                        posix_spawn(&pid, argv[0], &actions, nil,
                                    UnsafeMutablePointer(mutating: a.baseAddress!).withMemoryRebound(to: UnsafeMutablePointer<CChar>?.self, capacity: a.count) { $0 },
                                    UnsafeMutablePointer(mutating: e.baseAddress!).withMemoryRebound(to: UnsafeMutablePointer<CChar>?.self, capacity: e.count) { $0 })
                    }
                }
            }
        }
        guard spawnStatus == 0 else {
            throw ClusterError("cannot run \(argv[0]): \(String(cString: strerror(spawnStatus)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { throw ClusterError("lost track of \(executable) (waitpid: \(String(cString: strerror(errno))))") }
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: exitCode, text: text)
    }
}

/// An operating-system account (the `postgres` user that runs the server when we are root).
struct SystemUser: Sendable {
    var name: String
    var uid: uid_t
    var gid: gid_t

    static func named(_ name: String) -> SystemUser? {
        guard let entry = getpwnam(name) else { return nil }
        return SystemUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Whether this user may enter (search) every directory on the way to `path`.
    func canReach(_ path: String) -> (Bool, blocking: String?) {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            var info = stat()
            guard stat(current, &info) == 0 else { break }
            let mode = info.st_mode
            let searchable: Bool
            if info.st_uid == uid {
                searchable = mode & S_IXUSR != 0
            } else if info.st_gid == gid {
                searchable = mode & S_IXGRP != 0
            } else {
                searchable = mode & S_IXOTH != 0
            }
            if !searchable { return (false, current) }
        }
        return (true, nil)
    }
}
