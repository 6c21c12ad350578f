-- 015. A tenant's pull no longer waits on other tenants' transactions (a psql attack, helper-67). Desktops read
-- each change feed (changes, assignment_log, comments) only below the oldest transaction still running, so that
-- a change committed late is never skipped. That horizon was the whole cluster's: any login of any tenant could
-- open a transaction, take a transaction id (pg_current_xact_id(), or any write it may make) and keep it open,
-- and no desktop of any tenant received decisions, assignments or comments until it ended.
--
-- pull_horizon() is that horizon for the caller: the oldest running transaction that could have written a row
-- the caller may read. A transaction is passed over only when its session's login is a member of tenants and
-- of none of the caller's, and is no administrator: such a login can write no row of the caller's tenants, since
-- every write function checks the session login's memberships (riskdesk.caller). Anything not known to be such
-- (the migration role, a background process, a transaction whose session has just ended) still holds the
-- horizon back, which only delays a pull. A transaction's login is the login its session started with (SET ROLE
-- does not change it).
--
-- Memberships that change while a member's transaction runs (helper-70) are made safe by caller() below:
--   * a removal waits for that member's running transactions that act in the tenant (caller() holds the
--     membership row FOR KEY SHARE), so no transaction of a login that is no longer a member is still writing;
--   * an addition does not count for a transaction that already had its id when the membership was made: such
--     a transaction may have been passed over while the login belonged elsewhere, so it is refused (40001) and
--     retried as a new one. An addition made by a transaction older than the caller's is safe: while it ran it
--     was an administrator's, which no pull passes over, and once committed the login is a member.
--
-- STABLE: the function sees the calling statement's snapshot, so the horizon and the rows read below it come
-- from one view of the database. Call it as (SELECT riskdesk.pull_horizon()) so it runs once per statement.
CREATE FUNCTION riskdesk.pull_horizon() RETURNS xid8
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, riskdesk, pg_temp
AS $$
DECLARE
    snap pg_catalog.pg_snapshot := pg_catalog.pg_current_snapshot();
    horizon xid8;
BEGIN
    IF pg_catalog.pg_has_role(session_user, 'riskdesk_admin', 'MEMBER') THEN
        RETURN pg_catalog.pg_snapshot_xmin(snap); -- an administrator reads every tenant: everyone counts
    END IF;
    SELECT pg_catalog.min(x) INTO horizon
      FROM pg_catalog.pg_snapshot_xip(snap) AS x
     WHERE NOT EXISTS (
           SELECT 1
             FROM pg_catalog.pg_stat_activity a
            WHERE a.backend_xid::text::bigint = x::text::bigint % 4294967296 -- xid8 to its 32-bit xid
              AND a.usename IS NOT NULL
              AND NOT pg_catalog.pg_has_role(a.usesysid, 'riskdesk_admin', 'MEMBER') -- NULL if dropped: counts
              AND EXISTS (SELECT 1 FROM riskdesk.memberships m WHERE m.login_role = a.usename)
              AND NOT EXISTS (SELECT 1
                                FROM riskdesk.memberships theirs
                                JOIN riskdesk.memberships mine ON mine.tenant_id = theirs.tenant_id
                               WHERE theirs.login_role = a.usename AND mine.login_role = session_user));
    RETURN coalesce(horizon, pg_catalog.pg_snapshot_xmax(snap));
END
$$;
REVOKE ALL ON FUNCTION riskdesk.pull_horizon() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.pull_horizon()
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance, riskdesk_admin;

-- The caller's membership of a tenant, as before, now held for the transaction (see above). Volatile: it locks.
CREATE OR REPLACE FUNCTION riskdesk.caller(p_tenant text, OUT o_user text, OUT o_role text)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_made bigint; -- the 32-bit id of the transaction that last wrote the membership
    v_own xid8 := pg_catalog.pg_current_xact_id_if_assigned();
BEGIN
    SELECT m.user_id, m.role, m.xmin::text::bigint INTO o_user, o_role, v_made FROM riskdesk.memberships m
     WHERE m.login_role = session_user AND m.tenant_id = p_tenant
       FOR KEY SHARE OF m;
    IF o_user IS NULL THEN
        RAISE EXCEPTION 'you are not a member of tenant "%"', pg_catalog.left(p_tenant, 64) USING ERRCODE = '42501';
    END IF;
    -- Newer than this transaction's own id, modulo 2^32 (a frozen id, below 3, is older than any).
    IF v_own IS NOT NULL AND v_made >= 3
       AND (v_made - v_own::text::bigint % 4294967296 + 4294967296) % 4294967296 BETWEEN 1 AND 2147483647 THEN
        RAISE EXCEPTION 'your membership of tenant "%" changed while this transaction ran; try again',
                        pg_catalog.left(p_tenant, 64) USING ERRCODE = '40001';
    END IF;
END
$$;

-- 011 left its trigger function executable by PUBLIC (harmless, since a trigger function cannot be called,
-- but every other function of the schema is revoked from PUBLIC).
REVOKE ALL ON FUNCTION riskdesk.refuse_attachment_change() FROM PUBLIC;
