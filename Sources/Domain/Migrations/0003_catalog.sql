-- 0003: the catalog. All tenant tables: product_types, products, product_attributes, product_variants,
-- license_keys.

-- ---------------------------------------------------------------------------------------- product_types
-- schema holds the reference's {"fields":[…]} definition (design.md §4); schema_version increases
-- whenever the fields change, and each product records the version it was validated against.
CREATE TABLE product_types (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug            text        NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$' AND length(slug) <= 100),
    name            text        NOT NULL CHECK (name <> ''),
    schema          jsonb       NOT NULL DEFAULT '{"fields":[]}' CHECK (jsonb_typeof(schema) = 'object'),
    schema_version  int         NOT NULL DEFAULT 1 CHECK (schema_version >= 1),
    ui_config       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(ui_config) = 'object'),
    workflows       jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(workflows) = 'array'),
    version         int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, slug)
);
CREATE TRIGGER touch_row BEFORE UPDATE ON product_types FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('product_types');

-- --------------------------------------------------------------------------------------------- products
-- metadata mirrors the product's attributes so a whole product reads as one row; product_attributes is
-- what filters use.
CREATE TABLE products (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id),
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    product_type_id  uuid        NOT NULL,
    name             text        NOT NULL CHECK (name <> ''),
    slug             text        NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$' AND length(slug) <= 200),
    status           text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    metadata         jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    schema_version   int         NOT NULL DEFAULT 1 CHECK (schema_version >= 1),
    version          int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, slug),
    FOREIGN KEY (tenant_id, product_type_id) REFERENCES product_types (tenant_id, id)
);
-- (tenant_id, status, …) also serves plain (tenant_id, status) filters; the row comparison
-- (created_at, id) < ($ts, $id) bounds keyset pages in both list indexes.
CREATE INDEX products_status_idx ON products (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX products_created_idx ON products (tenant_id, created_at DESC, id DESC);
CREATE INDEX products_product_type_idx ON products (tenant_id, product_type_id);
CREATE TRIGGER touch_row BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('products');

-- ----------------------------------------------------------------------------------- product_attributes
-- EAV: one row per field of the product type (scope 'product'). attribute_value is the typed json value;
-- value_text is its text projection for equality filters (text = is leakproof, so under RLS the index
-- (tenant_id, attribute_key, value_text) is usable; jsonb operators are not, see design.md §6).
-- Leave value_text NULL for values nobody filters by equality (long textarea, multiselect): a btree
-- entry must stay under ~2.7 kB, hence the length cap.
CREATE TABLE product_attributes (
    tenant_id        uuid  NOT NULL REFERENCES tenants (id),
    product_id       uuid  NOT NULL,
    attribute_key    text  NOT NULL CHECK (attribute_key <> '' AND length(attribute_key) <= 100),
    attribute_value  jsonb NOT NULL,
    attribute_type   text  NOT NULL CHECK (attribute_type IN ('text', 'textarea', 'integer', 'number', 'money',
                                                               'boolean', 'select', 'multiselect', 'date',
                                                               'datetime', 'email', 'url')),
    value_text       text  NULL CHECK (octet_length(value_text) <= 2000),
    PRIMARY KEY (tenant_id, product_id, attribute_key),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX product_attributes_value_idx ON product_attributes (tenant_id, attribute_key, value_text);
CALL backoffice_protect_tenant_table('product_attributes');

-- ------------------------------------------------------------------------------------- product_variants
-- The sellable unit. price_amount/currency are the authoritative base price (minor units); price_data
-- keeps any further pricing detail. inventory_mode: none (unlimited), count (stock_quantity), keys
-- (stock = available license_keys).
CREATE TABLE product_variants (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    product_id      uuid        NOT NULL,
    sku             text        NOT NULL CHECK (sku <> '' AND length(sku) <= 100),
    attributes      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    price_data      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(price_data) = 'object'),
    price_amount    bigint      NOT NULL CHECK (price_amount >= 0),
    currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    inventory_data  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(inventory_data) = 'object'),
    inventory_mode  text        NOT NULL DEFAULT 'none' CHECK (inventory_mode IN ('none', 'count', 'keys')),
    stock_quantity  int         NULL CHECK (stock_quantity >= 0),
    delivery_data   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(delivery_data) = 'object'),
    status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    version         int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sku),
    -- lets order_items prove that its variant belongs to its product; also the (tenant_id, product_id) index
    UNIQUE (tenant_id, product_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE,
    CHECK (inventory_mode <> 'count' OR stock_quantity IS NOT NULL)
);
CREATE INDEX product_variants_status_idx ON product_variants (tenant_id, status);
CREATE TRIGGER touch_row BEFORE UPDATE ON product_variants FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('product_variants');

-- ----------------------------------------------------------------------------------------- license_keys
-- Keys are sealed with authenticated encryption; key_id names the master key that sealed ciphertext (so
-- master keys rotate) and lookup_hash is a keyed hash of the plaintext for duplicate checks and lookups.
-- Allocation: pick the oldest available key FOR UPDATE SKIP LOCKED (partial index below), mark it
-- delivered and point deliveries.license_key_id at it. deliveries.license_key_id (UNIQUE) is the
-- authoritative allocation; delivery_id here is an informational back-pointer without a foreign key
-- (one would make a cycle with deliveries), unique so no two keys claim the same delivery.
CREATE TABLE license_keys (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    variant_id   uuid        NOT NULL,
    ciphertext   bytea       NOT NULL,
    key_id       text        NOT NULL CHECK (key_id <> ''),
    lookup_hash  bytea       NOT NULL,
    status       text        NOT NULL DEFAULT 'available'
                             CHECK (status IN ('available', 'reserved', 'delivered', 'revoked')),
    delivery_id  uuid        NULL,
    version      int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, variant_id, lookup_hash),
    UNIQUE (tenant_id, delivery_id),
    FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id),
    CHECK (status <> 'available' OR delivery_id IS NULL)
) WITH (
    -- a queue: rows leave the 'available' partial index constantly; vacuum early so dead entries do not
    -- pile up at the front of the allocation scan (design.md §6)
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0
);
CREATE INDEX license_keys_available_idx ON license_keys (tenant_id, variant_id, created_at, id)
    WHERE status = 'available';
CREATE INDEX license_keys_status_idx ON license_keys (tenant_id, status);
CREATE INDEX license_keys_created_idx ON license_keys (tenant_id, created_at DESC, id DESC);
CREATE TRIGGER touch_row BEFORE UPDATE ON license_keys FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('license_keys');
