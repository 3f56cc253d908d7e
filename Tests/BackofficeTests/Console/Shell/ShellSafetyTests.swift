import Foundation
import Testing
@testable import Console
@testable import Domain

/// What the review of the shell found, kept as tests: Ctrl-C quits from under any overlay, unsaved
/// changes are never dropped without asking, a revoked session ends in the console too, a question
/// never replaces an open overlay, and no frame traps at any small size.
@Suite("Console shell: safety")
struct ShellSafetyTests {
    /// A screen with unsaved changes.
    struct DirtyScreen: Screen {
        enum Message: Sendable { case ask }
        var title: String { "Edit product" }
        var bindings: [KeyBinding] { [] }
        var isDirty: Bool { true }
        mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message> {
            if case .key(.character("x")) = event {
                return .confirm(Confirmation(title: "Delete", text: "Delete it?", confirmLabel: "Delete", isDestructive: true, onConfirm: .ask))
            }
            if case .key = event { return .ignored }
            return .none
        }
        func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext) {
            canvas.put("editing", x: rect.x, y: rect.y, style: context.theme.style(.normal))
        }
    }

    /// Signs in as the demo super admin, enters demo-games, and opens a dirty screen on top.
    static func withDirtyScreen(_ body: (ShellWorld) throws -> Void) throws {
        try ShellWorld.withDemo { world in
            try world.enterAsSuperAdmin("demo-games")
            world.runner.mutate { $0.push(AnyScreen(DirtyScreen())) }
            #expect(world.topTitle == "Edit product")
            try body(world)
        }
    }

    @Test func ctrlCQuitsWithTheHelpOrThePaletteOpen() throws {
        for opener in [Key.character("?"), Key.character(":")] {
            try ShellWorld.with { world in
                world.send(opener)
                #expect(world.shell.overlayName != nil)
                world.send(.control("c"))
                #expect(world.runner.didQuit)
            }
        }
    }

    @Test func ctrlCOnTheQuitQuestionAnswersYes() throws {
        try Self.withDirtyScreen { world in
            world.send(.character("q"))
            #expect(world.shell.overlayName == "confirm")
            #expect(!world.runner.didQuit)
            world.send(.control("c"))
            #expect(world.runner.didQuit)
        }
    }

    @Test(arguments: ["go to home", "sign out"])
    func paletteCommandsThatReplaceTheStackAskFirst(command: String) throws {
        try Self.withDirtyScreen { world in
            world.send(.character(":"))
            world.type(command)
            world.send(.enter)
            #expect(world.shell.overlayName == "confirm")
            world.send(.character("n"))
            #expect(world.topTitle == "Edit product", "kept after No")
            world.send(.character(":"))
            world.type(command)
            world.send(.enter, .character("y"))
            #expect(world.topTitle == (command == "sign out" ? "Sign in" : "Home"))
        }
    }

    @Test func enteringAnotherStoreAsksFirst() throws {
        try Self.withDirtyScreen { world in
            world.send(.control("t"))
            #expect(world.topTitle == "Switch store")
            world.send(.end, .enter)
            #expect(world.shell.overlayName == "confirm")
            #expect(world.shell.session?.store?.context.tenantSlug == "demo-games")
            world.send(.character("y"))
            #expect(world.shell.session?.store?.context.tenantSlug == "demo-software")
            #expect(world.shell.screens.map(\.title) == ["Home"])
        }
    }

    @Test func aScreensQuestionWaitsForTheOpenOverlay() throws {
        try Self.withDirtyScreen { world in
            world.send(.character("?"))
            // A question arriving while the help is open (as an async answer would) waits for it.
            world.runner.mutate { shell in
                shell.perform(.help)
            }
            world.send(.escape)
            world.send(.character("x"))
            #expect(world.shell.overlayName == "confirm")
            world.send(.character("n"))
            #expect(world.shell.overlayName == nil)
        }
    }

    @Test func aRevokedSessionEndsAtTheNextCheck() throws {
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            let session = try #require(world.shell.session)
            // Revoked elsewhere (`backoffice logout`, expiry, an admin disabling the account).
            try world.services.authenticator.signOut(token: session.token)
            world.send(.control("t"))
            #expect(world.topTitle == "Sign in")
            #expect(world.shell.session == nil)
            #expect(world.shell.visibleNotices.contains { $0.text.contains("session ended") })
        }
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            let session = try #require(world.shell.session)
            try world.services.authenticator.signOut(token: session.token)
            world.send(.character("r"))
            #expect(world.topTitle == "Sign in", "the home's refresh notices it too")
        }
    }

    @Test func aConfirmationFitsEvenATinyTerminal() throws {
        try ShellWorld.with(size: Size(width: 80, height: 6)) { world in
            world.send(.character("d"))
            #expect(world.shell.overlayName == "confirm")
            #expect(world.text.contains("Load (y)"))
        }
    }

    @Test func noFrameTrapsAtAnySmallSize() throws {
        try ShellWorld.withDemo { world in
            func sweep() {
                for width in 1...44 {
                    for height in 1...12 {
                        world.runner.resize(to: Size(width: width, height: height))
                        _ = world.runner.frame()
                    }
                }
                world.runner.resize(to: Size(width: 80, height: 24))
            }
            world.type("x\u{1b}[31m伝説の剣🗡️")
            sweep()
            world.send(.function(1))
            sweep()
            world.send(.escape)
            world.runner.post(.feed(.lost("broke")))
            sweep()
            world.signIn("manager@demo-games.test")
            sweep()
            world.send(.character(":"))
            sweep()
            world.send(.escape, .control("t"))
            sweep()
            world.send(.character("/"))
            world.type("dé")
            sweep()
            world.send(.enter, .escape, .character("q"))
            #expect(world.runner.didQuit)
        }
    }
}
