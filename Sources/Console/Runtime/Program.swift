/// A screen or a whole application in the Elm style (design §5): state, a pure `update` that reacts to one
/// event and may ask the runtime for something, and a `view` that draws the state. The runtime owns the
/// loop, the terminal and the frames; programs never touch ncurses, so they are tested headless.
public protocol Program {
    associatedtype Message: Sendable

    /// Reacts to one event; returns what the runtime should do next, or `nil` for nothing.
    mutating func update(_ event: Event<Message>) -> Command<Message>?

    /// Draws the current state. The canvas has been cleared; its size is the terminal's.
    func view(into canvas: inout some Canvas)

    /// What to do before the first event (load the first screen's data, say); `nil` by default.
    mutating func start() -> Command<Message>?
}

extension Program {
    public mutating func start() -> Command<Message>? { nil }
}

/// What a program reacts to.
public enum Event<Message: Sendable>: Sendable {
    case key(Key)
    /// The terminal's size: once before `start()`, then after every change (the next `view` gets a
    /// canvas of that size).
    case resize(Size)
    /// A message posted with `EventLoop.post(_:)` or produced by `Command.perform`.
    case message(Message)
    /// An extra descriptor given to the loop is readable (the LISTEN socket, later).
    case readable(Int32)
}

/// What a program asks the runtime to do after an update.
public enum Command<Message: Sendable>: Sendable {
    /// Leave the loop (the terminal is then restored by the session).
    case quit
    /// Run `work` off the input loop and deliver its result as `.message` (database work, design §5).
    case perform(@Sendable () -> Message)
    /// Delivers `message` after `seconds` (a message's time on screen, a retry's back-off).
    case after(Double, Message)
    /// Several commands in order.
    case batch([Command<Message>])
}
