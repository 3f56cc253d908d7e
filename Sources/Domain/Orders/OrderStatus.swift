/// Where an order is in its life (reference: Orders), and which moves are allowed:
/// `pending_payment → paid → fulfilling → fulfilled`, `pending_payment → cancelled`,
/// `paid | fulfilling | fulfilled → refunded`.
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    case pendingPayment = "pending_payment"
    case paid
    case fulfilling
    case fulfilled
    case cancelled
    case refunded

    /// The statuses this one may move to.
    public var next: Set<OrderStatus> {
        switch self {
        case .pendingPayment: [.paid, .cancelled]
        case .paid: [.fulfilling, .refunded]
        case .fulfilling: [.fulfilled, .refunded]
        case .fulfilled: [.refunded]
        case .cancelled, .refunded: []
        }
    }

    public func canMove(to status: OrderStatus) -> Bool { next.contains(status) }
}
