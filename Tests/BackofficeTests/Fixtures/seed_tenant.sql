-- Test fixture: one row in every tenant table for a tenant that already exists in `tenants`.
--
--   SELECT pg_temp.seed_tenant('<tenant uuid>');   -- may be called repeatedly, for any tenant
--   SELECT pg_temp.seed_tenant_tables();           -- the tables it fills
--
-- Functions live in pg_temp: define and call them in the same session. Meant to run as the table owner
-- or a superuser; it also sets app.tenant_id for its own duration so it works where FORCE ROW LEVEL
-- SECURITY applies to the owner, and restores the caller's value afterwards.
-- Every name it invents carries a random suffix, so repeated calls never collide. It creates one global
-- user and one global plugin per call for the tenant rows to reference.

CREATE OR REPLACE FUNCTION pg_temp.seed_tenant_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT ARRAY[
        'user_roles', 'tenant_users', 'audit_log', 'tenant_counters',
        'product_types', 'products', 'product_attributes', 'product_variants', 'license_keys',
        'tenant_plugins', 'workflows', 'workflow_executions', 'pricing_rules', 'outbox',
        'delivery_methods', 'orders', 'order_items', 'payments', 'deliveries'
    ]::text[]
$$;

CREATE OR REPLACE FUNCTION pg_temp.seed_tenant(t uuid) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    previous_tenant text := current_setting('app.tenant_id', true);
    sfx         text := replace(gen_random_uuid()::text, '-', '');
    v_user      uuid;
    v_plugin    uuid;
    v_role      text := 'seed-role-' || sfx;
    v_type      uuid;
    v_product   uuid;
    v_variant   uuid;
    v_key       uuid;
    v_workflow  uuid;
    v_method    uuid;
    v_order     uuid;
    v_number    bigint;
    v_item      uuid;
    v_delivery  uuid;
BEGIN
    PERFORM set_config('app.tenant_id', t::text, true);

    -- global rows the tenant rows point at
    INSERT INTO users (email, name, password_hash)
    VALUES ('seed-' || sfx || '@example.test', 'Seed User ' || left(sfx, 8), NULL)
    RETURNING id INTO v_user;

    INSERT INTO plugins (slug, name, version, manifest, status)
    VALUES ('seed-plugin-' || sfx, 'Seed Plugin', '1.0.0',
            '{"hooks":["after_product_create"]}', 'active')
    RETURNING id INTO v_plugin;

    INSERT INTO plugin_hooks (plugin_id, hook_name, handler_function, priority)
    VALUES (v_plugin, 'after_product_create', 'onProductCreate', 100);

    -- identity
    INSERT INTO user_roles (tenant_id, name, slug, permissions, pricing_tier, is_system)
    VALUES (t, 'Seed Role', v_role, '["products.read","orders.read"]', 'standard', false);

    INSERT INTO tenant_users (tenant_id, user_id, role, permissions)
    VALUES (t, v_user, v_role, '[]');

    INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id, before, after)
    VALUES (t, v_user, 'seed', 'tenant', t::text, NULL, '{"seeded":true}');

    INSERT INTO tenant_counters (tenant_id, name, value)
    VALUES (t, 'order_number', 1)
    ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1
    RETURNING value INTO v_number;

    -- catalog
    INSERT INTO product_types (tenant_id, slug, name, schema)
    VALUES (t, 'seed-type-' || sfx, 'Seed Type',
            '{"fields":[{"name":"platform","type":"select","label":"Platform","required":true,
              "options":[{"value":"steam","label":"Steam"},{"value":"epic","label":"Epic Games"}]}]}')
    RETURNING id INTO v_type;

    INSERT INTO products (tenant_id, product_type_id, name, slug, status, metadata)
    VALUES (t, v_type, 'Seed Product', 'seed-product-' || sfx, 'active', '{"platform":"steam"}')
    RETURNING id INTO v_product;

    INSERT INTO product_attributes (tenant_id, product_id, attribute_key, attribute_value, attribute_type, value_text)
    VALUES (t, v_product, 'platform', '"steam"', 'select', 'steam');

    INSERT INTO product_variants (tenant_id, product_id, sku, attributes, price_amount, currency,
                                  inventory_mode, stock_quantity)
    VALUES (t, v_product, 'SEED-' || sfx, '{}', 1999, 'EUR', 'keys', NULL)
    RETURNING id INTO v_variant;

    INSERT INTO license_keys (tenant_id, variant_id, ciphertext, key_id, lookup_hash, status)
    VALUES (t, v_variant, decode(sfx, 'hex'), 'seed-master-1', sha256(convert_to(sfx, 'UTF8')), 'available')
    RETURNING id INTO v_key;

    -- platform
    INSERT INTO tenant_plugins (tenant_id, plugin_id, status, config)
    VALUES (t, v_plugin, 'active', '{"enabled":true}');

    INSERT INTO workflows (tenant_id, name, entity_type, "trigger", steps)
    VALUES (t, 'Seed Workflow', 'order', 'on_status_change', '[{"type":"deliver"}]')
    RETURNING id INTO v_workflow;

    INSERT INTO pricing_rules (tenant_id, name, entity_type, entity_id, rule_type, conditions, price_modifier)
    VALUES (t, 'Seed Rule', 'product', v_product, 'quantity', '{"minQuantity":2}', '{"percentOff":10}');

    -- orders
    INSERT INTO delivery_methods (tenant_id, slug, name, type, config, template)
    VALUES (t, 'seed-email-' || sfx, 'Seed Email', 'email', '{}', '{"subject":"Your key"}')
    RETURNING id INTO v_method;

    INSERT INTO orders (tenant_id, order_number, user_id, created_by, status, currency, total_amount,
                        items_data, customer_email)
    VALUES (t, v_number, v_user, v_user, 'paid', 'EUR', 1999,
            jsonb_build_array(jsonb_build_object('variantId', v_variant, 'quantity', 1)),
            'seed-' || sfx || '@example.test')
    RETURNING id INTO v_order;

    INSERT INTO order_items (tenant_id, order_id, product_id, variant_id, quantity, unit_price, currency,
                             delivery_status)
    VALUES (t, v_order, v_product, v_variant, 1, 1999, 'EUR', 'delivered')
    RETURNING id INTO v_item;

    INSERT INTO payments (tenant_id, order_id, method, reference, amount, currency, status)
    VALUES (t, v_order, 'manual', 'seed-' || sfx, 1999, 'EUR', 'succeeded');

    INSERT INTO deliveries (tenant_id, order_id, order_item_id, delivery_method_id, license_key_id, status,
                            delivered_at)
    VALUES (t, v_order, v_item, v_method, v_key, 'delivered', now())
    RETURNING id INTO v_delivery;

    UPDATE license_keys SET status = 'delivered', delivery_id = v_delivery, version = version + 1
     WHERE tenant_id = t AND id = v_key;

    INSERT INTO workflow_executions (tenant_id, workflow_id, entity_id, status, execution_data,
                                     started_at, finished_at)
    VALUES (t, v_workflow, v_order, 'completed', '{}', now(), now());

    INSERT INTO outbox (tenant_id, event, payload)
    VALUES (t, 'after_order_paid', jsonb_build_object('orderId', v_order));

    PERFORM set_config('app.tenant_id', coalesce(previous_tenant, ''), true);
END
$$;
