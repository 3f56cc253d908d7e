import Foundation
import Testing
@testable import Console
@testable import Domain

/// Throwaway probes for the review of b79ed67 (console shell). Each test asserts the CORRECT behaviour,
/// so a failing test proves a defect.
@Suite("ShellReviewProbe", .serialized)
struct ShellReviewProbeTests {

    // MARK: 1. ConfirmDialog crashes on a short content area

    /// `body.prefix(height - 5)` with height = area.height < 5 traps ("Can't take a prefix of negative
    /// length"). Run alone: `swift test --skip-build --filter ShellReviewProbe.confirmDialogOnShortArea`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROBE_CRASH"] == "1"))
    func confirmDialogOnShortArea() {
        var buffer = CellBuffer(size: Size(width: 80, height: 6))
        let dialog = ConfirmDialog(title: "Unsaved changes", text: "Quit and discard them?", confirmLabel: "Quit", isDestructive: true)
        // An 80x6 terminal: header + status bar leave a 4-row content area.
        dialog.render(into: &buffer, in: Rect(x: 0, y: 1, width: 80, height: 4), theme: .default)
        #expect(Bool(true), "did not crash")
    }

    /// The same through the shell: first run at 80x6, `d` asks to load the demo, the frame traps.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROBE_CRASH"] == "2"))
    func shellConfirmAt80x6() throws {
        try ShellWorld.with(size: Size(width: 80, height: 6)) { world in
            world.send(.character("d"))
            #expect(world.shell.overlayName == "confirm")
            _ = world.runner.frame()
        }
    }

    // MARK: 2. Ctrl-C is swallowed while an overlay is open

    @Test func ctrlCQuitsWithHelpOrPaletteOpen() throws {
        try ShellWorld.with { world in
            #expect(world.topTitle == "Welcome")
            world.send(.character("?"))
            #expect(world.shell.overlayName == "help")
            world.send(.control("c"))
            #expect(world.runner.didQuit, "Ctrl-C with the help open should quit (help lists 'q/Ctrl-C Quit' under Everywhere)")
        }
        try ShellWorld.with { world in
            world.send(.character(":"))
            #expect(world.shell.overlayName == "palette")
            world.send(.control("c"))
            #expect(world.runner.didQuit, "Ctrl-C with the palette open should quit")
        }
    }

    // MARK: 3. A dirty screen is discarded without asking (home, sign out, entering a store)

    struct DirtyProbe: Screen {
        enum Message: Sendable { case none }
        var title: String { "Edit product" }
        var bindings: [KeyBinding] { [] }
        var isDirty: Bool { true }
        mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
            if case .key = event { return .ignored }
            return .none
        }
        func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {}
    }

    /// Signs the demo super admin in and leaves a dirty screen on top of PlatformHome › Stores.
    struct Launcher: Screen {
        typealias Message = Result<SignIn, ConsoleFailure>
        var title: String { "Launch" }
        var bindings: [KeyBinding] { [] }
        mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
            switch event {
            case .appeared:
                return .task({ try $0.authenticator.signIn(email: DemoData.adminEmail, password: DemoData.password) }, then: { $0 })
            case .message(.success(let signIn)):
                return .batch([.session(.signedIn(signIn)), .push(AnyScreen(DirtyProbe()))])
            default:
                return .none
            }
        }
        func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {}
    }

    static func withDirtyTop(_ body: (ShellWorld) throws -> Void) throws {
        try ShellWorld.withDemo { world in
            world.runner = HeadlessRunner(ConsoleShell(services: world.services, theme: .default, firstScreen: { AnyScreen(Launcher()) }),
                                          size: Size(width: 80, height: 24))
            #expect(world.topTitle == "Edit product")
            #expect(world.shell.session != nil)
            try body(world)
        }
    }

    @Test func goHomeFromThePaletteAsksBeforeDiscardingADirtyScreen() throws {
        try Self.withDirtyTop { world in
            world.send(.character(":"))
            world.type("go to home")
            world.send(.enter)
            #expect(world.shell.overlayName == "confirm" || world.topTitle == "Edit product",
                    "dirty screen silently discarded; stack now \(world.shell.screens.map(\.title))")
        }
    }

    @Test func signOutFromThePaletteAsksBeforeDiscardingADirtyScreen() throws {
        try Self.withDirtyTop { world in
            world.send(.character(":"))
            world.type("sign out")
            world.send(.enter)
            #expect(world.shell.overlayName == "confirm" || world.topTitle == "Edit product",
                    "dirty screen silently discarded; stack now \(world.shell.screens.map(\.title))")
        }
    }

    @Test func switchingStoreAsksBeforeDiscardingADirtyScreen() throws {
        try Self.withDirtyTop { world in
            world.send(.control("t"))
            #expect(world.topTitle == "Switch store")
            world.send(.enter)
            let titles = world.shell.screens.map(\.title)
            #expect(world.shell.overlayName == "confirm" || titles.contains("Edit product"),
                    "dirty screen silently discarded on entering a store; stack now \(titles)")
        }
    }

    // MARK: 4. A revoked session keeps working in the console

    @Test func aRevokedSessionCannotEnterAStoreAnymore() throws {
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            let session = try #require(world.shell.session)
            #expect(session.store != nil)
            // Revoked elsewhere (`backoffice logout`, an admin disabling the account, expiry).
            try world.services.authenticator.signOut(token: session.token)
            #expect(throws: (any Error).self) { try world.services.authenticator.authenticate(token: session.token) }
            let enteredBefore = world.shell.visibleNotices.filter { $0.text.hasPrefix("entered") }.count
            world.send(.control("t"))
            #expect(world.topTitle == "Switch store")
            world.send(.enter)
            let enteredAfter = world.shell.visibleNotices.filter { $0.text.hasPrefix("entered") }.count
            #expect(enteredAfter == enteredBefore,
                    "a revoked session entered a store again: top \(world.topTitle ?? "-"), notices \(world.shell.visibleNotices.map(\.text))")
        }
    }

    // MARK: 5. Small-size fuzz (no confirm dialog): traps anywhere else?
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROBE_CRASH"] == "3"))
    func smallSizesDoNotTrap() throws {
        try ShellWorld.withDemo { world in
            func sweep(_ label: String) {
                for w in 1...44 { for h in 1...12 {
                    world.runner.resize(to: Size(width: w, height: h)); _ = world.runner.frame()
                } }
                world.runner.resize(to: Size(width: 80, height: 24))
                print("PROBE swept \(label)")
            }
            world.type("x\u{1b}[31m伝説の剣🗡️")
            sweep("sign-in"); world.send(.function(1)); sweep("help"); world.send(.escape)
            world.runner.post(.feed(.lost("broke"))); sweep("banner")
            world.signIn("manager@demo-games.test"); sweep("store home")
            world.send(.character(":")); sweep("palette"); world.send(.escape)
            world.send(.control("t")); sweep("picker")
            world.send(.character("/")); world.type("dé"); sweep("filter")
        }
    }
}
