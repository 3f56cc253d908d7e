import Foundation

/// One committed change announced on `backoffice_events` (design §4: ids only). Screens showing the
/// store it names re-read what they show, under row-level security as always.
public struct ChangeNotice: Sendable, Equatable {
    public var tenantID: UUID
    /// The event: an after-hook's name (`after_order_create`, `after_product_update`) or an
    /// announcement's (`delivery_delivered`, `license_keys_imported`).
    public var event: String
    /// For after-hook events the outbox event's id; for announcements the changed row's id. Either way
    /// only a hint: screens re-read what they show.
    public var id: String

    public init(tenantID: UUID, event: String, id: String) {
        self.tenantID = tenantID
        self.event = event
        self.id = id
    }

    /// Reads a notification payload (`{"tenant":…,"event":…,"id":…}`); nil for anything else.
    public init?(payload: String) {
        guard let data = payload.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let tenant = (object["tenant"] as? String).flatMap(UUID.init(uuidString:)),
              let event = object["event"] as? String else { return nil }
        let id = object["id"].map { "\($0)" } ?? ""
        self.init(tenantID: tenant, event: event, id: id)
    }

    /// The entity the event is about: `order` for `after_order_create`, `delivery` for
    /// `delivery_delivered`, `license` for `license_keys_imported`.
    public var entity: String {
        let name = event.hasPrefix("after_") ? event.dropFirst("after_".count) : Substring(event)
        return String(name.prefix { $0 != "_" && $0 != "." })
    }
}
