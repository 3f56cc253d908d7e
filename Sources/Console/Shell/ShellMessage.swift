import Domain

/// What reaches the shell through the event loop: a screen's answer (addressed by the id the shell
/// gave the screen, so an answer for a screen that was closed meanwhile is dropped), timers, live
/// changes and the live feed's state.
public enum ShellMessage: Sendable {
    /// A screen's `Effect.run` result or confirmed dialog, for the screen with this id.
    case screen(id: Int, payload: any Sendable)
    /// A notice's time on screen is over.
    case noticeExpired(Int)
    /// A sign-out finished: nil, or why the session could not be revoked.
    case signedOut(String?)
    /// The settings file was written (nil) or could not be (why).
    case settingsSaved(String?)
    /// Rows changed in some store (from the LISTEN socket).
    case changes([ChangeNotice])
    /// The live-change feed's connection state.
    case feed(FeedState)
}

/// Whether the console hears live changes: the status bar shows it, and a lost connection shows a
/// banner until it is back.
public enum FeedState: Sendable, Equatable {
    case connecting
    case live
    /// Lost; retrying. The text says why.
    case lost(String)
}
