import Domain

/// A short form of labelled fields that saves with Ctrl-S (or Enter on its last field): `TextFieldStack`
/// and the administration screens' `AdminForm`. What `FormSubmission` needs of it.
protocol SubmittableForm {
    mutating func handle(_ key: Key) -> TextFieldStack.Outcome
    /// Shows the issues under their fields; returns those no field took.
    @discardableResult
    mutating func show(issues: [FieldIssue]) -> [FieldIssue]
}

extension TextFieldStack: SubmittableForm {}

extension TextFieldStack.Outcome {
    /// The screen's answer to the key: `.ignored` passes it to the shell, `submit` runs on a submit.
    func effect<Message>(submit: () -> Effect<Message>) -> Effect<Message> {
        switch self {
        case .ignored: .ignored
        case .handled: .none
        case .submit: submit()
        }
    }
}

/// Where a short form's save stands — running, or why the last one failed in words its fields do not
/// carry — and the steps every such form takes with it: no keys while saving, the Domain's refusal shown
/// under the fields it names (the rest on the last line), a lost session ended, and the last line
/// showing progress, the failure or the keys. The create and edit screens of stores, staff, the first
/// super admin and product types share it instead of each writing these steps again.
struct FormSubmission: Sendable, Equatable {
    private(set) var isSaving = false
    private(set) var failure: String?

    /// What a key did to `form`; nil while saving, when no key is taken. Answer it with
    /// `TextFieldStack.Outcome.effect(submit:)`.
    func outcome<Form: SubmittableForm>(of key: Key, in form: inout Form) -> TextFieldStack.Outcome? {
        guard !isSaving else { return nil }
        return form.handle(key)
    }

    /// A save starts: the last failure is cleared.
    mutating func start() {
        isSaving = true
        failure = nil
    }

    /// The save came back done.
    mutating func finish() {
        isSaving = false
    }

    /// The save failed: the Domain's issues go under their fields, what no field takes (or the message,
    /// when there are no issues) becomes the last line; a 401 ends the session.
    mutating func fail<Form: SubmittableForm, Message>(_ failure: ConsoleFailure, form: inout Form) -> Effect<Message> {
        isSaving = false
        if failure.statusCode == 401 { return .sessionEnded(failure) }
        let unplaced = form.show(issues: failure.issues)
        self.failure = failure.issues.isEmpty ? failure.message : (unplaced.isEmpty ? nil : unplaced.map(\.message).joined(separator: "; "))
        return .none
    }

    /// A failure that is not the save's (reading the record again, say), for the last line.
    mutating func report(_ text: String?) {
        failure = text
    }

    /// The form's last line: `saving` while the save runs, else the failure, else the keys (`hint`).
    func drawStatus(saving: String, hint: String, into canvas: inout some Canvas, x: Int, y: Int, width: Int, theme: Theme) {
        guard width > 0 else { return }
        if isSaving {
            canvas.put(saving, x: x, y: y, style: theme.style(.info), maxWidth: width)
        } else if let failure {
            canvas.put(DisplayWidth.truncate(TerminalText.sanitized(failure), to: width), x: x, y: y, style: theme.style(.error), maxWidth: width)
        } else {
            canvas.put(DisplayWidth.truncate(hint, to: width), x: x, y: y, style: theme.style(.muted), maxWidth: width)
        }
    }
}
