@testable import Console
import Domain

/// A theme where every role the field widgets use looks different, so tests can tell them apart.
let fieldTheme = Theme(name: "fields-test", styles: [
    .normal: Style(),
    .input: Style(foreground: .ansi(7), background: .ansi(0)),
    .inputFocused: Style(foreground: .ansi(15), background: .ansi(4)),
    .placeholder: Style(foreground: .ansi(8)),
    .selection: Style(foreground: .ansi(0), background: .ansi(6)),
    .dialog: Style(foreground: .ansi(7), background: .ansi(5)),
    .muted: Style(foreground: .ansi(8)),
    .error: Style(foreground: .ansi(1)),
    .required: Style(foreground: .ansi(3)),
    .accent: Style(foreground: .ansi(14)),
    .disabled: Style(foreground: .ansi(8), attributes: .dim),
    .scrollbar: Style(foreground: .ansi(6)),
])

/// The options most choice tests use.
let colourOptions = [
    FieldOption(value: "red", label: "Red"),
    FieldOption(value: "green", label: "Green"),
    FieldOption(value: "blue", label: "Blue"),
    FieldOption(value: "black", label: "Black"),
]

/// Draws something into a fresh buffer and returns the buffer.
func drawn(width: Int, height: Int = 1, _ draw: (inout CellBuffer) -> Void) -> CellBuffer {
    var buffer = CellBuffer(width: width, height: height)
    draw(&buffer)
    return buffer
}

/// Presses keys one after the other, returning whether each was used.
@discardableResult
func pressKeys<W>(_ keys: [Key], on widget: inout W, _ handle: (inout W, Key) -> Bool) -> [Bool] {
    keys.map { handle(&widget, $0) }
}
