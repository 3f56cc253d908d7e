import Domain
import Foundation

/// Who is signed in to this console and which store they are in. The shell owns it; screens read it
/// from their `ScreenContext` and capture its contexts in the work they hand to `Effect.task`.
public struct ConsoleSession: Sendable, Equatable {
    public var user: AuthenticatedUser
    /// The bearer token of this sign-in (revoked on sign-out).
    public var token: String
    /// The store entered, if any.
    public var store: StoreSession?

    public init(user: AuthenticatedUser, token: String, store: StoreSession? = nil) {
        self.user = user
        self.token = token
        self.store = store
    }
}

/// A store the user entered: the context every tenant service call takes, and how the store is shown.
public struct StoreSession: Sendable, Equatable {
    public var context: TenantContext
    /// The store's display name (branding `displayName`, else its name).
    public var name: String
    /// The branding accent (`accentColor`), which colours the frame.
    public var accent: TerminalColor?

    public init(context: TenantContext, name: String, accent: TerminalColor?) {
        self.context = context
        self.name = name
        self.accent = accent
    }

    /// Reads the store's branding for the frame: its display name and accent colour.
    public init(context: TenantContext, tenant: Tenant) {
        var name = tenant.name
        var accent: TerminalColor?
        if case .string(let display)? = tenant.branding["displayName"], !display.isEmpty {
            name = display
        }
        if case .string(let hex)? = tenant.branding["accentColor"] {
            accent = TerminalColor(themeText: hex)
        }
        self.init(context: context, name: name, accent: accent)
    }
}

/// What a screen's `update` and `view` may consult besides their own state: the theme (already tinted
/// with the store's accent) and the session.
public struct ScreenContext: Sendable {
    public var theme: Theme
    public var session: ConsoleSession?
    /// The size of the area the screen is drawn in (what `view` gets as its rect), for layouts that
    /// paging depends on (a table's rows per page).
    public var contentSize: Size
    /// How long a fulfilment claim lasts (`BACKOFFICE_CLAIM_TIMEOUT_MINUTES`), for showing when it ends.
    public var claimTimeout: TimeInterval

    public init(theme: Theme, session: ConsoleSession?, contentSize: Size = Size(width: 80, height: 22),
                claimTimeout: TimeInterval = 15 * 60) {
        self.theme = theme
        self.session = session
        self.contentSize = contentSize
        self.claimTimeout = claimTimeout
    }

    /// The store context, when a store has been entered.
    public var store: TenantContext? { session?.store?.context }
}
