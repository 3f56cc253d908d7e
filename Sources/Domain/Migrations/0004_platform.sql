-- 0004: plugins, hooks, workflows, pricing rules and the outbox.
-- Global: plugins, plugin_hooks. Tenant: tenant_plugins, workflows, workflow_executions, pricing_rules,
-- outbox.

-- ---------------------------------------------------------------------------------------------- plugins
-- The platform's plugin registry. `version` is the plugin's own version string (the reference's column),
-- so this table has no optimistic-locking counter; only super admins edit it.
CREATE TABLE plugins (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug        text        NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$' AND length(slug) <= 100),
    name        text        NOT NULL CHECK (name <> ''),
    version     text        NOT NULL CHECK (version <> ''),
    manifest    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(manifest) = 'object'),
    status      text        NOT NULL DEFAULT 'available'
                            CHECK (status IN ('available', 'installed', 'active', 'deprecated')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id),
    UNIQUE (slug)
);
CREATE TRIGGER touch_row BEFORE UPDATE ON plugins FOR EACH ROW EXECUTE FUNCTION touch_row();
GRANT SELECT, INSERT, UPDATE ON plugins TO backoffice_app, backoffice_admin;

-- ----------------------------------------------------------------------------------------- plugin_hooks
-- Hook registrations. Run order for a hook: priority ascending (lower first), ties in registration
-- order, i.e. ORDER BY priority, seq (design.md §4).
CREATE TABLE plugin_hooks (
    id                uuid        NOT NULL DEFAULT gen_random_uuid(),
    plugin_id         uuid        NOT NULL REFERENCES plugins (id) ON DELETE CASCADE,
    hook_name         text        NOT NULL CHECK (hook_name ~ '^(before|after)_[a-z0-9_]+$'),
    handler_function  text        NOT NULL CHECK (handler_function <> ''),
    priority          int         NOT NULL DEFAULT 100,
    seq               bigint      NOT NULL GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME plugin_hooks_seq),
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id),
    UNIQUE (plugin_id, hook_name, handler_function)
);
CREATE INDEX plugin_hooks_hook_idx ON plugin_hooks (hook_name, priority, seq);
GRANT SELECT, INSERT, UPDATE ON plugin_hooks TO backoffice_app, backoffice_admin;
GRANT USAGE ON SEQUENCE plugin_hooks_seq TO backoffice_app, backoffice_admin;

-- --------------------------------------------------------------------------------------- tenant_plugins
-- A plugin installed in a tenant, with the tenant's settings for it.
CREATE TABLE tenant_plugins (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    plugin_id   uuid        NOT NULL REFERENCES plugins (id),
    status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    config      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    version     int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, plugin_id)
);
CREATE INDEX tenant_plugins_status_idx ON tenant_plugins (tenant_id, status);
CREATE TRIGGER touch_row BEFORE UPDATE ON tenant_plugins FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('tenant_plugins');

-- -------------------------------------------------------------------------------------------- workflows
-- "trigger" is the reference's column name (an unreserved keyword; quoting is optional).
CREATE TABLE workflows (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    name         text        NOT NULL CHECK (name <> ''),
    entity_type  text        NOT NULL CHECK (entity_type IN ('order', 'product', 'user')),
    "trigger"    text        NOT NULL CHECK ("trigger" IN ('on_create', 'on_update', 'on_status_change', 'scheduled')),
    steps        jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(steps) = 'array'),
    enabled      boolean     NOT NULL DEFAULT true,
    version      int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX workflows_event_idx ON workflows (tenant_id, entity_type, "trigger");
CREATE TRIGGER touch_row BEFORE UPDATE ON workflows FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('workflows');

-- ---------------------------------------------------------------------------------- workflow_executions
-- Run history of a workflow; removed with it.
CREATE TABLE workflow_executions (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    workflow_id     uuid        NOT NULL,
    entity_id       uuid        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    execution_data  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(execution_data) = 'object'),
    started_at      timestamptz NULL,
    finished_at     timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX workflow_executions_status_idx ON workflow_executions (tenant_id, status);
CREATE INDEX workflow_executions_workflow_idx ON workflow_executions (tenant_id, workflow_id, created_at DESC);
CALL backoffice_protect_tenant_table('workflow_executions');

-- ---------------------------------------------------------------------------------------- pricing_rules
-- entity_id names the product or category a rule applies to (no foreign key: it is polymorphic);
-- global rules have none.
CREATE TABLE pricing_rules (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    name            text        NOT NULL CHECK (name <> ''),
    entity_type     text        NOT NULL CHECK (entity_type IN ('product', 'category', 'global')),
    entity_id       uuid        NULL,
    rule_type       text        NOT NULL CHECK (rule_type IN ('role_based', 'quantity', 'time_based', 'subscription')),
    conditions      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(conditions) = 'object'),
    price_modifier  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(price_modifier) = 'object'),
    priority        int         NOT NULL DEFAULT 100,
    enabled         boolean     NOT NULL DEFAULT true,
    version         int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK ((entity_type = 'global') = (entity_id IS NULL))
);
CREATE INDEX pricing_rules_entity_idx ON pricing_rules (tenant_id, entity_type, entity_id, priority);
CREATE TRIGGER touch_row BEFORE UPDATE ON pricing_rules FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('pricing_rules');

-- ----------------------------------------------------------------------------------------------- outbox
-- after_* hook events, written in the transaction that caused them and dispatched after commit, at least
-- once; handlers use id as the idempotency key. A dispatcher claims
--   WHERE tenant_id = $t AND processed_at IS NULL AND available_at <= now()
--   ORDER BY available_at FOR UPDATE SKIP LOCKED
-- and on failure bumps attempts, records last_error and pushes available_at back.
CREATE TABLE outbox (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    event         text        NOT NULL CHECK (event <> ''),
    payload       jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    available_at  timestamptz NOT NULL DEFAULT now(),
    attempts      int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    processed_at  timestamptz NULL,
    last_error    text        NULL,
    PRIMARY KEY (tenant_id, id)
) WITH (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0
);
CREATE INDEX outbox_pending_idx ON outbox (tenant_id, available_at) WHERE processed_at IS NULL;
CALL backoffice_protect_tenant_table('outbox');
