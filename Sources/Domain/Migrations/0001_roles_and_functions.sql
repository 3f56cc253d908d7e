-- 0001: roles, schema privileges and the helpers every later migration uses.
--
-- Runs as the owner role (the role that owns every table and runs migrations) inside one transaction
-- opened by the migration runner. See ../shared/design.md §3.
--
--   backoffice_app    LOGIN, NOBYPASSRLS, NOINHERIT: what the console and the CLI connect as. Owns
--                     nothing. Row-level security confines it to the tenant named by `app.tenant_id`.
--   backoffice_admin  NOLOGIN, NOBYPASSRLS: platform (super-admin) work. It is granted to
--                     backoffice_app, which must say `SET LOCAL ROLE backoffice_admin` explicitly (and
--                     audit it): since backoffice_app is NOINHERIT, the `TO backoffice_admin` policies
--                     never apply to it implicitly.
--
-- Roles are cluster-wide, so they may already exist (another database of the same cluster, a test run).
-- An existing role with attributes that would defeat tenant isolation is an error, not silently reused.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'backoffice_app') THEN
        BEGIN
            CREATE ROLE backoffice_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created concurrently by a migration of another database
        END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'backoffice_admin') THEN
        BEGIN
            CREATE ROLE backoffice_admin NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'backoffice_app'
               AND (rolsuper OR rolbypassrls OR rolinherit OR rolcreaterole)) THEN
        RAISE EXCEPTION 'role backoffice_app exists with SUPERUSER, BYPASSRLS, INHERIT or CREATEROLE; '
                        'it must be NOSUPERUSER NOBYPASSRLS NOINHERIT NOCREATEROLE for tenant isolation';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'backoffice_admin'
               AND (rolsuper OR rolbypassrls OR rolcanlogin)) THEN
        RAISE EXCEPTION 'role backoffice_admin exists with SUPERUSER, BYPASSRLS or LOGIN; '
                        'it must be NOLOGIN NOSUPERUSER NOBYPASSRLS';
    END IF;

    IF NOT pg_has_role('backoffice_app', 'backoffice_admin', 'MEMBER') THEN
        BEGIN
            GRANT backoffice_admin TO backoffice_app;
        EXCEPTION WHEN unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- PostgreSQL 15 already withholds CREATE on public from PUBLIC; say so explicitly for databases
-- created by older versions, so neither role can plant objects beside ours.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO backoffice_app, backoffice_admin;

-- The tenant of the current transaction. Services set it per transaction with
-- `SELECT set_config('app.tenant_id', $1, true)` (never per session, so transaction-mode poolers work).
-- Unset, or reset to '' after a transaction that used SET LOCAL, it is NULL, and `tenant_id = NULL`
-- matches no row: fail closed.
CREATE FUNCTION current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
COMMENT ON FUNCTION current_tenant() IS
    'Tenant of the current transaction from app.tenant_id; NULL (no rows visible) when unset.';
REVOKE ALL ON FUNCTION current_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION current_tenant() TO backoffice_app, backoffice_admin;

-- BEFORE UPDATE trigger: keeps updated_at truthful whoever writes the row.
-- It deliberately does NOT touch `version`: optimistic concurrency is the services' job, written as
-- `UPDATE … SET …, version = version + 1 WHERE tenant_id = $t AND id = $id AND version = $old`
-- (zero rows updated = 409 conflict). A trigger bumping version would hide which writer did it.
-- Trigger functions need no EXECUTE grant to fire.
CREATE FUNCTION touch_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION touch_row() IS 'BEFORE UPDATE trigger: sets updated_at = now(). Version is bumped by services.';
REVOKE ALL ON FUNCTION touch_row() FROM PUBLIC;

-- Protects one tenant-owned table: checks the schema rules of design.md §3 (fails the migration when
-- one is broken), then enables and forces RLS, creates the two policies and grants the roles.
-- Call it after the table's indexes exist, so the index rule is checked too.
--
--   tenant_isolation  every role: rows of current_tenant() only, for reads and writes.
--   platform_admin    backoffice_admin (reached only by an explicit SET LOCAL ROLE): every row.
--
-- append_only => SELECT, INSERT only (audit_log); otherwise SELECT, INSERT, UPDATE, DELETE.
CREATE PROCEDURE backoffice_protect_tenant_table(tbl regclass, append_only boolean DEFAULT false)
    LANGUAGE plpgsql
    AS $$
DECLARE
    tenant_att smallint;
    bad text;
BEGIN
    SELECT attnum INTO tenant_att
      FROM pg_attribute
     WHERE attrelid = tbl AND attname = 'tenant_id' AND NOT attisdropped;
    IF tenant_att IS NULL THEN
        RAISE EXCEPTION '%: a tenant table needs a tenant_id column', tbl;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute
                    WHERE attrelid = tbl AND attnum = tenant_att
                      AND attnotnull AND atttypid = 'uuid'::regtype) THEN
        RAISE EXCEPTION '%: tenant_id must be uuid NOT NULL', tbl;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                    WHERE conrelid = tbl AND contype = 'p' AND conkey[1] = tenant_att) THEN
        RAISE EXCEPTION '%: the primary key must start with tenant_id', tbl;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                    WHERE conrelid = tbl AND contype = 'f' AND confrelid = 'tenants'::regclass
                      AND conkey = ARRAY[tenant_att]) THEN
        RAISE EXCEPTION '%: tenant_id must reference tenants(id)', tbl;
    END IF;

    -- Every foreign key to another tenant table maps tenant_id to tenant_id.
    SELECT string_agg(c.conname, ', ') INTO bad
      FROM pg_constraint c
      JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attname = 'tenant_id' AND NOT ra.attisdropped
     WHERE c.conrelid = tbl AND c.contype = 'f'
       AND NOT EXISTS (SELECT 1 FROM generate_subscripts(c.conkey, 1) AS i
                        WHERE c.conkey[i] = tenant_att AND c.confkey[i] = ra.attnum);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION '%: foreign keys to tenant tables must include tenant_id: %', tbl, bad;
    END IF;

    -- tenant_id first in every index: under RLS only leakproof quals reach an index, and the
    -- tenant_id = current_tenant() qual must be able to bound the scan.
    SELECT string_agg(i.indexrelid::regclass::text, ', ') INTO bad
      FROM pg_index i
     WHERE i.indrelid = tbl AND i.indkey[0] <> tenant_att;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION '%: indexes must start with tenant_id: %', tbl, bad;
    END IF;

    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format('CREATE POLICY tenant_isolation ON %s '
                   'USING (tenant_id = current_tenant()) WITH CHECK (tenant_id = current_tenant())', tbl);
    EXECUTE format('CREATE POLICY platform_admin ON %s TO backoffice_admin '
                   'USING (true) WITH CHECK (true)', tbl);
    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', tbl);
    EXECUTE format('GRANT %s ON %s TO backoffice_app, backoffice_admin',
                   CASE WHEN append_only THEN 'SELECT, INSERT' ELSE 'SELECT, INSERT, UPDATE, DELETE' END,
                   tbl);
END
$$;
COMMENT ON PROCEDURE backoffice_protect_tenant_table(regclass, boolean) IS
    'Migration helper: checks tenant-table rules, enables+forces RLS, creates tenant_isolation and platform_admin policies, grants app/admin.';
REVOKE ALL ON PROCEDURE backoffice_protect_tenant_table(regclass, boolean) FROM PUBLIC;
