import Foundation
import Testing
@testable import Console
@testable import Domain

/// Golden frames of the product types list, the schema editor with a schema issue beside its field, and
/// the live preview with a validation issue, at 80x24 and 120x40.
@Suite("Console: product type snapshots")
struct SchemaEditorSnapshotTests {
    typealias S = SchemaEditorTestSupport
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    @Test(arguments: sizes)
    func productTypesList(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            let store = try S.openTypes(world)
            try S.createType(world, store, slug: "ebook", name: "E-book")
            world.send(.character("r"), .end)
            GoldenFile.check(world.runner.frame(), "product-types")
        }
    }

    @Test(arguments: sizes)
    func schemaEditorWithAnIssueBesideItsField(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            _ = try S.openEditor(world)
            world.send(.down, .down, .down, .enter)       // rating
            for _ in 0..<7 { world.send(.tab) }           // min
            world.send(.control("u"))
            world.type("20")
            GoldenFile.check(world.runner.frame(), "schema-editor-issue")
        }
    }

    @Test(arguments: sizes)
    func previewWithAValidationIssue(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            _ = try S.openEditor(world)
            world.send(size.width >= 120 ? .function(6) : .function(2))
            world.type("ab")
            world.send(.tab)
            GoldenFile.check(world.runner.frame(), "schema-editor-preview")
        }
    }

    @Test(arguments: sizes)
    func optionsOfASelectField(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            _ = try S.openEditor(world)
            world.send(.down, .enter)                     // platform
            for _ in 0..<7 { world.send(.tab) }           // steam's value
            world.send(.control("u"))
            GoldenFile.check(world.runner.frame(), "schema-editor-options")
        }
    }
}
