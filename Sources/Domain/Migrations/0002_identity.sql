-- 0002: tenants, people and who may do what where.
--
-- Global tables (no tenant_id, no RLS): tenants, users, sessions.
-- Tenant tables (tenant_id first in every key, RLS forced): user_roles, tenant_users, audit_log,
-- tenant_counters.
--
-- Conventions for every migration: money is bigint minor units + char(3) ISO currency; statuses are
-- text with a CHECK listing the allowed values; json columns are NOT NULL with an object/array default
-- and a CHECK on their json type; rows users edit carry version (bumped by services, see touch_row()),
-- created_at and updated_at (kept by the touch_row trigger).

-- ---------------------------------------------------------------------------------------------- tenants
CREATE TABLE tenants (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    slug        text        NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$'),
    name        text        NOT NULL CHECK (name <> ''),
    domain      text        NULL CHECK (domain <> ''),
    subdomain   text        NULL CHECK (subdomain <> ''),
    status      text        NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'suspended', 'deleted')),
    plan        text        NOT NULL DEFAULT 'free'
                            CHECK (plan IN ('free', 'basic', 'pro', 'enterprise')),
    settings    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    branding    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(branding) = 'object'),
    version     int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz NULL,
    PRIMARY KEY (id),
    UNIQUE (slug),
    UNIQUE (domain),
    UNIQUE (subdomain)
);
CREATE INDEX tenants_status_idx ON tenants (status);
CREATE TRIGGER touch_row BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch_row();
GRANT SELECT, INSERT, UPDATE ON tenants TO backoffice_app, backoffice_admin;

-- ------------------------------------------------------------------------------------------------ users
-- Platform-wide accounts. A user belongs to tenants through tenant_users.
CREATE TABLE users (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    email           text        NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    name            text        NOT NULL DEFAULT '',
    password_hash   text        NULL,           -- argon2id PHC string; NULL = cannot log in by password
    is_super_admin  boolean     NOT NULL DEFAULT false,
    disabled        boolean     NOT NULL DEFAULT false,
    failed_logins   int         NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until    timestamptz NULL,
    last_login_at   timestamptz NULL,
    version         int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE TRIGGER touch_row BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_row();
GRANT SELECT, INSERT, UPDATE ON users TO backoffice_app, backoffice_admin;

-- --------------------------------------------------------------------------------------------- sessions
-- Revocable login sessions. Only a hash of the bearer token is stored.
CREATE TABLE sessions (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    bytea       NOT NULL CHECK (octet_length(token_hash) >= 16),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz NULL,
    PRIMARY KEY (id),
    UNIQUE (token_hash),
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO backoffice_app, backoffice_admin;

-- ------------------------------------------------------------------------------------------- user_roles
-- A tenant's roles. permissions is a json array of permission strings.
CREATE TABLE user_roles (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    name          text        NOT NULL CHECK (name <> ''),
    slug          text        NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$' AND length(slug) <= 100),
    permissions   jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(permissions) = 'array'),
    pricing_tier  text        NULL,
    is_system     boolean     NOT NULL DEFAULT false,
    version       int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, slug)
);
CREATE TRIGGER touch_row BEFORE UPDATE ON user_roles FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('user_roles');

-- ----------------------------------------------------------------------------------------- tenant_users
-- Membership: a user's role in one tenant, plus per-member extra permissions (json array).
-- role is the role's slug; renaming a role's slug carries its members along.
CREATE TABLE tenant_users (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         text        NOT NULL,
    permissions  jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(permissions) = 'array'),
    version      int         NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, role) REFERENCES user_roles (tenant_id, slug) ON UPDATE CASCADE
);
CREATE INDEX tenant_users_role_idx ON tenant_users (tenant_id, role);
CREATE TRIGGER touch_row BEFORE UPDATE ON tenant_users FOR EACH ROW EXECUTE FUNCTION touch_row();
CALL backoffice_protect_tenant_table('tenant_users');

-- -------------------------------------------------------------------------------------------- audit_log
-- Append-only: the roles get SELECT and INSERT only. entity_id is text so any key shape fits.
CREATE TABLE audit_log (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    actor_user_id  uuid        NULL REFERENCES users (id),
    action         text        NOT NULL CHECK (action <> ''),
    entity_type    text        NOT NULL CHECK (entity_type <> ''),
    entity_id      text        NULL,
    before         jsonb       NULL,
    after          jsonb       NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_created_idx ON audit_log (tenant_id, created_at DESC, id DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity_type, entity_id, created_at DESC);
CALL backoffice_protect_tenant_table('audit_log', append_only => true);

-- -------------------------------------------------------------------------------------- tenant_counters
-- Gap-free per-tenant numbers (orders.order_number): allocate inside the transaction that uses it,
--   INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($t, 'order_number', 1)
--   ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1 RETURNING value;
-- The row lock serialises allocations per tenant and a rollback returns the number.
CREATE TABLE tenant_counters (
    tenant_id  uuid   NOT NULL REFERENCES tenants (id),
    name       text   NOT NULL CHECK (name <> ''),
    value      bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
    PRIMARY KEY (tenant_id, name)
);
CALL backoffice_protect_tenant_table('tenant_counters');
