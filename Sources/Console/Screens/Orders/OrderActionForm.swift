import Domain
import Postgres

/// The small forms of the order desk's actions: recording a payment (method, reference, amount with its
/// currency in a `MoneyInput`) and refunding (a reason). A `SchemaForm` of hand-made fields, so issues
/// show under their fields exactly as the services name them.
struct OrderActionForm: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case payment
        case refund
    }

    let kind: Kind
    var form: SchemaForm

    /// A payment form with the amount still due filled in, in the order's currency.
    static func payment(due: Money) -> OrderActionForm {
        let methods = PaymentService.manualMethods.map { FieldOption(value: $0, label: OrderActionForm.label(method: $0)) }
        let fields = [
            FormField(name: "method", label: "Method", type: .select, required: true, options: methods, defaultValue: .string("bank_transfer")),
            FormField(name: "reference", label: "Reference", type: .text, required: true, help: "the transfer's or receipt's reference",
                      rules: FieldRules(maxLength: 200)),
            FormField(name: "amount", label: "Amount", type: .money, required: true),
        ]
        var values: [String: JSONValue] = [:]
        if due.amount > 0 { values["amount"] = due.json }
        let form = SchemaForm(fields: fields, values: values, fillingDefaults: true,
                              settings: FieldEditor.Settings(currency: due.currency))
        return OrderActionForm(kind: .payment, form: form)
    }

    static func refund() -> OrderActionForm {
        let fields = [
            FormField(name: "reason", label: "Reason", type: .text, required: true, help: "kept in the order's history",
                      rules: FieldRules(maxLength: 1000)),
        ]
        return OrderActionForm(kind: .refund, form: SchemaForm(fields: fields))
    }

    var title: String {
        switch kind {
        case .payment: "Record a payment"
        case .refund: "Refund the order"
        }
    }

    /// The payment typed in: method, reference and amount; or the issues that stop it (the amount must be
    /// in the order's currency: the ledger records payments in it).
    func payment(currency: String) -> Result<(method: String, reference: String, amount: Money), ValidationError> {
        let values = form.values
        guard case .string(let method)? = values["method"], case .string(let reference)? = values["reference"] else {
            return .failure(ValidationError(issues: [FieldIssue(field: "reference", rule: "required", message: "reference is required")]))
        }
        guard case .object(let object)? = values["amount"], case .integer(let amount)? = object["amount"],
              case .string(let code)? = object["currency"] else {
            return .failure(ValidationError(issues: [FieldIssue(field: "amount", rule: "required", message: "amount is required")]))
        }
        guard code == currency else {
            return .failure(ValidationError(issues: [FieldIssue(field: "amount", rule: "currency",
                                                                message: "the order is paid in \(currency), not \(code)")]))
        }
        return .success((method, reference, Money(amount: amount, currency: code)))
    }

    var reason: String {
        if case .string(let text)? = form.values["reason"] { return text }
        return ""
    }

    /// Rows the form needs at `width`: its fields, issues and help.
    func height(width: Int) -> Int {
        form.arranged(width: width).totalHeight
    }

    /// "Bank transfer" for `bank_transfer`.
    static func label(method: String) -> String {
        let text = OrderDetailLines.method(method)
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// The service's issue names as the form has them (`currency` belongs to the amount).
    static func formIssues(_ issues: [FieldIssue]) -> [FieldIssue] {
        issues.map { issue in
            var issue = issue
            if issue.field == "currency" { issue.field = "amount" }
            return issue
        }
    }
}
