import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// Issue 7, item 2: the schema editor over a real store — building a schema from the keyboard, the
/// schema check's issues beside their field, reordering, saving (forced when products would break,
/// refused on a version conflict), import and export.
@Suite("Console: schema editor")
struct SchemaEditorScreenTests {
    typealias S = SchemaEditorTestSupport

    /// From the field list: adds a field, names it and labels it, leaving the focus on its type.
    static func addField(_ world: ShellWorld, name: String, label: String) {
        world.send(.character("a"))
        world.type(name)
        world.send(.tab)
        world.type(label)
        world.send(.tab)
    }

    @Test func buildingATypeFromTheKeyboardSavesExactlyThatSchema() throws {
        try ShellWorld.withDemo { world in
            let store = try S.signIn(world)
            try S.createType(world, store, slug: "bundle", name: "Bundle")
            world.runner.mutate { $0.push(AnyScreen(SchemaEditorScreen(store: store, slug: "bundle"))) }

            // A text field: required, at least 3 characters.
            Self.addField(world, name: "title", label: "Title")
            world.send(.tab, .tab)                       // scope, required
            world.send(.character(" "))                  // required
            world.send(.tab, .tab, .tab)                 // default, help, min length
            world.type("3")
            world.send(.escape)

            // A select with the options steam and epic.
            Self.addField(world, name: "platform", label: "Platform")
            world.send(.character("s"))                  // the next type starting with s: select
            #expect(S.editor(world)?.fields.last?.type == .select)
            world.send(.tab, .tab, .tab, .tab, .tab)     // scope, required, default, help, add option
            #expect(S.editor(world)?.pane.focus == .addOption)
            world.send(.enter)
            world.type("steam")
            world.send(.tab)
            world.type("Steam")
            world.send(.control("n"))                    // on an option: another option after it
            world.type("epic")
            world.send(.tab)
            world.type("Epic Games")
            world.send(.escape)

            // A money field per variant.
            Self.addField(world, name: "list_price", label: "Price")
            world.send(.character("m"))
            world.send(.tab, .character(" "))            // scope: variant
            world.send(.escape)

            let editor = try #require(S.editor(world))
            #expect(editor.issues.isEmpty, "\(editor.issues)")
            #expect(editor.isDirty)
            world.send(.control("s"))
            #expect(S.editor(world)?.isDirty == false)
            #expect(world.shell.visibleNotices.last?.text == "saved Bundle: schema version 2")

            let saved = try world.services.productTypes.show(store, slug: "bundle").schema
            let expected = ProductSchema(fields: [
                SchemaField(name: "title", type: .text, label: "Title", required: true, validation: FieldRules(minLength: 3)),
                SchemaField(name: "platform", type: .select, label: "Platform",
                            options: [FieldOption(value: "steam", label: "Steam"), FieldOption(value: "epic", label: "Epic Games")]),
                SchemaField(name: "list_price", type: .money, label: "Price", scope: .variant),
            ])
            #expect(saved == expected)
            // What is on screen is what was read back.
            #expect(S.editor(world)?.fields == expected.fields.map(SchemaEditorField.init))
        }
    }

    @Test func theSchemaChecksIssueAppearsBesideItsFieldAsYouTypeAndGoesWhenFixed() throws {
        try ShellWorld.withDemo { world in
            _ = try S.openEditor(world)
            world.send(.down, .down, .down, .enter)      // rating
            #expect(S.editor(world)?.fields[3].name == "rating")
            for _ in 0..<7 { world.send(.tab) }          // min
            #expect(S.editor(world)?.pane.focus == .rule(.min))
            world.send(.control("u"))
            world.type("20")
            let editor = try #require(S.editor(world))
            let issues = editor.issues.of(field: 3, slot: .rule(.min))
            #expect(issues.map(\.message) == ["min (20) is greater than max (10); no value could pass"])
            #expect(world.text.contains("min (20) is greater than max (10)"))
            // Saving is refused while the schema has issues, and nothing is written.
            world.send(.control("s"))
            #expect(world.shell.visibleNotices.last?.text == "fix the 1 schema issue before saving")
            #expect(try world.services.productTypes.show(try #require(world.shell.session?.store?.context), slug: "game").version == 1)
            world.send(.backspace)
            #expect(S.editor(world)?.issues.isEmpty == true)
            #expect(!world.text.contains("greater than max"))
        }
    }

