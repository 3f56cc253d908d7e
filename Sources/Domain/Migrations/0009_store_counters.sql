-- 0009: the dashboard's remaining counts — products active and draft, orders awaiting payment,
-- deliveries waiting in the queue and failed — kept by triggers, so a refresh reads a few small rows
-- instead of counting: with 1,000,000 orders placed in a day (50,000 awaiting payment) counting them took
-- ~75 ms per refresh (backoffice-bench console_notify_refresh), and recent rows are never all-visible,
-- so an index alone does not save the visits to the table.
--
-- A counter row per store and *server process* (slot = pg_backend_pid()): a transaction only ever adds
-- to its own process's row, which no other writer can hold, so writers never wait for each other over
-- the counts and never deadlock over them (one row per store would make every claim, payment and order
-- of a store wait for the previous one's commit, and a claim that waited on it while holding a delivery
-- could deadlock). Slot 0 is no process's: `store_counters_compact` folds the other rows into it, taking
-- only rows nobody holds (SKIP LOCKED) and never waiting itself, so the rows per store stay few; a
-- writer whose row is being folded waits for that fold's short transaction (the dashboard's read), which
-- waits for nothing. A row's figures may be negative (a process subtracts what another added); the
-- store's figure is the sum.
CREATE TABLE store_counters (
    tenant_id               uuid    NOT NULL REFERENCES tenants (id),
    slot                    int     NOT NULL CHECK (slot >= 0),
    products_active         bigint  NOT NULL DEFAULT 0,
    products_draft          bigint  NOT NULL DEFAULT 0,
    orders_awaiting_payment bigint  NOT NULL DEFAULT 0,
    deliveries_waiting      bigint  NOT NULL DEFAULT 0,
    deliveries_failed       bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, slot)
);
CALL backoffice_protect_tenant_table('store_counters');

CREATE FUNCTION store_counters_add(t uuid, active bigint, draft bigint, awaiting bigint, waiting bigint, failed bigint)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO store_counters AS c (tenant_id, slot, products_active, products_draft, orders_awaiting_payment,
                                     deliveries_waiting, deliveries_failed)
    VALUES (t, pg_backend_pid(), active, draft, awaiting, waiting, failed)
    ON CONFLICT (tenant_id, slot) DO UPDATE
       SET products_active = c.products_active + excluded.products_active,
           products_draft = c.products_draft + excluded.products_draft,
           orders_awaiting_payment = c.orders_awaiting_payment + excluded.orders_awaiting_payment,
           deliveries_waiting = c.deliveries_waiting + excluded.deliveries_waiting,
           deliveries_failed = c.deliveries_failed + excluded.deliveries_failed
$$;

-- What one row adds to its store's counts (sign -1: takes away), by its table and status.
CREATE FUNCTION store_counters_apply(tbl name, t uuid, status text, sign int) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    CASE tbl
    WHEN 'products' THEN
        IF status IN ('active', 'draft') THEN
            PERFORM store_counters_add(t, sign * (status = 'active')::int, sign * (status = 'draft')::int, 0, 0, 0);
        END IF;
    WHEN 'orders' THEN
        IF status = 'pending_payment' THEN
            PERFORM store_counters_add(t, 0, 0, sign, 0, 0);
        END IF;
    WHEN 'deliveries' THEN
        IF status IN ('pending', 'failed') THEN
            PERFORM store_counters_add(t, 0, 0, 0, sign * (status = 'pending')::int, sign * (status = 'failed')::int);
        END IF;
    END CASE;
END
$$;

