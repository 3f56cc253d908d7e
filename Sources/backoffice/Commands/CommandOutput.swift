import ArgumentParser
import Domain
import Foundation
import Postgres

/// Prints a command's result the way design §1 fixes it: with `--json`, exactly the platform envelope
/// (`{"success":true,"data":…,"message":…}` / `{"success":false,"error":…,"statusCode":…}`) on stdout;
/// without, human text on stdout and errors on stderr. Any error exits non-zero.
struct CommandOutput {
    let json: Bool

    /// Runs `body`; its value is `data` in the envelope and its message the human text.
    func run<Payload: Encodable>(_ body: () throws -> (data: Payload, message: String)) throws {
        do {
            let (data, message) = try body()
            if json {
                try printEnvelope(SuccessEnvelope(data: data, message: message))
            } else if !message.isEmpty {
                print(message)
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            let appError = CommandOutput.classify(error)
            if json {
                let issues = (appError as? Domain.ValidationError)?.issues
                try? printEnvelope(FailureEnvelope(error: appError.message, statusCode: appError.statusCode, issues: issues?.isEmpty == false ? issues : nil))
            } else {
                var text = "error: \(appError.message)\n"
                if let issues = (appError as? Domain.ValidationError)?.issues, issues.count > 1 {
                    text += issues.map { "  \($0.field): \($0.message)\n" }.joined()
                }
                FileHandle.standardError.write(Foundation.Data(text.utf8))
            }
            throw ExitCode(1)
        }
    }

    static func classify(_ error: any Error) -> any AppError {
        switch error {
        case let error as any AppError: return error
        case let error as PostgresError: return DatabaseErrorMapping.appError(from: error)
        case let error as ClusterError: return ServiceUnavailableError(error.message)
        default: return InternalError(String(describing: error))
        }
    }

    private func printEnvelope<E: Encodable>(_ envelope: E) throws {
        print(String(decoding: try PlatformJSON.encoder().encode(envelope), as: UTF8.self))
    }
}

struct SuccessEnvelope<Payload: Encodable>: Encodable {
    let success = true
    let data: Payload
    let message: String
}

struct FailureEnvelope: Encodable {
    let success = false
    let error: String
    let statusCode: Int
    let issues: [FieldIssue]?
}

/// `--json`, shared by every scripted command.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the platform's JSON envelope instead of text.")
    var json = false

    var output: CommandOutput { CommandOutput(json: json) }
}
