-- A member could hold its own tenant's decisions for as long as it liked (helper-73): BEGIN, one call of
-- decide (even an applicant's refused approval locks the rows it names, the tenant's chain and the caller's
-- membership), then nothing, with idle_in_transaction_session_timeout and statement_timeout SET to 0 for the
-- session (any client may). Every other decision of the tenant then waited for lock_timeout and failed.
--
-- Now each writing call ends, before it waits on anything, the sessions of the tenant's app logins that hold a
-- writing lock on this schema's tables (row locks and writes take RowShareLock or stronger; plain reads,
-- such as a desktop's first pull, take AccessShareLock only) and that have either sat idle inside their
-- transaction for more than 5 s or run one transaction for more than 10 s, the lock_timeout every writing
-- function waits at most: a holder older than that has already made a caller wait in vain. A desktop does
-- neither: each of its writes is one statement of its own transaction, a set of 5,000 decisions taking about
-- a second. A call that arrives while the holder is still within those limits waits as before, at most
-- lock_timeout, and the next call (the desktop retries at its next sync) ends it. Administrators and the owner
-- are never ended.
--
-- Seeing other sessions' state and ending them needs the owner to have pg_read_all_stats and
-- pg_signal_backend (scripts/pg grants both; see README, Security). Without them this does nothing, and the
-- server behaves as before: find the session in pg_stat_activity and end it by hand.
CREATE FUNCTION riskdesk.end_stalled_lock_holders(p_tenant text) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_pid integer;
    v_login name;
    v_ended integer := 0;
BEGIN
    IF p_tenant IS NULL THEN
        RAISE EXCEPTION 'end_stalled_lock_holders needs a tenant' USING ERRCODE = '22004';
    END IF;
    IF NOT pg_catalog.pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')
       OR NOT pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') THEN
        RETURN 0;
    END IF;
    -- pg_stat_activity is a snapshot kept for the whole transaction: a caller that called before in the same
    -- transaction would otherwise judge sessions by what they did then (helper-75).
    PERFORM pg_catalog.pg_stat_clear_snapshot();
    -- Stalled sessions of the tenant's app logins that hold a transaction id (they wrote or locked a row) and a
    -- writing lock on a table of this schema, judged in one reading of both views.
    FOR v_pid, v_login IN
        SELECT DISTINCT a.pid, a.usename
          FROM pg_catalog.pg_stat_activity a
          JOIN pg_catalog.pg_locks l ON l.pid = a.pid
          JOIN pg_catalog.pg_class c ON c.oid = l.relation
         WHERE a.pid <> pg_catalog.pg_backend_pid()
           AND a.datname = pg_catalog.current_database()
           AND a.backend_xid IS NOT NULL
           AND ((a.state IN ('idle in transaction', 'idle in transaction (aborted)')
                 AND a.state_change < pg_catalog.clock_timestamp() - interval '5 seconds')
                OR a.xact_start < pg_catalog.clock_timestamp() - interval '10 seconds')
           AND l.locktype = 'relation' AND l.granted AND l.mode <> 'AccessShareLock'
           AND c.relnamespace = 'riskdesk'::pg_catalog.regnamespace
           AND EXISTS (SELECT 1 FROM riskdesk.memberships m WHERE m.login_role = a.usename AND m.tenant_id = p_tenant)
           AND NOT pg_catalog.pg_has_role(a.usesysid, 'riskdesk_admin', 'MEMBER')
    LOOP
        IF pg_catalog.pg_terminate_backend(v_pid, 1000) THEN
            v_ended := v_ended + 1;
            RAISE LOG 'riskdesk: ended session % of login % in tenant %: it held locks from a stalled transaction',
                v_pid, v_login, pg_catalog.left(p_tenant, 64);
        END IF;
    END LOOP;
    RETURN v_ended;
END
$$;
REVOKE ALL ON FUNCTION riskdesk.end_stalled_lock_holders(text) FROM PUBLIC;

-- caller() as in 015, and first the tenant's stalled lock holders. Every writing function calls it before it
-- locks anything.
CREATE OR REPLACE FUNCTION riskdesk.caller(p_tenant text, OUT o_user text, OUT o_role text)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_made bigint; -- the 32-bit id of the transaction that last wrote the membership
    v_own xid8 := pg_catalog.pg_current_xact_id_if_assigned();
BEGIN
    IF p_tenant IS NOT NULL AND EXISTS (SELECT 1 FROM riskdesk.memberships m
                                         WHERE m.login_role = session_user AND m.tenant_id = p_tenant) THEN
        PERFORM riskdesk.end_stalled_lock_holders(p_tenant);
    END IF;
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
