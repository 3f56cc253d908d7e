@testable import Console
import Domain
import Postgres
import Testing

@Suite("Fields: MoneyInput")
struct MoneyInputTests {
    /// (currency, typed characters, expected amount text, expected minor units)
    @Test(arguments: [
        ("JPY", "12.5", "125", 125),
        ("JPY", "1500", "1500", 1500),
        ("USD", "19.999", "19.99", 1999),
        ("USD", "0.5", "0.5", 50),
        ("USD", "7", "7", 700),
        ("EUR", "1..2", "1.2", 120),
        ("KWD", "1.2345", "1.234", 1234),
        ("KWD", "1.5", "1.5", 1500),
    ] as [(String, String, String, Int64)])
    func decimalsFollowTheCurrencyExponent(_ currency: String, _ typed: String, _ text: String, _ minor: Int64) throws {
        var input = MoneyInput(currency: currency, allowsCurrencyChange: false)
        for character in typed { do { let result = input.handle(.character(character)); #expect(result) } }
        #expect(input.amountText == text)
        #expect(try input.money() == Money(amount: minor, currency: currency))
        #expect(input.issues.isEmpty)
    }

    @Test func exponentsComeFromTheDomain() {
        #expect(MoneyInput(currency: "JPY").exponent == 0)
        #expect(MoneyInput(currency: "USD").exponent == 2)
        #expect(MoneyInput(currency: "KWD").exponent == 3)
    }

    @Test(arguments: [
        ("USD", "19.99", Key.up, "20.99"),
        ("USD", "0.50", Key.down, "0.00"),
        ("USD", "", Key.up, "1.00"),
        ("JPY", "", Key.up, "1"),
        ("JPY", "0", Key.down, "0"),
        ("KWD", "", Key.up, "1.000"),
        ("KWD", "2.5", Key.down, "1.500"),
    ] as [(String, String, Key, String)])
    func upAndDownStepOneMajorUnit(_ currency: String, _ amount: String, _ key: Key, _ expected: String) {
        var input = MoneyInput(amount: amount, currency: currency)
        do { let result = input.handle(key); #expect(result) }
        #expect(input.amountText == expected)
    }

    @Test func lettersEditTheCurrencyAndCutExtraDecimals() throws {
        var input = MoneyInput(amount: "19.99", currency: "USD", fieldName: "price")
        do { let result = input.handle(.character("j")); #expect(result) }
        #expect(input.isEditingCurrency)
        #expect(input.currency == "J")
        #expect(input.issues.map(\.message) == ["currency must be a 3-letter ISO code like EUR (got 'J')"])
        #expect(input.issues.map(\.field) == ["price"])
        _ = input.handle(.character("p"))
        _ = input.handle(.character("y"))
        #expect(input.currency == "JPY")
        #expect(input.amountText == "19")
        #expect(try input.money() == Money(amount: 19, currency: "JPY"))
        // Back to the amount, then Right at its end into the currency again: the next letter types over.
        do { let result = input.handle(.left); #expect(result) }
        #expect(!input.isEditingCurrency)
        _ = input.handle(.character("5"))
        #expect(input.amountText == "195")
        do { let result = input.handle(.right); #expect(result) }
        #expect(input.isEditingCurrency)
        for letter in "kwd" { _ = input.handle(.character(letter)) }
        #expect(input.currency == "KWD")
        #expect(try input.money() == Money(amount: 195_000, currency: "KWD"))
        do { let result = input.handle(.backspace); #expect(result) }
        #expect(input.currency == "KW")
    }

    @Test func lockedCurrencyIgnoresLetters() {
        var input = MoneyInput(amount: "5", currency: "EUR", allowsCurrencyChange: false)
        do { let result = input.handle(.character("u")); #expect(result) }
        do { let result = input.handle(.right); #expect(result) }
        #expect(input.currency == "EUR")
        #expect(!input.isEditingCurrency)
    }

    @Test func unfinishedAmountReportsTheDomainsMessage() {
        var input = MoneyInput(currency: "USD", fieldName: "price")
        _ = input.handle(.character("."))
        #expect(input.amountText == "0.")
        #expect(input.issues.map(\.message) == ["price must be a decimal amount like 19.99 (got '0.')"])
        _ = input.handle(.character("5"))
        #expect(input.issues.isEmpty)
        #expect(input.amountText == "0.5")
        #expect(MoneyInput(currency: "USD").issues.isEmpty)
    }

    @Test func storedMoneyIsShownInMajorUnits() {
        var input = MoneyInput()
        input.setMoney(Money(amount: 1999, currency: "KWD"))
        #expect(input.amountText == "1.999")
        input.setMoney(Money(amount: 5, currency: "USD"))
        #expect(input.amountText == "0.05")
        input.setMoney(Money(amount: 500, currency: "JPY"))
        #expect(input.amountText == "500")
        #expect(input.currency == "JPY")
    }

    @Test func rendersAmountHintAndCurrency() {
        let plain = MoneyInput(amount: "19.99", currency: "USD")
        #expect(drawn(width: 16) { plain.render(into: &$0, at: $0.bounds, theme: fieldTheme) }.textDump() == "19.99        USD")
        let ranged = MoneyInput(amount: "19.99", currency: "USD", min: 100, max: 50_000)
        #expect(ranged.hint == "1.00–500.00")
        let buffer = drawn(width: 30) { ranged.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(buffer.textDump() == "19.99          1.00–500.00 USD")
        var editing = MoneyInput(amount: "1", currency: "USD", isFocused: true)
        _ = editing.handle(.right)
        let focused = drawn(width: 10) { editing.render(into: &$0, at: $0.bounds, theme: fieldTheme) }
        #expect(focused.textDump() == "1      USD")
        #expect(focused[7, 0].style == fieldTheme.style(.selection))
        #expect(focused.cursor == Point(x: 7, y: 0))
    }
}
