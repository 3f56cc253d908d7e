import Foundation
import Postgres

extension LicenseKeyService {
    /// Reveals one key of a variant's pool in full: needs `keys.reveal` (checked before anything is read)
    /// and writes one audit entry naming the key. A key of another variant (or store) is a 404.
    public func reveal(_ context: TenantContext, sku: String, keyID: UUID) throws -> KeyEntry {
        try context.require(.productsRead)
        try context.require(.keysReveal)
        let sealContext = SealContext.licenseKey(tenantID: context.tenantID)
        return try catalog.database.withTenant(context) { tx in
            let variant = try VariantService.find(tx, sku: sku)
            let rows = try tx.query("""
                SELECT id, status, ciphertext, key_id, created_at FROM license_keys
                 WHERE tenant_id = \(tx.context.tenantID) AND variant_id = \(variant.id) AND id = \(keyID)
                """)
            guard let row = rows.first else { throw NotFoundError("no key \(keyID.uuidString.lowercased()) in the pool of '\(sku)'") }
            let entry = try entry(row, context: sealContext, reveal: true)
            try AuditLog.record(tx, action: "license_keys.revealed", entityType: "variant", entityID: variant.id.uuidString.lowercased(),
                                after: .object(["sku": .string(sku), "keys": .array([.string(entry.id)])]))
            return entry
        }
    }
}
