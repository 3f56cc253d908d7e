import ArgumentParser
import Domain
import Foundation

/// `backoffice login`: signs in and stores the session token (0600) for the next commands.
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in; the session is stored under ~/.config/backoffice (BACKOFFICE_TOKEN overrides it).")

    @Option(help: "Your email address.") var email: String
    @Flag(help: "Read the password from the first line of stdin instead of prompting.") var passwordStdin = false
    @Flag(help: "Also print the session token (for BACKOFFICE_TOKEN in scripts); it is a secret.") var printToken = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        try options.output.run {
            let environment = try CommandEnvironment.open()
            let password = try PasswordPrompt.read(fromStdin: passwordStdin)
            let signIn = try environment.authenticator.signIn(email: email, password: password)
            try environment.sessions.save(signIn.token)
            var data = WhoAmI(user: signIn.user, stores: try environment.authenticator.memberships(of: signIn.user))
            data.expiresAt = signIn.expiresAt
            if printToken { data.token = signIn.token }
            var message = "signed in as \(signIn.user.email)\(signIn.user.isSuperAdmin ? " (super admin)" : "")"
            if printToken { message += "\ntoken: \(signIn.token)" }
            return (data, message)
        }
    }
}

/// `backoffice logout`: revokes the session and forgets it.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Revoke the current session.")
    @OptionGroup var options: OutputOptions

    func run() throws {
        try options.output.run {
            let sessions = SessionStore()
            guard let token = sessions.token() else {
                return ([String: String](), "not signed in")
            }
            try CommandEnvironment.open().authenticator.signOut(token: token)
            sessions.clear()
            return ([String: String](), "signed out")
        }
    }
}

/// `backoffice whoami`: the signed-in user and the stores they can enter.
struct WhoAmICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show who is signed in and their stores.")
    @OptionGroup var options: OutputOptions

    func run() throws {
        try options.output.run {
            let environment = try CommandEnvironment.open()
            let user = try environment.currentUser()
            let stores = try environment.authenticator.memberships(of: user)
            var lines = ["\(user.name) <\(user.email)>\(user.isSuperAdmin ? " — super admin" : "")"]
            lines += stores.isEmpty ? ["no stores"] : stores.map { "  \($0.slug)  \($0.name)  (\($0.role))" }
            return (WhoAmI(user: user, stores: stores), lines.joined(separator: "\n"))
        }
    }
}

/// The `data` of `login` and `whoami`.
struct WhoAmI: Encodable {
    var user: AuthenticatedUser
    var stores: [Membership]
    var expiresAt: Date?
    var token: String?
}
