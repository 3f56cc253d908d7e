-- 0006: the platform's own audit log, for changes that belong to no store (a user created or disabled,
-- a super admin signing in). Store-level changes, including a super admin's work inside a store, go to
-- that store's audit_log.
--
-- A global table (no tenant_id, no RLS): the app role may only append to it; reading it is platform
-- work, done as backoffice_admin (SET LOCAL ROLE, see design §3).

CREATE TABLE platform_audit_log (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    actor_user_id  uuid        NULL REFERENCES users (id),
    action         text        NOT NULL CHECK (action <> ''),
    entity_type    text        NOT NULL CHECK (entity_type <> ''),
    entity_id      text        NULL,
    before         jsonb       NULL,
    after          jsonb       NULL,
    PRIMARY KEY (id)
);
CREATE INDEX platform_audit_log_created_idx ON platform_audit_log (created_at DESC, id DESC);
REVOKE ALL ON platform_audit_log FROM PUBLIC;
GRANT INSERT ON platform_audit_log TO backoffice_app;
GRANT SELECT, INSERT ON platform_audit_log TO backoffice_admin;

-- Keyset pagination of a store's audit log reads (tenant_id, created_at DESC, id DESC): the index of 0002
-- already serves it.
