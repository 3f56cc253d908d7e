import Foundation
import Postgres
import Testing
@testable import Domain

/// The text projection the EAV equality index stores, and filters turned into the same form.
@Suite struct SchemaProjectionTests {
    @Test func valueProjections() {
        let p = ProductSchema.projection(of:type:)
        #expect(p(.string("Hades"), .text) == "Hades")
        #expect(p(.string("steam"), .select) == "steam")
        #expect(p(.string("ada@example.com"), .email) == "ada@example.com")
        #expect(p(.string("https://example.com"), .url) == "https://example.com")
        #expect(p(.integer(7), .integer) == "7")
        #expect(p(.integer(-42), .integer) == "-42")
        #expect(p(.number(7.0), .integer) == "7")
        #expect(p(.number(2.5), .number) == "2.5")
        #expect(p(.number(3.0), .number) == "3")
        #expect(p(.integer(3), .number) == "3")
        #expect(p(.number(0.1), .number) == "0.1")
        #expect(p(.number(1e-7), .number) == "1e-07")
        #expect(p(.object(["amount": .integer(1999), "currency": .string("EUR")]), .money) == "1999 EUR")
        #expect(p(.bool(true), .boolean) == "true")
        #expect(p(.bool(false), .boolean) == "false")
        #expect(p(.string("2024-05-01"), .date) == "2024-05-01")
        #expect(p(.string("2024-05-01T12:30:00Z"), .datetime) == "2024-05-01T12:30:00Z")
        #expect(p(.string("2024-05-01T01:30:00.250+02:00"), .datetime) == "2024-04-30T23:30:00.25Z")
        #expect(p(.string("2024-12-31T23:00-05:00"), .datetime) == "2025-01-01T04:00:00Z")
        // None for textarea, multiselect, null, the wrong kind and anything over 2,000 bytes.
        #expect(p(.string("long text"), .textarea) == nil)
        #expect(p(.array([.string("a")]), .multiselect) == nil)
        #expect(p(.null, .text) == nil)
        #expect(p(.string("7"), .integer) == nil)
        #expect(p(.number(2.5), .integer) == nil)
        #expect(p(.string(String(repeating: "x", count: 2000)), .text)?.utf8.count == 2000)
        #expect(p(.string(String(repeating: "é", count: 1001)), .text) == nil)
    }

    @Test func filterProjections() {
        let f = ProductSchema.projection(ofFilter:type:)
        #expect(f("007", .integer) == "7")
        #expect(f("+7", .integer) == "7")
        #expect(f("7.0", .integer) == "7")
        #expect(f("7.5", .integer) == nil)
        #expect(f("seven", .integer) == nil)
        #expect(f("0x10", .integer) == nil)
        #expect(f("99999999999999999999", .integer) == nil)
        #expect(f("TRUE", .boolean) == "true")
        #expect(f("no", .boolean) == "false")
        #expect(f("maybe", .boolean) == nil)
        #expect(f("2.50", .number) == "2.5")
        #expect(f("3", .number) == "3")
        #expect(f("3.0", .number) == "3")
        #expect(f("nan", .number) == nil)
        #expect(f("inf", .number) == nil)
        #expect(f("1999 eur", .money) == "1999 EUR")
        #expect(f("19.99 EUR", .money) == nil)
        #expect(f("1999", .money) == nil)
        #expect(f("Hades", .text) == "Hades")
        #expect(f("steam", .select) == "steam")
        #expect(f("2024-05-01", .date) == "2024-05-01")
        #expect(f("2024-02-30", .date) == nil)
        #expect(f("2024-05-01T14:00:00+02:00", .datetime) == "2024-05-01T12:00:00Z")
        #expect(f("2024-05-01", .datetime) == nil)
        #expect(f("anything", .textarea) == nil)
        #expect(f("a", .multiselect) == nil)
        // A filter and a stored value meet in the same text.
        #expect(f("2024-05-01T12:00:00Z", .datetime) == ProductSchema.projection(of: .string("2024-05-01T14:00:00+02:00"), type: .datetime))
        #expect(f("1e1", .number) == ProductSchema.projection(of: .integer(10), type: .number))
    }
}