-- One trigger function for the three tables: the old row's status is taken away from its store, the new
-- row's added to its store (the same store, unless the owner moved a row to another one).
CREATE FUNCTION store_counters_track() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM store_counters_apply(TG_TABLE_NAME, OLD.tenant_id, OLD.status, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM store_counters_apply(TG_TABLE_NAME, NEW.tenant_id, NEW.status, 1);
    END IF;
    RETURN NULL;
END
$$;

-- Rows fire only when their status is one that is counted, or changes (or the row changes store).
-- TRUNCATE is not followed: after one, call store_statistics_rebuild for the stores concerned.
CREATE TRIGGER store_counters_insert AFTER INSERT ON products
    FOR EACH ROW WHEN (NEW.status IN ('active', 'draft')) EXECUTE FUNCTION store_counters_track();
CREATE TRIGGER store_counters_delete AFTER DELETE ON products
    FOR EACH ROW WHEN (OLD.status IN ('active', 'draft')) EXECUTE FUNCTION store_counters_track();
CREATE TRIGGER store_counters_update AFTER UPDATE OF status, tenant_id ON products
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION store_counters_track();

CREATE TRIGGER store_counters_insert AFTER INSERT ON orders
    FOR EACH ROW WHEN (NEW.status = 'pending_payment') EXECUTE FUNCTION store_counters_track();
CREATE TRIGGER store_counters_delete AFTER DELETE ON orders
    FOR EACH ROW WHEN (OLD.status = 'pending_payment') EXECUTE FUNCTION store_counters_track();
CREATE TRIGGER store_counters_update AFTER UPDATE OF status, tenant_id ON orders
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION store_counters_track();

CREATE TRIGGER store_counters_insert AFTER INSERT ON deliveries
    FOR EACH ROW WHEN (NEW.status IN ('pending', 'failed')) EXECUTE FUNCTION store_counters_track();
CREATE TRIGGER store_counters_delete AFTER DELETE ON deliveries
    FOR EACH ROW WHEN (OLD.status IN ('pending', 'failed')) EXECUTE FUNCTION store_counters_track();
CREATE TRIGGER store_counters_update AFTER UPDATE OF status, tenant_id ON deliveries
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION store_counters_track();

-- Folds a store's process rows into its slot 0, skipping rows a running transaction holds, and only when
-- there are more than `keep` of them (cheap to call on every read). Never waits: slot 0 is taken with
-- SKIP LOCKED too, so while another call is folding this one does nothing.
CREATE FUNCTION store_counters_compact(t uuid, keep int DEFAULT 16) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM store_counters WHERE tenant_id = t AND slot <> 0) <= keep THEN
        RETURN;
    END IF;
    INSERT INTO store_counters (tenant_id, slot) VALUES (t, 0) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM store_counters WHERE tenant_id = t AND slot = 0 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    WITH folded AS (
        DELETE FROM store_counters c
         WHERE c.tenant_id = t
           AND c.slot IN (SELECT slot FROM store_counters WHERE tenant_id = t AND slot <> 0 FOR UPDATE SKIP LOCKED)
        RETURNING c.*
    )
    UPDATE store_counters s
       SET products_active = s.products_active + f.active,
           products_draft = s.products_draft + f.draft,
           orders_awaiting_payment = s.orders_awaiting_payment + f.awaiting,
           deliveries_waiting = s.deliveries_waiting + f.waiting,
           deliveries_failed = s.deliveries_failed + f.failed
      FROM (SELECT coalesce(sum(products_active), 0) AS active, coalesce(sum(products_draft), 0) AS draft,
                   coalesce(sum(orders_awaiting_payment), 0) AS awaiting, coalesce(sum(deliveries_waiting), 0) AS waiting,
                   coalesce(sum(deliveries_failed), 0) AS failed
              FROM folded) f
     WHERE s.tenant_id = t AND s.slot = 0;
END
$$;

-- Recounts one store from its rows, for tools that write rows with triggers skipped (the benchmarks'
-- bulk seeding), while nothing else writes to the store: the statistics of 0008 and the counters here.
CREATE FUNCTION store_statistics_rebuild(t uuid) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM order_period_stats WHERE tenant_id = t;
    INSERT INTO order_period_stats (tenant_id, period_start, currency, orders, paid_total)
    SELECT tenant_id, order_period(created_at), currency, count(*),
           coalesce(sum(total_amount) FILTER (WHERE order_is_paid(status)), 0)
      FROM orders WHERE tenant_id = t GROUP BY 1, 2, 3;
    DELETE FROM store_counters WHERE tenant_id = t;
    INSERT INTO store_counters (tenant_id, slot, products_active, products_draft, orders_awaiting_payment,
                                deliveries_waiting, deliveries_failed)
    VALUES (t, 0,
            (SELECT count(*) FROM products WHERE tenant_id = t AND status = 'active'),
            (SELECT count(*) FROM products WHERE tenant_id = t AND status = 'draft'),
            (SELECT count(*) FROM orders WHERE tenant_id = t AND status = 'pending_payment'),
            (SELECT count(*) FROM deliveries WHERE tenant_id = t AND status = 'pending'),
            (SELECT count(*) FROM deliveries WHERE tenant_id = t AND status = 'failed'));
END
$$;

-- Recounts every store, each with its tenant set: an owner who is not a superuser is held to the forced
-- row-level security like everyone else, and would otherwise see no store's rows and write none.
CREATE FUNCTION store_statistics_rebuild_all() RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    t uuid;
    prior text := current_setting('app.tenant_id', true);
BEGIN
    FOR t IN SELECT id FROM tenants ORDER BY id LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        PERFORM store_statistics_rebuild(t);
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(prior, ''), true);
END
$$;

-- Who may call what: the app and admin roles write orders, deliveries and products (so their triggers
-- add to the counts) and read the dashboard (which folds); recounting is for the owner.
REVOKE ALL ON FUNCTION store_counters_add(uuid, bigint, bigint, bigint, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION store_counters_apply(name, uuid, text, int) FROM PUBLIC;
REVOKE ALL ON FUNCTION store_counters_track() FROM PUBLIC;
REVOKE ALL ON FUNCTION store_counters_compact(uuid, int) FROM PUBLIC;
REVOKE ALL ON FUNCTION store_statistics_rebuild(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION store_statistics_rebuild_all() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION store_counters_add(uuid, bigint, bigint, bigint, bigint, bigint) TO backoffice_app, backoffice_admin;
GRANT EXECUTE ON FUNCTION store_counters_apply(name, uuid, text, int) TO backoffice_app, backoffice_admin;
GRANT EXECUTE ON FUNCTION store_counters_compact(uuid, int) TO backoffice_app, backoffice_admin;

-- The stores that exist already (this also fills 0008's statistics where its own backfill, run by an
-- owner held to row-level security, saw no rows).
SELECT store_statistics_rebuild_all();
