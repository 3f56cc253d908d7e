/// What a key did to a `SchemaForm`, so the screen knows whether to act: the form never saves by itself
/// (saving is a service call the screen runs off the input loop).
public enum FormOutcome: Sendable, Equatable {
    /// The form had no use for the key (Esc, Enter, a function key, Up on the first field): the screen
    /// may use it.
    case ignored
    /// The key edited a field or moved the focus.
    case handled
    /// Ctrl-S and the Domain validator finds nothing wrong: the screen should save `values`.
    case save
    /// Ctrl-S but the validator found issues: they are shown next to their fields and the focus is on the
    /// first field with one; nothing should be saved.
    case invalid
}
