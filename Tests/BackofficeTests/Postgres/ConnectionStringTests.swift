import Foundation
import Postgres
import Testing
import Domain

/// `ConnectionString.replacing`, `EmbeddedCluster.url` and `ServerBinaries.locate`.
@Suite struct PostgresConnectionStringTests {
    @Test func replacingKeepsOtherKeysAndOverridesUserAndDatabase() throws {
        let original = "host=/tmp/sock port=5433 user=alice dbname=shop application_name=bo sslmode=disable connect_timeout=7"
        let replaced = try ConnectionString.replacing(original, ["user": "bob", "dbname": "other"])
        for kept in ["host='/tmp/sock'", "port='5433'", "application_name='bo'", "sslmode='disable'", "connect_timeout='7'"] {
            #expect(replaced.contains(kept), "\(kept) in \(replaced)")
        }
        #expect(replaced.contains("user='bob'"))
        #expect(replaced.contains("dbname='other'"))
        #expect(!replaced.contains("alice"))
        #expect(!replaced.contains("shop"))
        // Once normalised, parsing the result again changes nothing.
        let normalised = try ConnectionString.replacing(replaced, [:])
        #expect(try ConnectionString.replacing(normalised, [:]) == normalised)
        for expected in ["host='/tmp/sock'", "user='bob'", "dbname='other'", "connect_timeout='7'"] {
            #expect(normalised.contains(expected))
        }
    }

    @Test func replacingAcceptsURLs() throws {
        let url = "postgresql://alice:pw@/shop?host=%2Ftmp%2Fmy%20sock&port=5433&application_name=x"
        let replaced = try ConnectionString.replacing(url, ["dbname": "other"])
        #expect(replaced.contains("host='/tmp/my sock'"), "\(replaced)")
        #expect(replaced.contains("port='5433'"))
        #expect(replaced.contains("user='alice'"))
        #expect(replaced.contains("password='pw'"))
        #expect(replaced.contains("dbname='other'"))
    }

    @Test func valuesWithQuotesBackslashesAndSpacesSurvive() throws {
        let tricky = "it's a \\ test 'quoted' "
        let replaced = try ConnectionString.replacing("dbname=x", ["application_name": tricky])
        #expect(replaced == "dbname='x' application_name='it\\'s a \\\\ test \\'quoted\\' '")
        let again = try ConnectionString.replacing(replaced, [:])
        #expect(again == replaced)
        #expect(try ConnectionString.replacing(replaced, ["dbname": "y"]).contains("dbname='y'"))
    }

    @Test func overridesReachTheServer() throws {
        let server = try TestServer.get()
        let database: String = try PGTest.withOwner { try $0.query("SELECT current_database() AS d").single().decode("d") }
        let name = "it's a \\ \"name\""
        let conninfo = try ConnectionString.replacing(server.ownerConninfo, ["dbname": database, "application_name": name])
        let c = try Connection.connect(conninfo)
        defer { c.close() }
        let row = try c.query("SELECT current_database() AS d, current_setting('application_name') AS a").single()
        #expect(try row.decode("d", as: String.self) == database)
        #expect(try row.decode("a", as: String.self) == name)

        let app = try Connection.connect(try ConnectionString.replacing(server.ownerConninfo, ["user": "backoffice_app"]))
        defer { app.close() }
        #expect(try app.query("SELECT current_user AS u").single().decode("u", as: String.self) == "backoffice_app")
    }

    @Test func garbageIsRejectedWithAClearError() {
        for garbage in ["this is garbage", "host", "nosuchkey=1", "postgresql://[::1", "dbname='unterminated"] {
            let error = #expect(throws: PostgresError.self, "\(garbage)") { try ConnectionString.replacing(garbage, ["user": "x"]) }
            #expect(error?.kind == .usage, "\(garbage)")
            #expect(error?.message.hasPrefix("invalid connection string: ") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("\n") == false)
        }
        let unknown = #expect(throws: PostgresError.self) { try ConnectionString.replacing("nosuchkey=1", [:]) }
        #expect(unknown?.message.contains("nosuchkey") == true)
    }

    @Test func embeddedClusterURLsParseEvenWithAwkwardDirectories() throws {
        let cluster = EmbeddedCluster(directory: "/tmp/bo dir/it's")
        let url = cluster.url(user: "backoffice_owner", database: "bo db")
        let parsed = try ConnectionString.replacing(url, [:])
        #expect(parsed.contains("host='/tmp/bo dir/it\\'s/run'"), "\(parsed)")
        #expect(parsed.contains("port='\(EmbeddedCluster.port)'"))
        #expect(parsed.contains("user='backoffice_owner'"))
        #expect(parsed.contains("dbname='bo db'"), "\(parsed)")
        #expect(cluster.dataDirectory == "/tmp/bo dir/it's/pgdata")
        #expect(EmbeddedCluster(directory: "/tmp/a/../b/").directory == "/tmp/b")
    }

    @Test func serverBinariesAreFoundOrExplained() throws {
        let found = try ServerBinaries.locate(environment: ["PATH": "/nonexistent"])
        #expect(FileManager.default.isExecutableFile(atPath: found.initdb))
        #expect(FileManager.default.isExecutableFile(atPath: found.pgCtl))

        let explicit = try ServerBinaries.locate(environment: ["BACKOFFICE_PG_BIN": found.directory])
        #expect(explicit.directory == found.directory)

        let error = #expect(throws: ClusterError.self) {
            try ServerBinaries.locate(environment: ["BACKOFFICE_PG_BIN": "/nonexistent/pg/bin"])
        }
        #expect(error?.message.contains("/nonexistent/pg/bin") == true)
    }
}
