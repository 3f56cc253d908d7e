-- 0005: orders, payments and deliveries. All tenant tables: delivery_methods, orders, order_items,
-- payments, deliveries.

-- ------------------------------------------------------------------------------------- delivery_methods
CREATE TABLE delivery_methods (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug        text        NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$' AND length(slug) <= 100),
    name        text        NOT NULL CHECK (name <> ''),
    type        text        NOT NULL CHECK (type IN ('email', 'webhook', 'file', 'manual', 'plugin')),
    config      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    template    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(template) = 'object'),
    enabled     boolean     NOT NULL DEFAULT true,
    version     int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, slug)
);
CREATE TRIGGER touch_row BEFORE UPDATE ON delivery_methods FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('delivery_methods');

-- ----------------------------------------------------------------------------------------------- orders
-- order_number is per tenant and gap-free: take it from tenant_counters (name 'order_number') in the
-- same transaction. user_id is the customer's account, if any; created_by the staff member who entered
-- the order, if any. total_amount is in minor units of currency.
CREATE TABLE orders (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    order_number    bigint      NOT NULL CHECK (order_number > 0),
    user_id         uuid        NULL REFERENCES users (id),
    created_by      uuid        NULL REFERENCES users (id),
    status          text        NOT NULL DEFAULT 'pending_payment'
                                CHECK (status IN ('pending_payment', 'paid', 'fulfilling', 'fulfilled',
                                                  'cancelled', 'refunded')),
    currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    total_amount    bigint      NOT NULL CHECK (total_amount >= 0),
    items_data      jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(items_data) = 'array'),
    pricing_data    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(pricing_data) = 'object'),
    payment_data    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payment_data) = 'object'),
    customer_data   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(customer_data) = 'object'),
    customer_email  text        NULL,
    version         int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, order_number)
);
-- keyset pages: WHERE tenant_id = $t [AND status = $s] AND (created_at, id) < ($ts, $id)
--               ORDER BY created_at DESC, id DESC LIMIT n
CREATE INDEX orders_status_idx ON orders (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX orders_created_idx ON orders (tenant_id, created_at DESC, id DESC);
CREATE INDEX orders_user_idx ON orders (tenant_id, user_id, created_at DESC) WHERE user_id IS NOT NULL;
CREATE TRIGGER touch_row BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('orders');

-- ------------------------------------------------------------------------------------------ order_items
-- The variant must belong to the product: (tenant_id, product_id, variant_id) references
-- product_variants (tenant_id, product_id, id).
CREATE TABLE order_items (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id),
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    order_id         uuid        NOT NULL,
    product_id       uuid        NOT NULL,
    variant_id       uuid        NOT NULL,
    quantity         int         NOT NULL CHECK (quantity > 0),
    unit_price       bigint      NOT NULL CHECK (unit_price >= 0),
    currency         char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    delivery_status  text        NOT NULL DEFAULT 'pending'
                                 CHECK (delivery_status IN ('pending', 'partial', 'delivered', 'failed', 'revoked')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    -- lets deliveries prove that its item belongs to its order; also the (tenant_id, order_id) index
    UNIQUE (tenant_id, order_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id, variant_id) REFERENCES product_variants (tenant_id, product_id, id)
);
CREATE INDEX order_items_product_idx ON order_items (tenant_id, product_id, variant_id);
CREATE TRIGGER touch_row BEFORE UPDATE ON order_items FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('order_items');

-- --------------------------------------------------------------------------------------------- payments
-- One row per gateway transaction; a gateway's reference is recorded once (webhook retries are no-ops:
-- INSERT … ON CONFLICT (tenant_id, method, reference) DO NOTHING).
CREATE TABLE payments (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    order_id    uuid        NOT NULL,
    method      text        NOT NULL CHECK (method <> ''),
    reference   text        NOT NULL CHECK (reference <> ''),
    amount      bigint      NOT NULL CHECK (amount > 0),
    currency    char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status      text        NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, method, reference),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX payments_order_idx ON payments (tenant_id, order_id);
CREATE INDEX payments_status_idx ON payments (tenant_id, status);
CREATE TRIGGER touch_row BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('payments');

-- ------------------------------------------------------------------------------------------- deliveries
-- One delivery per unit to hand over. A worker claims the oldest pending row
--   WHERE tenant_id = $t AND status = 'pending' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
-- (partial index below; aggressive autovacuum keeps its front free of dead entries, design.md §6),
-- sets status 'processing', claimed_by, claimed_at. license_key_id is UNIQUE: a key is delivered once.
-- value_ciphertext/value_key_id hold a sealed delivered value (not a license key), same scheme as keys.
CREATE TABLE deliveries (
    tenant_id           uuid        NOT NULL REFERENCES tenants (id),
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    order_id            uuid        NOT NULL,
    order_item_id       uuid        NOT NULL,
    delivery_method_id  uuid        NULL,
    license_key_id      uuid        NULL,
    status              text        NOT NULL DEFAULT 'pending'
                                    CHECK (status IN ('pending', 'processing', 'delivered', 'failed', 'revoked')),
    delivery_data       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(delivery_data) = 'object'),
    error_log           jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(error_log) = 'array'),
    value_ciphertext    bytea       NULL,
    value_key_id        text        NULL,
    attempts            int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claimed_by          uuid        NULL REFERENCES users (id),
    claimed_at          timestamptz NULL,
    delivered_at        timestamptz NULL,
    version             int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, license_key_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id, order_item_id) REFERENCES order_items (tenant_id, order_id, id),
    FOREIGN KEY (tenant_id, delivery_method_id) REFERENCES delivery_methods (tenant_id, id),
    FOREIGN KEY (tenant_id, license_key_id) REFERENCES license_keys (tenant_id, id),
    CHECK ((value_ciphertext IS NULL) = (value_key_id IS NULL)),
    CHECK (status <> 'delivered' OR delivered_at IS NOT NULL)
) WITH (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0
);
CREATE INDEX deliveries_pending_idx ON deliveries (tenant_id, created_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_order_idx ON deliveries (tenant_id, order_id, order_item_id);
CREATE INDEX deliveries_status_idx ON deliveries (tenant_id, status);
CREATE INDEX deliveries_created_idx ON deliveries (tenant_id, created_at DESC, id DESC);
CREATE INDEX deliveries_method_idx ON deliveries (tenant_id, delivery_method_id) WHERE delivery_method_id IS NOT NULL;
CREATE TRIGGER touch_row BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('deliveries');
