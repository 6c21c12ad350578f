-- 015. A tenant's pull no longer waits on other tenants' transactions (a psql attack, helper-67). Desktops read
-- each change feed (changes, assignment_log, comments) only below the oldest transaction still running, so that
-- a change committed late is never skipped. That horizon was the whole cluster's: any login of any tenant could
-- open a transaction, take a transaction id (pg_current_xact_id(), or any write it may make) and keep it open,
-- and no desktop of any tenant received decisions, assignments or comments until it ended.
--
-- pull_horizon() is that horizon for the caller: the oldest running transaction that could have written a row
-- the caller may read. A transaction is passed over only when its session's login is a member of tenants and
-- of none of the caller's, and is no administrator: such a login can write no row of the caller's tenants, since
-- every write function checks the session login's memberships. Anything not known to be such (the migration
-- role, a background process, a transaction whose session has just ended) still holds the horizon back, which
-- only delays a pull. A transaction's login is the login its session started with (SET ROLE does not change
-- it). The one case this does not cover: a login given a membership of the caller's tenant while a transaction
-- it opened before is still running; adding a member to a tenant is an administrator's act, not a member's.
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
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- 011 left its trigger function executable by PUBLIC (harmless, since a trigger function cannot be called,
-- but every other function of the schema is revoked from PUBLIC).
REVOKE ALL ON FUNCTION riskdesk.refuse_attachment_change() FROM PUBLIC;
