@testable import Console
import Foundation
import Testing

@Suite("Runtime: wake-up pipe and event loop without a terminal")
struct EventLoopTests {
    @Test func postFromAnotherThreadWakesPoll() throws {
        let mailbox = try Mailbox<Int>()
        let poller = Poller(inputFD: nil, wakeFD: mailbox.pipe.readFD)
        #expect(poller.wait(timeoutMilliseconds: 0).timedOut)
        let started = Date()
        Thread.detachNewThread {
            usleep(50_000)
            mailbox.post(7)
            mailbox.post(8)
        }
        let ready = poller.wait(timeoutMilliseconds: 5_000)
        #expect(ready.wake)
        #expect(Date().timeIntervalSince(started) < 4)
        usleep(20_000)
        #expect(mailbox.take() == [7, 8])
        #expect(poller.wait(timeoutMilliseconds: 0).timedOut, "take() drained the pipe")
    }

    @Test func signalPipeAndExtraDescriptors() throws {
        let wake = try WakePipe(), signals = try WakePipe(), extra = try WakePipe()
        let poller = Poller(inputFD: nil, wakeFD: wake.readFD, signalPipe: signals, extraFDs: [extra.readFD])
        signals.wake(UInt8(SIGTERM))
        extra.wake()
        let ready = poller.wait(timeoutMilliseconds: 1_000)
        #expect(ready.signals == [SIGTERM])
        #expect(ready.readable == [extra.readFD])
        #expect(!ready.wake && !ready.input)
    }

    @Test func loopDeliversKeysAndMessagesAndRedrawsOnlyOnChange() throws {
        let terminal = try FakeTerminal(size: Size(width: 20, height: 3))
        let loop = try EventLoop<String>()
        var program = Recorder()
        loop.post("hello")
        terminal.type([.character(UInt32(UInt8(ascii: "a"))), .character(UInt32(UInt8(ascii: "z")))])
        let post = loop.poster
        Thread.detachNewThread {
            usleep(100_000)
            post("from a thread")
            usleep(100_000)
            terminal.type([.character(3)])
        }
        let exit = loop.run(&program, on: terminal)
        #expect(exit == .quit)
        #expect(program.log.contains("message hello"))
        #expect(program.log.contains("message from a thread"))
        #expect(program.log.contains("key character(\"a\")"))
        #expect(program.log.last == "key control(\"c\")")
        // "z" changes nothing on screen, so frames are only presented when the text changed.
        #expect(terminal.presented.count == Set(terminal.presented.map { $0.textDump() }).count)
        #expect(terminal.presented.last?.textDump().contains("from a thread") == true)
    }

    @Test func performRunsOffTheLoopAndComesBackAsAMessage() throws {
        let terminal = try FakeTerminal(size: Size(width: 20, height: 2))
        let loop = try EventLoop<String>()
        var program = Recorder()
        terminal.type([.character(UInt32(UInt8(ascii: "p")))])
        #expect(loop.run(&program, on: terminal) == .quit)
        #expect(program.log.suffix(2) == ["key character(\"p\")", "message done"])
    }

    @Test func resizeAndSignalAndHangup() throws {
        let terminal = try FakeTerminal(size: Size(width: 10, height: 2))
        let signals = try WakePipe()
        let loop = try EventLoop<String>(signalPipe: signals)
        var program = Recorder()
        terminal.nextSize = Size(width: 30, height: 4)
        terminal.type([.keyCode(0o632)])
        Thread.detachNewThread {
            usleep(100_000)
            signals.wake(UInt8(SIGHUP))
        }
        #expect(loop.run(&program, on: terminal) == .signal(SIGHUP))
        #expect(program.log.contains("resize 30x4"))
        #expect(terminal.presented.last?.size == Size(width: 30, height: 4))

        terminal.closeInput()
        #expect(loop.run(&program, on: terminal) == .hangup)
    }
}

/// Logs every event; shows the last message; quits on Ctrl-C; "p" performs work off the loop.
private struct Recorder: Program {
    typealias Message = String
    var log: [String] = []
    var last = ""

    mutating func update(_ event: Event<String>) -> Command<String>? {
        switch event {
        case .key(let key):
            log.append("key \(key)")
            if key == .control("c") { return .quit }
            if key == .character("p") { return .perform { usleep(20_000); return "done" } }
        case .resize(let size): log.append("resize \(size.width)x\(size.height)")
        case .message(let message):
            log.append("message \(message)")
            last = message
            if message == "done" { return .quit }
        case .readable(let fd): log.append("readable \(fd)")
        }
        return nil
    }

    func view(into canvas: inout some Canvas) {
        canvas.put(last, x: 0, y: 0)
    }
}

/// A terminal over a pipe: `type` queues raw inputs and makes the pipe readable.
private final class FakeTerminal: TerminalDevice, @unchecked Sendable {
    private let lock = NSLock()
    private var queued: [KeyDecoder.RawInput] = []
    private let pipe: WakePipe
    private var inputClosed = false
    private(set) var size: Size
    var nextSize: Size
    private(set) var presented: [CellBuffer] = []

    init(size: Size) throws {
        self.size = size
        nextSize = size
        pipe = try WakePipe()
    }

    var inputFD: Int32 { pipe.readFD }

    func type(_ inputs: [KeyDecoder.RawInput]) {
        lock.lock()
        queued += inputs
        lock.unlock()
        pipe.wake()
    }

    func closeInput() {
        close(pipe.writeFD)
    }

    func readInput() -> [KeyDecoder.RawInput] {
        pipe.drain()
        lock.lock()
        defer { lock.unlock() }
        let inputs = queued
        queued.removeAll()
        return inputs
    }

    func resize() -> Size {
        size = nextSize
        return size
    }

    func present(_ frame: CellBuffer) {
        presented.append(frame)
    }
}