    @Test func aNewFieldWithoutANameShowsTheNameRuleUnderName() throws {
        try ShellWorld.withDemo { world in
            _ = try S.openEditor(world)
            world.send(.character("a"))
            let editor = try #require(S.editor(world))
            #expect(editor.fields[1].name == "", "added after the selected field")
            #expect(editor.issues.of(field: 1, slot: .name).first?.rule == "format")
            world.type("Title")
            #expect(S.editor(world)?.issues.of(field: 1, slot: .name).first?.rule == "format", "capitals are refused")
            world.send(.control("u"))
            world.type("title")
            #expect(S.editor(world)?.issues.of(field: 1, slot: .name).first?.rule == "duplicate")
            world.send(.control("u"))
            world.type("subtitle")
            #expect(S.editor(world)?.issues.isEmpty == true)
        }
    }

    @Test func defaultsAreTypedAsPeopleWriteThem() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            Self.addField(world, name: "list_price", label: "Price")        // after title
            world.send(.character("m"), .tab, .tab, .tab)              // money; default
            world.type("19.999 EUR")
            #expect(S.editor(world)?.issues.of(field: 1, slot: .defaultValue).map(\.message) == ["the default has 3 decimals but EUR allows 2 (got '19.999')"])
            world.send(.control("u"))
            world.type("19.99 EUR")
            #expect(S.editor(world)?.issues.isEmpty == true)
            world.send(.escape)
            Self.addField(world, name: "tags", label: "Tags")
            world.send(.character("m"), .character("m"))               // money, then multiselect
            world.send(.tab, .tab, .tab)
            world.type("a, b")
            world.send(.tab, .tab, .tab, .tab, .enter)                 // help, min items, max items, add option
            world.type("a")
            world.send(.tab)
            world.type("A")
            #expect(S.editor(world)?.issues.of(field: 2, slot: .defaultValue).isEmpty == false, "b is not an option yet")
            world.send(.control("n"))
            world.type("b")
            world.send(.tab)
            world.type("B")
            #expect(S.editor(world)?.issues.isEmpty == true)
            world.send(.control("s"))
            let saved = try world.services.productTypes.show(store, slug: "game").schema
            #expect(saved.field(named: "list_price")?.defaultValue == Money(amount: 1999, currency: "EUR").json)
            #expect(saved.field(named: "tags")?.defaultValue == .array([.string("a"), .string("b")]))
            #expect(S.editor(world)?.fields[1].defaultText == "19.99 EUR")
        }
    }

    @Test func reorderingDuplicatingAndRemovingFieldsAndOptions() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            world.send(.down, .down, .down)              // rating
            world.send(.character("K"))                  // above release_date
            #expect(S.editor(world)?.fields.map(\.name) == ["title", "platform", "rating", "release_date", "description", "region"])
            #expect(S.editor(world)?.cursor.selected == 2, "the selection follows the field")
            world.send(.function(8), .function(8))       // down twice
            #expect(S.editor(world)?.fields.map(\.name) == ["title", "platform", "release_date", "description", "rating", "region"])
            world.send(.character("c"))
            #expect(S.editor(world)?.fields.map(\.name)[5] == "rating_copy")
            world.send(.character("x"))
            #expect(S.editor(world)?.fields.count == 6)

            // The platform's options: gog moved to the top, epic removed.
            world.send(.home, .down, .enter)
            for _ in 0..<11 { world.send(.tab) }         // …, help, steam, Steam, epic, Epic Games, gog
            #expect(S.editor(world)?.pane.focus == .optionValue(2))
            world.send(.function(7), .function(7))
            world.send(.down)
            world.send(.down)                            // epic, now third
            #expect(S.editor(world)?.pane.focus == .optionValue(2))
            world.send(.control("x"))
            #expect(S.editor(world)?.fields[1].options.map(\.value) == ["gog", "steam"])

            // Hades is on epic: the removed option would break it.
            world.send(.control("s"))
            #expect(S.editor(world)?.affected.map(\.slug) == ["hades"])
            world.send(.character("y"))
            let saved = try world.services.productTypes.show(store, slug: "game")
            #expect(saved.schema.fields.map(\.name) == ["title", "platform", "release_date", "description", "rating", "region"])
            #expect(saved.schema.field(named: "platform")?.options?.map(\.value) == ["gog", "steam"])
        }
    }

    @Test func aSchemaThatWouldBreakProductsListsThemAndAsksBeforeForcing() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            world.send(.enter)                            // title
            for _ in 0..<7 { world.send(.tab) }           // min length
            world.send(.control("u"))
            world.type("9")
            world.send(.control("s"))
            #expect(world.shell.overlayName == "confirm")
            let editor = try #require(S.editor(world))
            // Portal 2, Hades and Celeste have titles shorter than 9 characters.
            #expect(editor.affected.map(\.slug) == ["portal-2", "hades", "celeste"])
            #expect(world.text.contains("3 products would become invalid"))
            #expect(try world.services.productTypes.show(store, slug: "game").version == 1, "nothing written yet")

            // Cancelled: still unsaved, the products still listed.
            world.send(.character("n"))
            #expect(S.editor(world)?.isDirty == true)
            #expect(try world.services.productTypes.show(store, slug: "game").schema.field(named: "title")?.validation.minLength == 3)

            world.send(.control("s"))
            world.send(.character("y"))
            let saved = try world.services.productTypes.show(store, slug: "game")
            #expect(saved.schema.field(named: "title")?.validation.minLength == 9)
            #expect(saved.schemaVersion == 2)
            #expect(S.editor(world)?.isDirty == false)
            #expect(S.editor(world)?.affected.isEmpty == true)
        }
    }

    @Test func aVersionConflictIsShownAndNothingIsOverwritten() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            // Someone else renames the type meanwhile.
            var other = try ProductTypeDefinition.parse(try world.services.productTypes.show(store, slug: "game").definition)
            other.name = "Games"
            _ = try world.services.productTypes.update(store, slug: "game", other)

            world.send(.down, .down, .down, .character("x"))     // remove rating
            world.send(.control("s"))
            let editor = try #require(S.editor(world))
            #expect(editor.conflict?.contains("was changed by someone else") == true)
            #expect(editor.isDirty)
            #expect(world.text.contains("changed by someone else"))
            let stored = try world.services.productTypes.show(store, slug: "game")
            #expect(stored.name == "Games" && stored.schema.field(named: "rating") != nil)

            // Ctrl-R asks, then reads the other change.
            world.send(.control("r"))
            #expect(world.shell.overlayName == "confirm")
            world.send(.character("y"))
            #expect(S.editor(world)?.type?.name == "Games")
            #expect(S.editor(world)?.conflict == nil)
            #expect(S.editor(world)?.isDirty == false)
        }
    }

    @Test func aLiveChangeReloadsAnUnchangedEditorAndWarnsAChangedOne() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            func renameElsewhere(_ name: String) throws {
                var other = try ProductTypeDefinition.parse(try world.services.productTypes.show(store, slug: "game").definition)
                other.name = name
                _ = try world.services.productTypes.update(store, slug: "game", other)
                world.runner.post(.changes([ChangeNotice(tenantID: store.tenantID, event: "after_product_type_update", id: "1")]))
            }
            try renameElsewhere("Games")
            #expect(S.editor(world)?.type?.name == "Games")
            #expect(S.editor(world)?.conflict == nil)

            world.send(.character("x"))                           // an unsaved change
            try renameElsewhere("Game keys")
            #expect(S.editor(world)?.type?.name == "Games", "the user's work is kept")
            #expect(S.editor(world)?.conflict?.contains("now version 3, you are editing version 2") == true)
            #expect(world.text.contains("changed by someone else"))
        }
    }

    @Test func exportThenImportRoundTripsAndBadFilesSayWhatIsWrong() throws {
        try ShellWorld.withDemo { world in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-editor-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try S.openEditor(world)
            let path = directory.appendingPathComponent("game.json").path

            world.send(.character("e"), .control("u"))
            world.type(path)
            world.send(.enter)
            #expect(world.shell.visibleNotices.last?.text == "exported to \(path)")
            let exported = try ProductTypeDefinition.parse(text: String(contentsOfFile: path, encoding: .utf8))
            #expect(exported.schema == (try world.services.productTypes.show(store, slug: "game")).schema)

            // Exporting again asks before replacing the file.
            world.send(.function(4), .control("u"))
            world.type(path)
            world.send(.enter)
            #expect(world.shell.overlayName == "confirm")
            world.send(.character("y"))
            #expect(world.shell.visibleNotices.last?.text == "exported to \(path)")

            // Import: a missing file, a file that is not JSON, a schema with an unknown type.
            func importing(_ file: String) {
                world.send(.character("i"))
                world.type(file)
                world.send(.enter)
            }
            importing(directory.appendingPathComponent("nope.json").path)
            #expect(world.shell.visibleNotices.last?.text == "there is no file \(directory.appendingPathComponent("nope.json").path)")
            let broken = directory.appendingPathComponent("broken.json").path
            try "{\"fields\": [".write(toFile: broken, atomically: true, encoding: .utf8)
            importing(broken)
            #expect(world.shell.visibleNotices.last?.text.hasPrefix("\(broken) is not valid JSON") == true)
            let wrong = directory.appendingPathComponent("wrong.json").path
            try #"{"fields": [{"name": "title", "type": "txt"}]}"#.write(toFile: wrong, atomically: true, encoding: .utf8)
            importing(wrong)
            #expect(world.shell.visibleNotices.last?.text.hasPrefix("\(wrong) was not imported: 1 problem: fields[0].type must be one of") == true)
            #expect(S.editor(world)?.isDirty == false, "a refused import changes nothing")

            // A bare schema replaces the fields (not saved until Ctrl-S).
            let bare = directory.appendingPathComponent("bare.json").path
            try #"{"fields": [{"name": "isbn", "type": "text", "validation": {"pattern": "^[0-9-]+$"}}]}"#.write(toFile: bare, atomically: true, encoding: .utf8)
            importing(bare)
            #expect(S.editor(world)?.fields.map(\.name) == ["isbn"])
            #expect(S.editor(world)?.isDirty == true)
            // The exported file brings the original back.
            importing(path)
            #expect(S.editor(world)?.isDirty == false)
        }
    }

    @Test func thePreviewValidatesWhatIsTypedIntoIt() throws {
        try ShellWorld.withDemo { world in
            _ = try S.openEditor(world)
            world.send(.function(2))                      // at 80 columns the preview replaces the editor
            let editor = try #require(S.editor(world))
            #expect(editor.focus == .preview)
            world.type("ab")
            world.send(.tab)
            #expect(S.editor(world)?.preview.product.issues(for: "title").map(\.rule) == ["minLength"])
            world.send(.function(5))
            #expect(S.editor(world)?.preview.product.issues(for: "platform").map(\.rule) == ["required"])
            world.send(.escape)
            #expect(S.editor(world)?.focus == .fields)
            #expect(S.editor(world)?.previewShownNarrow == false)
            #expect(S.editor(world)?.isDirty == false, "typing into the preview changes no schema")
        }
    }

    @Test func thePreviewFollowsTheSchemaKeepingTypedValues() throws {
        try ShellWorld.withDemo(size: Size(width: 120, height: 40)) { world in
            _ = try S.openEditor(world)
            world.send(.function(6))
            world.type("Portal")
            world.send(.function(6), .function(6))        // variant form, then back to the editor
            #expect(S.editor(world)?.focus == .properties || S.editor(world)?.focus == .fields)
            world.send(.escape, .down, .enter, .tab)      // platform's label
            world.send(.control("u"))
            world.type("Store")
            let preview = try #require(S.editor(world)?.preview)
            #expect(preview.product.fields.map(\.label).contains("Store"))
            #expect(preview.product.value(of: "title") == .string("Portal"))
        }
    }

    @Test func renamingTheTypeIsSavedWithItsSchema() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            world.send(.character("n"), .control("u"), .enter)
            #expect(world.shell.visibleNotices.last == .error("a product type needs a name"))
            world.type("Game keys")
            world.send(.enter)
            #expect(S.editor(world)?.isDirty == true)
            #expect(world.text.contains("Game keys (game)"))
            world.send(.control("s"))
            let saved = try world.services.productTypes.show(store, slug: "game")
            #expect(saved.name == "Game keys" && saved.schemaVersion == 1, "a new name is not a schema change")
        }
    }

    @Test func theSlugChangesWithTheTypeAndTheLayoutFollowsRenamedFields() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            // A slug the Domain refuses is refused in the prompt, which stays open.
            world.send(.character("s"), .control("u"))
            world.type("Game Keys!")
            world.send(.enter)
            let refusal = try #require(world.shell.visibleNotices.last)
            #expect(refusal.kind == .error && refusal.text.hasPrefix("slug: "), "\(refusal)")
            #expect(S.editor(world)?.prompt != nil)
            world.send(.control("u"))
            world.type("game-keys")
            world.send(.enter)
            #expect(S.editor(world)?.newSlug == "game-keys" && S.editor(world)?.isDirty == true)
            #expect(world.text.contains("(game → game-keys)"))

            // release_date renamed, rating removed: the ui_config's section follows both.
            world.send(.down, .down, .enter, .control("u"))
            world.type("released")
            world.send(.escape, .down, .character("x"))
            #expect(S.editor(world)?.fields.map(\.name) == ["title", "platform", "released", "description", "region"])
            world.send(.control("s"))
            if world.shell.overlayName == "confirm" { world.send(.character("y")) }
            let saved = try world.services.productTypes.show(store, slug: "game-keys")
            #expect(saved.uiConfig == .object(["sections": .array([.object([
                "title": .string("Game"), "fields": .array(["title", "platform", "released", "description"].map(JSONValue.string)),
            ])])]))
            #expect(throws: NotFoundError.self) { try world.services.productTypes.show(store, slug: "game") }
            #expect(try world.services.products.list(store, ProductService.Filter(typeSlug: "game-keys")).products.count == 5)
            let editor = try #require(S.editor(world))
            #expect(editor.slug == "game-keys" && !editor.isDirty)
            #expect(world.text.contains("(game-keys)"))

            // A slug another type has: the save is refused with the Domain's message and nothing changes.
            _ = try world.services.productTypes.create(store, try ProductTypeDefinition.parse(
                .object(["slug": .string("bundle"), "name": .string("Bundle"), "schema": .object(["fields": .array([])])])))
            world.send(.character("s"), .control("u"))
            world.type("bundle")
            world.send(.enter, .control("s"))
            #expect(S.editor(world)?.failure?.contains("slug is already in use") == true)
            #expect(S.editor(world)?.isDirty == true)
            #expect(try world.services.productTypes.show(store, slug: "game-keys").version == saved.version)
        }
    }

    @Test func aDuplicatedFieldLeavesTheLayoutToItsOriginal() throws {
        try ShellWorld.withDemo { world in
            let store = try S.openEditor(world)
            world.send(.character("c"))                   // title_copy, below title
            #expect(S.editor(world)?.fields.map(\.name).prefix(2) == ["title", "title_copy"])
            #expect(S.editor(world)?.fields[1].originalName == nil)
            world.send(.control("s"))
            if world.shell.overlayName == "confirm" { world.send(.character("y")) }
            let saved = try world.services.productTypes.show(store, slug: "game")
            #expect(saved.schema.fields.map(\.name).prefix(2) == ["title", "title_copy"])
            #expect(saved.uiConfig == .object(["sections": .array([.object([
                "title": .string("Game"), "fields": .array(["title", "platform", "release_date", "rating", "description"].map(JSONValue.string)),
            ])])]), "the layout still names title, not its copy")
        }
    }

    @Test func theLayoutsFieldListsFollowRenamesAndDropRemovedFields() {
        var fields = [SchemaEditorField(name: "title"), SchemaEditorField(name: "platform"), SchemaEditorField(name: "rating")]
        for index in fields.indices { fields[index].originalName = fields[index].name }
        fields[0].name = "headline"
        fields.remove(at: 2)
        fields.append(SchemaEditorField(name: "title"))   // a new field under the old name of another
        let config: JSONValue = .object([
            "sections": .array([
                .object(["title": .string("Main"), "fields": .array(["title", "platform", "rating"].map(JSONValue.string))]),
                .object(["title": .string("Other"), "fields": .array(["gone"].map(JSONValue.string)), "columns": .integer(2)]),
            ]),
            "fields": .array([.object(["name": .string("title")])]),   // not a list of names: kept as it is
        ])
        let followed = SchemaEditorUIConfig.following(config, fields: fields)
        #expect(followed == .object([
            "sections": .array([
                .object(["title": .string("Main"), "fields": .array(["headline", "platform"].map(JSONValue.string))]),
                .object(["title": .string("Other"), "fields": .array([]), "columns": .integer(2)]),
            ]),
            "fields": .array([.object(["name": .string("title")])]),
        ]))
    }

    @Test func strayLettersOnAChoiceOrInThePreviewNeverQuit() throws {
        try ShellWorld.withDemo { world in
            _ = try S.openEditor(world)
            world.send(.enter, .tab, .tab, .tab)          // scope
            world.send(.character("q"))
            #expect(!world.runner.didQuit)
            #expect(world.shell.overlayName == nil)
            world.send(.character("?"))
            #expect(world.shell.overlayName == "help")
            world.send(.escape, .escape, .function(2), .tab, .character("q"))   // the preview's platform select
            #expect(!world.runner.didQuit)
            #expect(S.editor(world)?.isDirty == false)
        }
    }

    @Test func shrinkingBelow120ColumnsHidesThePreviewAndGivesTheKeysBack() throws {
        try ShellWorld.withDemo(size: Size(width: 120, height: 40)) { world in
            _ = try S.openEditor(world)
            world.send(.function(6))
            #expect(S.editor(world)?.focus == .preview)
            world.runner.resize(to: Size(width: 80, height: 24))
            world.send(.down)
            #expect(S.editor(world)?.focus == .fields)
            #expect(S.editor(world)?.cursor.selected == 1, "the key went to the field list")
            #expect(!world.text.contains("Product form"))
        }
    }

    @Test func everyActionIsAKeyBindingInThePalette() throws {
        try ShellWorld.withDemo { world in
            _ = try S.openEditor(world)
            let names = (S.editor(world)?.bindings ?? []).filter(\.inPalette).map(\.name)
            for action in ["Save the schema", "Add a field (an option, on the options)", "Duplicate the field",
                           "Remove the field (the option, on the options)", "Move the field (or option) up", "Move the field (or option) down",
                           "Switch between the editor and the preview", "Show or hide the preview", "Import the schema from a JSON file",
                           "Export the product type to a JSON file", "Rename the type", "Change the type's slug (how files, the CLI and products name it)", "Reload the type (discarding changes)", "Check the values typed into the preview"] {
                #expect(names.contains(action), "\(action)")
            }
            // The palette's Ctrl-N works even while a property has the keys.
            world.send(.enter)
            world.send(.character(":"))
            #expect(world.shell.overlayName == nil, "':' is typed into the name")
            world.send(.control("u"))
            world.type("title")
            world.send(.escape, .character(":"))
            #expect(world.shell.overlayName == "palette")
            world.type("add a field")
            world.send(.enter)
            #expect(S.editor(world)?.fields.count == 7)
        }
    }
}
