import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Opening the product type screens in a headless console signed in as the demo manager of demo-games.
enum SchemaEditorTestSupport {
    static let manager = "manager@demo-games.test"

    /// Signs in as the manager (straight into demo-games).
    static func signIn(_ world: ShellWorld) throws -> TenantContext {
        world.signIn(manager)
        world.runner.advance(by: 10)
        return try #require(world.shell.session?.store?.context)
    }

    /// The product types list, opened directly.
    static func openTypes(_ world: ShellWorld) throws -> TenantContext {
        let store = try signIn(world)
        world.runner.mutate { $0.push(AnyScreen(ProductTypesScreen(store: store))) }
        world.runner.advance(by: 10)
        return store
    }

    /// The schema editor of `slug`, opened directly.
    static func openEditor(_ world: ShellWorld, slug: String = "game") throws -> TenantContext {
        let store = try signIn(world)
        world.runner.mutate { $0.push(AnyScreen(SchemaEditorScreen(store: store, slug: slug))) }
        world.runner.advance(by: 10)
        return store
    }

    static func types(_ world: ShellWorld) -> ProductTypesScreen? {
        world.shell.screens.last?.unwrap(as: ProductTypesScreen.self)
    }

    static func editor(_ world: ShellWorld) -> SchemaEditorScreen? {
        world.shell.screens.last?.unwrap(as: SchemaEditorScreen.self)
    }

    /// Creates an empty product type through the service (for editor tests that start from nothing).
    static func createType(_ world: ShellWorld, _ store: TenantContext, slug: String, name: String) throws {
        _ = try world.services.productTypes.create(store, try ProductTypeDefinition.parse(
            .object(["slug": .string(slug), "name": .string(name), "schema": .object(["fields": .array([])])])))
    }
}
