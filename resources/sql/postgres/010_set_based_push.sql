-- Set-based decisions (issue 14, "Push"): decide_set decides a set of one tenant's decisions with a handful of
-- statements over the whole set instead of a PL/pgSQL step per decision. The rules are the same and in the same
-- order (state machine, four eyes, assignment, reasons, idempotency keys, the chain of the approval log); what
-- changed is how they run:
--   * the rules are one CASE over the whole set, evaluated in one SELECT against the locked rows;
--   * the chain's hashes are computed in one ordered pass that does nothing but SHA-256 (each entry's canonical
--     text, without its predecessor's hash, is built set-based beforehand);
--   * the exceptions, the log entries, the changes and the answers are written in one statement each;
--   * an idempotency key keeps a compact answer (outcome, code, message and the exception's changing fields at
--     that moment, with the length of its approval chain) instead of the whole exception: a retry rebuilds the
--     whole answer from the row (the fields a decision never changes) and that compact state, so it gets exactly
--     what the first call got;
--   * a set takes one time for all its decisions (the moment its rules run), as a transaction does.
-- A set whose decisions interact (two decisions on one exception, or a pending exception whose window has ended,
-- which the server rejects in mid-set) takes the in-order path of migration 006, renamed decide_set_in_order:
-- the same answers, decision by decision. Auditors and finance staff take it too (they are answered at once).

ALTER FUNCTION riskdesk.decide_set(text, riskdesk.decision[]) RENAME TO decide_set_in_order;
REVOKE ALL ON FUNCTION riskdesk.decide_set_in_order(text, riskdesk.decision[])
    FROM PUBLIC, riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- The log, the changes and the keys no longer check their tenant a row at a time (a foreign key costs every
-- insert a lookup and a lock on the tenant's row, a tenth of a set's time): every row of theirs is written by a
-- function of this schema for a tenant it has just found the caller a member of (riskdesk.caller; memberships
-- keep their foreign key), or for an exception's own tenant (exceptions keep theirs). What the foreign keys did
-- besides, refusing to remove a tenant that still has such rows, a trigger on tenants does.
ALTER TABLE riskdesk.approval_log DROP CONSTRAINT approval_log_tenant_id_fkey;
ALTER TABLE riskdesk.changes DROP CONSTRAINT changes_tenant_id_fkey;
ALTER TABLE riskdesk.applied_requests DROP CONSTRAINT applied_requests_tenant_id_fkey;

CREATE FUNCTION riskdesk.refuse_tenant_removal() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.tenant_id = OLD.tenant_id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT FROM riskdesk.approval_log l WHERE l.tenant_id = OLD.tenant_id)
       OR EXISTS (SELECT FROM riskdesk.changes c WHERE c.tenant_id = OLD.tenant_id)
       OR EXISTS (SELECT FROM riskdesk.applied_requests a WHERE a.tenant_id = OLD.tenant_id) THEN
        RAISE EXCEPTION 'tenant "%" still has approval log entries, changes or idempotency keys',
            pg_catalog.left(OLD.tenant_id, 64) USING ERRCODE = '23503';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER tenants_keep_their_rows BEFORE DELETE OR UPDATE OF tenant_id ON riskdesk.tenants
    FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_tenant_removal();
ALTER TABLE riskdesk.tenants ENABLE ALWAYS TRIGGER tenants_keep_their_rows;
REVOKE ALL ON FUNCTION riskdesk.refuse_tenant_removal() FROM PUBLIC;

-- The whole answer to a decision from what its key kept: answers kept before this migration hold the whole
-- exception and are returned as they are; compact ones ("state": the exception's version, status,
-- rejection_reason, current_approver_id, last_status_at, auto_rejected and approval chain length after that
-- decision, or null when there was no such exception) are completed from the row: the other columns never
-- change after filing, and the approval chain only grows, so its first entries are the chain as it was then.
CREATE FUNCTION riskdesk.full_answer(p_tenant text, p_record text, p_kept jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_e riskdesk.exceptions%ROWTYPE;
    v_state jsonb := p_kept -> 'state';
    v_n integer;
    v_chain jsonb;
BEGIN
    IF p_kept IS NULL OR NOT p_kept ? 'state' THEN
        RETURN p_kept;
    END IF;
    IF pg_catalog.jsonb_typeof(v_state) IS DISTINCT FROM 'array' THEN
        RETURN (p_kept - 'state') || '{"exception": null, "latest_step": null}';
    END IF;
    SELECT * INTO v_e FROM riskdesk.exceptions e WHERE e.tenant_id = p_tenant AND e.record_id = p_record;
    IF NOT FOUND THEN
        RETURN (p_kept - 'state') || '{"exception": null, "latest_step": null}';
    END IF;
    v_n := (v_state ->> 6)::integer;
    v_chain := coalesce((SELECT pg_catalog.jsonb_agg(s.step ORDER BY s.o)
                           FROM pg_catalog.jsonb_array_elements(v_e.approval_chain_log) WITH ORDINALITY AS s(step, o)
                          WHERE s.o <= v_n), '[]');
    v_e.version := (v_state ->> 0)::bigint;
    v_e.status := v_state ->> 1;
    v_e.rejection_reason := v_state ->> 2;
    v_e.current_approver_id := v_state ->> 3;
    v_e.last_status_at := (v_state ->> 4)::timestamptz;
    v_e.auto_rejected := (v_state ->> 5)::boolean;
    v_e.approval_chain_log := v_chain;
    RETURN (p_kept - 'state')
           || pg_catalog.jsonb_build_object('exception', pg_catalog.to_jsonb(v_e), 'latest_step', v_chain -> -1);
END
$$;

-- One decision of a set as the set's rules decided it.
CREATE TYPE riskdesk.set_verdict AS (
    i           integer,
    record_id   text,
    kind        text,    -- applied, refused or conflict
    code        text,
    message     text,
    claimed     boolean, -- its key is claimed by this call
    key         text,
    fingerprint text,
    applied     boolean,
    action      text,
    comment     text,    -- trimmed
    step        integer,
    status      text,    -- after it (applied)
    next_id     text,    -- the next approver (applied)
    final       boolean,
    seq         bigint,  -- its log entry's (applied)
    entry       text,    -- its log entry's canonical text, after the predecessor's hash (applied)
    -- the exception after it (found: there is one), as far as a decision changes an exception
    found       boolean,
    s_version   bigint,
    s_status    text,
    s_reason    text,
    s_approver  text,
    s_last      timestamptz,
    s_auto      boolean,
    s_chain     jsonb
);

-- Answers as decide_set_rows returns them, from whole answers (decide's objects): the in-order path's, and
-- replays.
CREATE FUNCTION riskdesk.answer_rows(p_items integer[], p_records text[], p_answers jsonb[])
    RETURNS TABLE (o_item integer, o_replayed boolean, o_kind text, o_code text, o_message text, o_record text,
                   o_found boolean, o_version bigint, o_status text, o_rejection_reason text,
                   o_current_approver text, o_last_status_at timestamptz, o_auto_rejected boolean, o_chain jsonb)
    LANGUAGE sql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT u.i, u.o ? 'replayed', u.o ->> 'outcome', u.o ->> 'code', u.o ->> 'message', u.r,
           pg_catalog.jsonb_typeof(u.o -> 'exception') = 'object', (u.o -> 'exception' ->> 'version')::bigint,
           u.o -> 'exception' ->> 'status', u.o -> 'exception' ->> 'rejection_reason',
           u.o -> 'exception' ->> 'current_approver_id', (u.o -> 'exception' ->> 'last_status_at')::timestamptz,
           (u.o -> 'exception' ->> 'auto_rejected')::boolean, u.o -> 'exception' -> 'approval_chain_log'
      FROM ROWS FROM (pg_catalog.unnest(p_items), pg_catalog.unnest(p_records), pg_catalog.unnest(p_answers))
           AS u(i, r, o)
     WHERE u.o IS NOT NULL
$$;

-- Decides a set of decisions of one tenant, in order, as the caller (its login role's membership). Returns one
-- row per decision (in no particular order: sort by o_item): whether it is a retry's replayed answer, the
-- outcome (applied, refused or conflict), its code and message, and the exception as the server has it after
-- that decision, as far as a decision changes it (o_found false: there is no such exception); decide_set makes
-- decide's objects of them, a desktop takes them as they are. Anything malformed in the set (NULLs, an unknown
-- action, a blank or reused key, more than 5000 decisions) raises before anything is written, and nothing of
-- the set is applied.
CREATE FUNCTION riskdesk.decide_set_rows(p_tenant text, p_decisions riskdesk.decision[])
    RETURNS TABLE (o_item integer, o_replayed boolean, o_kind text, o_code text, o_message text, o_record text,
                   o_found boolean, o_version bigint, o_status text, o_rejection_reason text,
                   o_current_approver text, o_last_status_at timestamptz, o_auto_rejected boolean, o_chain jsonb)
    LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
#variable_conflict use_column
DECLARE
    c_max_set constant integer := 5000;
    c_space constant text :=
        '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|'
        '[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$';
    v_nonblank text := '[^' || riskdesk.blank_characters() || ']';
    v_n integer;
    v_actor text;
    v_role text;
    v_bad record;
    v_claimed boolean[];   -- per decision: its key is claimed by this call (a comment within the limit)
    v_out jsonb[];         -- per decision: a replayed answer (NULL: decided now)
    v_todo boolean[];      -- per decision: decided by this call
    v_earlier record;
    v_seq bigint;
    v_head text;
    v_prev text;
    v_now timestamptz;
    v_in_order boolean;
    v_rest riskdesk.decision[];
    v_rest_items integer[];
    v_all_records text[];
    v_verdicts riskdesk.set_verdict[]; -- every decision decided now, in order
    a_records text[];      -- the exceptions of the applied decisions, in order
    a_texts text[];        -- the canonical texts of their log entries
    a_prev text[];
    a_hash text[];
    v_iso text;
    v_actor_at text;
    v_tenant_end text;
    v_approved jsonb;      -- a chain with an approval, or a rejection, by the caller contains these
    v_rejected jsonb;
    v_written integer;
    v_i integer;
BEGIN
    IF p_tenant IS NULL OR p_decisions IS NULL THEN
        RAISE EXCEPTION 'decide_set needs a tenant and an array of decisions; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    v_n := pg_catalog.cardinality(p_decisions);
    IF v_n < 1 OR v_n > c_max_set THEN
        RAISE EXCEPTION 'decide_set takes 1 to % decisions; this set has %', c_max_set, v_n USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.array_ndims(p_decisions) <> 1 OR pg_catalog.array_lower(p_decisions, 1) <> 1 THEN
        RAISE EXCEPTION 'the decisions must be a one-dimensional array numbered from 1' USING ERRCODE = '22023';
    END IF;
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    v_all_records := ARRAY(SELECT d.record_id FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                                                   AS d(record_id, action, comment, expected_version,
                                                        idempotency_key, i)
                            ORDER BY d.i);
    -- The first malformed decision, in order: NULLs, then an unknown action.
    SELECT d.i, d.record_id IS NULL OR d.action IS NULL OR d.idempotency_key IS NULL AS is_null, d.action
      INTO v_bad
      FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY AS d(record_id, action, comment, expected_version,
                                                               idempotency_key, i)
     WHERE d.record_id IS NULL OR d.action IS NULL OR d.idempotency_key IS NULL
        OR d.action NOT IN ('approve', 'reject', 'withdraw')
     ORDER BY d.i LIMIT 1;
    IF FOUND AND v_bad.is_null THEN
        RAISE EXCEPTION 'decision % of the set needs an exception, an action and an idempotency key; one of them '
                        'is NULL', v_bad.i USING ERRCODE = '22004';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'unknown action "%" (approve, reject or withdraw)', pg_catalog.left(v_bad.action, 64)
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('decision %s of the set', v_bad.i);
    END IF;

    -- Auditors and finance staff never decide: answered at once by the in-order path, and nothing is written.
    IF v_role NOT IN ('approver', 'applicant') THEN
        SELECT pg_catalog.array_agg(s.item ORDER BY s.item), pg_catalog.array_agg(s.outcome ORDER BY s.item)
          INTO v_rest_items, v_out
          FROM riskdesk.decide_set_in_order(p_tenant, p_decisions) s;
        RETURN QUERY SELECT a.* FROM riskdesk.answer_rows(v_rest_items, v_all_records, v_out) a;
        RETURN;
    END IF;

    -- Keys, as claim_request checks one: not blank, at most 200 characters, each once in the set. A comment over
    -- the limit of the desktop (TextRules::kMaxCommentCharacters, counted before trimming) is refused unclaimed.
    v_claimed := ARRAY(SELECT d.comment IS NULL OR pg_catalog.length(d.comment) <= 2000
                         FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                              AS d(record_id, action, comment, expected_version, idempotency_key, i)
                        ORDER BY d.i);
    SELECT d.i, d.idempotency_key !~ v_nonblank AS blank INTO v_bad
      FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
           AS d(record_id, action, comment, expected_version, idempotency_key, i)
     WHERE v_claimed[d.i] AND (d.idempotency_key !~ v_nonblank OR pg_catalog.length(d.idempotency_key) > 200)
     ORDER BY d.i LIMIT 1;
    IF FOUND AND v_bad.blank THEN
        RAISE EXCEPTION 'a request needs an idempotency key' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('decision %s of the set', v_bad.i);
    ELSIF FOUND THEN
        RAISE EXCEPTION 'an idempotency key has at most 200 characters' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('decision %s of the set', v_bad.i);
    END IF;
    SELECT d.idempotency_key AS key INTO v_bad
      FROM pg_catalog.unnest(p_decisions) AS d(record_id, action, comment, expected_version, idempotency_key)
     GROUP BY d.idempotency_key HAVING pg_catalog.count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'idempotency key "%" appears more than once in this set; each decision needs its own key',
            pg_catalog.left(v_bad.key, 64) USING ERRCODE = '22023';
    END IF;

    -- The rows, locked in record order (two sets never deadlock on them), then the chain of the tenant, from its
    -- head (the order end_window takes them in): the chain_locks row is held to the commit, so no other decision
    -- of the tenant runs meanwhile, and a key this set finds unused stays unused until it commits.
    PERFORM FROM riskdesk.exceptions e
     WHERE e.tenant_id = p_tenant
       AND e.record_id IN (SELECT d.record_id FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                                                   AS d(record_id, action, comment, expected_version,
                                                        idempotency_key, i)
                            WHERE v_claimed[d.i])
     ORDER BY e.record_id FOR UPDATE OF e;
    IF true = ANY (v_claimed) THEN
        INSERT INTO riskdesk.chain_locks (tenant_id) VALUES (p_tenant) ON CONFLICT (tenant_id) DO NOTHING;
        PERFORM FROM riskdesk.chain_locks k WHERE k.tenant_id = p_tenant FOR UPDATE;
        SELECT l.seq, l.hash INTO v_seq, v_head FROM riskdesk.approval_log l
         WHERE l.tenant_id = p_tenant ORDER BY l.seq DESC LIMIT 1;
        v_seq := coalesce(v_seq, 0);
        v_head := coalesce(v_head, pg_catalog.repeat('0', 64));
    END IF;

    -- Keys used before (a retry): the answer they got, unless they were used for another request (the
    -- fingerprint decide has always made, so a set retries what single calls sent).
    v_out := pg_catalog.array_fill(NULL::jsonb, ARRAY[v_n]);
    v_todo := pg_catalog.array_fill(true, ARRAY[v_n]);
    FOR v_earlier IN
        SELECT d.i::integer AS i, d.record_id, d.idempotency_key AS key, r.outcome AS earlier,
               r.request_fingerprint IS NOT NULL
               AND r.request_fingerprint IS DISTINCT FROM
                   pg_catalog.md5(pg_catalog.jsonb_build_array('decide', d.record_id, d.action, d.comment,
                                                               d.expected_version)::text) AS reused
          FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
               AS d(record_id, action, comment, expected_version, idempotency_key, i)
          JOIN LATERAL (SELECT a.outcome, a.request_fingerprint FROM riskdesk.applied_requests a
                         WHERE a.tenant_id = p_tenant AND a.caller_id = v_actor AND a.idempotency_key = d.idempotency_key
                        OFFSET 0) r ON true
         WHERE v_claimed[d.i]
         ORDER BY d.i LOOP
        IF v_earlier.reused THEN
            RAISE EXCEPTION 'idempotency key "%" was already used for a different request; use a new key for a new '
                            'request', pg_catalog.left(v_earlier.key, 64) USING ERRCODE = '22023';
        END IF;
        IF v_earlier.earlier IS NOT NULL THEN
            v_out[v_earlier.i] := riskdesk.full_answer(p_tenant, v_earlier.record_id, v_earlier.earlier)
                                  || '{"replayed": true}';
            v_todo[v_earlier.i] := false;
        END IF; -- claimed and never answered: decided now
    END LOOP;
    IF false = ANY (v_todo) THEN -- the replays
        v_rest_items := ARRAY(SELECT g.i FROM pg_catalog.generate_series(1, v_n) AS g(i));
        RETURN QUERY SELECT a.* FROM riskdesk.answer_rows(v_rest_items, v_all_records, v_out) a;
    END IF;
    IF NOT true = ANY (v_todo) THEN
        RETURN;
    END IF;

    -- Decisions that interact go in order: two on one exception (the second sees the first), or one on a pending
    -- exception whose window has ended (the server rejects it in mid-set, and what follows is chained after).
    v_now := pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp());
    v_iso := riskdesk.iso_ms(v_now);
    v_actor_at := ',"actor_id":' || pg_catalog.to_json(v_actor)::text || ',"at":' || pg_catalog.to_json(v_iso)::text;
    v_tenant_end := ',"tenant_id":' || pg_catalog.to_json(p_tenant)::text || '}';
    v_approved := pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('approver_id', v_actor,
                                                                              'action', 'approve'));
    v_rejected := pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('approver_id', v_actor,
                                                                              'action', 'reject'));
    SELECT EXISTS (SELECT FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                               AS d(record_id, action, comment, expected_version, idempotency_key, i)
                    WHERE v_todo[d.i] GROUP BY d.record_id HAVING pg_catalog.count(*) > 1)
           OR EXISTS (SELECT FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                                  AS d(record_id, action, comment, expected_version, idempotency_key, i)
                        JOIN LATERAL (SELECT x.status, x.valid_end_time, x.version FROM riskdesk.exceptions x
                                       WHERE x.tenant_id = p_tenant AND x.record_id = d.record_id OFFSET 0) e ON true
                       WHERE v_todo[d.i] AND v_claimed[d.i] AND e.status = 'pending' AND v_now >= e.valid_end_time
                         AND (d.expected_version IS NULL OR d.expected_version = e.version))
      INTO v_in_order;
    IF v_in_order THEN
        SELECT pg_catalog.array_agg(p_decisions[d.i] ORDER BY d.i), pg_catalog.array_agg(d.i::integer ORDER BY d.i)
          INTO v_rest, v_rest_items
          FROM pg_catalog.generate_series(1, v_n) AS d(i) WHERE v_todo[d.i];
        SELECT pg_catalog.array_agg(v_rest_items[r.item] ORDER BY r.item), pg_catalog.array_agg(r.outcome ORDER BY r.item)
          INTO v_rest_items, v_out
          FROM riskdesk.decide_set_in_order(p_tenant, v_rest) r;
        RETURN QUERY
            SELECT a.* FROM riskdesk.answer_rows(v_rest_items,
                                                 ARRAY(SELECT v_all_records[j.j]
                                                         FROM pg_catalog.unnest(v_rest_items) WITH ORDINALITY
                                                              AS j(j, o) ORDER BY j.o),
                                                 v_out) a;
        RETURN;
    END IF;

    -- The rules, over the whole set at once, in the order decide applies them; then, for the applied decisions,
    -- the new state and the canonical text of each log entry (as ApprovalLogEntry, after the hash before it).
    WITH d AS (
        SELECT x.i::integer AS i, x.record_id, x.action, x.comment, x.expected_version, x.idempotency_key,
               CASE WHEN coalesce(x.comment, '') = '' OR NOT v_claimed[x.i] THEN '' -- over the limit: not scanned
                    ELSE pg_catalog.regexp_replace(x.comment, c_space, '', 'g') END AS trimmed,
               e.record_id IS NOT NULL AS found, e.version, e.status, e.applicant_id, e.current_approver_id,
               e.approval_chain_log AS chain, r.severity, e.rejection_reason, e.last_status_at, e.auto_rejected
          FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
               AS x(record_id, action, comment, expected_version, idempotency_key, i)
          LEFT JOIN LATERAL (SELECT y.record_id, y.version, y.status, y.applicant_id, y.current_approver_id,
                                    y.approval_chain_log, y.risk_rule_id, y.rejection_reason, y.last_status_at,
                                    y.auto_rejected
                               FROM riskdesk.exceptions y
                              WHERE y.tenant_id = p_tenant AND y.record_id = x.record_id OFFSET 0) e ON true
          LEFT JOIN riskdesk.rules r ON r.tenant_id = p_tenant AND r.rule_id = e.risk_rule_id
         WHERE v_todo[x.i]),
    v AS (
        SELECT d.*,
               CASE WHEN pg_catalog.length(d.comment) > 2000 THEN 'comment_too_long'
                    WHEN NOT d.found THEN 'not_found'
                    WHEN d.expected_version IS NOT NULL AND d.version <> d.expected_version THEN 'version_changed'
                    WHEN d.status <> 'pending' THEN 'not_pending'
                    WHEN d.action = 'withdraw' AND v_actor <> d.applicant_id THEN 'not_applicant'
                    WHEN d.action <> 'withdraw' AND v_role <> 'approver' THEN 'not_an_approver'
                    WHEN d.action <> 'withdraw' AND v_actor = d.applicant_id THEN 'own_request'
                    WHEN d.action <> 'withdraw'
                         AND d.chain <> '[]' AND (d.chain @> v_approved OR d.chain @> v_rejected)
                        THEN 'already_acted'
                    WHEN d.action <> 'withdraw' AND d.current_approver_id <> ''
                         AND d.current_approver_id <> v_actor THEN 'not_current_approver'
                    WHEN d.action = 'reject' AND d.trimmed !~ v_nonblank THEN 'reason_required'
               END AS refusal,
               CASE WHEN d.action = 'approve' THEN
                   1 + CASE WHEN d.chain = '[]' THEN 0
                            ELSE pg_catalog.jsonb_array_length(pg_catalog.jsonb_path_query_array(
                                     d.chain, 'strict $[*] ? (@.action == "approve")')) END
               ELSE 0 END AS step,
               -- four eyes: high and critical rules need two approvers; a rule that is gone takes the stricter
               -- path, as on the desktop
               CASE WHEN d.severity IS NULL OR d.severity IN ('high', 'critical') THEN 2 ELSE 1 END AS required
          FROM d),
    w AS (
        SELECT v.*, v.refusal IS NULL AS applied,
               CASE WHEN v.refusal IS NOT NULL THEN NULL
                    WHEN v.action = 'withdraw' THEN 'withdrawn'
                    WHEN v.action = 'reject' THEN 'rejected'
                    WHEN v.step < v.required THEN 'pending'
                    ELSE 'approved' END AS new_status,
               CASE WHEN v.refusal IS NULL AND v.action = 'approve' AND v.step < v.required THEN
                   coalesce((SELECT m.user_id FROM riskdesk.memberships m
                              WHERE m.tenant_id = p_tenant AND m.role = 'approver'
                                AND m.user_id NOT IN (v_actor, v.applicant_id)
                                AND NOT EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(v.chain) s
                                                 WHERE s ->> 'approver_id' = m.user_id)
                              ORDER BY m.user_id LIMIT 1), '')
               ELSE '' END AS next_id,
               v_seq + pg_catalog.count(*) FILTER (WHERE v.refusal IS NULL) OVER (ORDER BY v.i) AS seq
          FROM v)
    SELECT pg_catalog.array_agg(ROW(w.i, w.record_id,
               CASE WHEN w.applied THEN 'applied' WHEN w.refusal = 'version_changed' THEN 'conflict'
                    ELSE 'refused' END,
               CASE WHEN NOT w.applied THEN w.refusal WHEN w.new_status = 'pending' THEN 'next_step' ELSE 'final' END,
               CASE w.refusal
                   WHEN 'comment_too_long' THEN
                       pg_catalog.format('The comment on %s has %s characters; at most 2000 are allowed.',
                                         pg_catalog.left(w.record_id, 64), pg_catalog.length(w.comment))
                   WHEN 'not_found' THEN
                       pg_catalog.format('There is no exception %s.', pg_catalog.left(w.record_id, 64))
                   WHEN 'version_changed' THEN
                       pg_catalog.format('%s changed on the server (version %s, expected %s).', w.record_id,
                                         w.version, w.expected_version)
                   WHEN 'not_pending' THEN pg_catalog.format('%s is already %s.', w.record_id, w.status)
                   WHEN 'not_applicant' THEN
                       pg_catalog.format('Only the applicant (%s) can withdraw %s.', w.applicant_id, w.record_id)
                   WHEN 'not_an_approver' THEN
                       pg_catalog.format('%s is %s here; only approvers approve or reject.', v_actor, v_role)
                   WHEN 'own_request' THEN
                       pg_catalog.format('%s applied for %s; another approver must decide it.', v_actor, w.record_id)
                   WHEN 'already_acted' THEN pg_catalog.format('%s already acted on %s.', v_actor, w.record_id)
                   WHEN 'not_current_approver' THEN
                       pg_catalog.format('%s is assigned to %s.', w.record_id, w.current_approver_id)
                   WHEN 'reason_required' THEN pg_catalog.format('A rejection of %s needs a reason.', w.record_id)
                   ELSE '' END,
               v_claimed[w.i], w.idempotency_key,
               CASE WHEN v_claimed[w.i] THEN
                   pg_catalog.md5(pg_catalog.jsonb_build_array('decide', w.record_id, w.action, w.comment,
                                                               w.expected_version)::text) END,
               w.applied, w.action, w.trimmed, w.step, w.new_status, w.next_id, w.new_status <> 'pending', w.seq,
               CASE WHEN w.applied THEN
                   '{"action":' || pg_catalog.to_json(w.action)::text || v_actor_at ||
                   ',"comment":' || pg_catalog.to_json(w.trimmed)::text ||
                   ',"record_id":' || pg_catalog.to_json(w.record_id)::text ||
                   ',"seq":' || w.seq::text ||
                   ',"status_after":' || pg_catalog.to_json(w.new_status)::text ||
                   ',"step":' || w.step::text || v_tenant_end END,
               w.found,
               CASE WHEN w.applied THEN w.version + 1 ELSE w.version END,
               CASE WHEN w.applied THEN w.new_status ELSE w.status END,
               CASE WHEN w.applied AND w.action = 'reject' THEN w.trimmed ELSE w.rejection_reason END,
               CASE WHEN w.applied THEN w.next_id ELSE w.current_approver_id END,
               CASE WHEN w.applied AND w.new_status <> 'pending' THEN v_now ELSE w.last_status_at END,
               w.auto_rejected,
               CASE WHEN w.applied THEN
                   w.chain || (pg_catalog.jsonb_build_object('approver_id', v_actor, 'action', w.action,
                                                             'comment', nullif(w.trimmed, ''), 'timestamp', v_iso)
                               || CASE WHEN w.step > 0 THEN pg_catalog.jsonb_build_object('step', w.step)
                                       ELSE '{}'::jsonb END)
               ELSE w.chain END)::riskdesk.set_verdict ORDER BY w.i)
      INTO v_verdicts
      FROM w;

    -- The chain: one ordered pass, a SHA-256 per entry (as log_hash: the hash before it, a newline, the canonical
    -- text of the entry).
    SELECT pg_catalog.array_agg(v.entry ORDER BY v.i), pg_catalog.array_agg(v.record_id ORDER BY v.i)
      INTO a_texts, a_records
      FROM pg_catalog.unnest(v_verdicts) v WHERE v.applied;
    IF a_records IS NOT NULL THEN
        a_prev := pg_catalog.array_fill(NULL::text, ARRAY[pg_catalog.cardinality(a_records)]);
        a_hash := a_prev;
        v_prev := v_head;
        FOR v_i IN 1 .. pg_catalog.cardinality(a_records) LOOP
            a_prev[v_i] := v_prev;
            v_prev := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(v_prev || E'\n' || a_texts[v_i],
                                                                                 'UTF8')), 'hex');
            a_hash[v_i] := v_prev;
        END LOOP;

        -- The rows by their keys (an index scan of the records of the set, never a scan of the table).
        UPDATE riskdesk.exceptions e
           SET status = u.s_status, rejection_reason = u.s_reason, current_approver_id = u.s_approver,
               last_status_at = u.s_last, version = u.s_version, approval_chain_log = u.s_chain
          FROM pg_catalog.unnest(v_verdicts) u
         WHERE e.tenant_id = p_tenant AND e.record_id = ANY (a_records) AND u.applied AND e.record_id = u.record_id;
        INSERT INTO riskdesk.approval_log (tenant_id, seq, record_id, actor_id, action, comment, step, status_after,
                                           at, prev_hash, hash)
        SELECT p_tenant, u.seq, u.record_id, v_actor, u.action, u.comment, u.step, u.status, v_now, h.prev, h.hash
          FROM pg_catalog.unnest(v_verdicts) u
          JOIN ROWS FROM (pg_catalog.unnest(a_prev), pg_catalog.unnest(a_hash)) WITH ORDINALITY AS h(prev, hash, o)
            ON h.o = u.seq - v_seq
         WHERE u.applied
         ORDER BY u.seq;
        PERFORM riskdesk.record_changes(p_tenant, a_records); -- one change per exception: records are unique here
    END IF;

    -- Each key with its compact answer (full_answer completes it on a retry). A key row already there is one
    -- claimed and never answered; any other means the key was taken meanwhile by another request, and nothing
    -- is applied.
    WITH kept AS (
        INSERT INTO riskdesk.applied_requests AS r (tenant_id, caller_id, idempotency_key, outcome,
                                                    request_fingerprint)
        SELECT p_tenant, v_actor, v.key,
               pg_catalog.jsonb_build_object('outcome', v.kind, 'code', v.code, 'message', v.message, 'state',
                   CASE WHEN v.found THEN pg_catalog.jsonb_build_array(v.s_version, v.s_status, v.s_reason,
                       v.s_approver, v.s_last, v.s_auto, pg_catalog.jsonb_array_length(v.s_chain)) END),
               v.fingerprint
          FROM pg_catalog.unnest(v_verdicts) v
         WHERE v.claimed
        ON CONFLICT (tenant_id, caller_id, idempotency_key) DO UPDATE SET outcome = excluded.outcome
         WHERE r.outcome IS NULL
        RETURNING 1)
    SELECT pg_catalog.count(*) INTO v_written FROM kept;
    IF v_written <> (SELECT pg_catalog.count(*) FROM pg_catalog.unnest(v_verdicts) v WHERE v.claimed) THEN
        RAISE EXCEPTION 'an idempotency key of this set was used meanwhile by another request; nothing was applied'
            USING ERRCODE = '40001';
    END IF;
    RETURN QUERY
        SELECT v.i, false, v.kind, v.code, v.message, v.record_id, v.found, v.s_version, v.s_status, v.s_reason,
               v.s_approver, v.s_last, v.s_auto, v.s_chain
          FROM pg_catalog.unnest(v_verdicts) v;
END
$$;

-- decide's objects, from decide_set_rows: the exception's other columns never change after filing.
CREATE FUNCTION riskdesk.decide_set(p_tenant text, p_decisions riskdesk.decision[])
    RETURNS TABLE (item integer, outcome jsonb) LANGUAGE sql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT r.o_item,
           pg_catalog.jsonb_build_object('outcome', r.o_kind, 'code', r.o_code, 'message', r.o_message,
               'exception', CASE WHEN r.o_found THEN pg_catalog.to_jsonb(e.*) || pg_catalog.jsonb_build_object(
                   'version', r.o_version, 'status', r.o_status, 'rejection_reason', r.o_rejection_reason,
                   'current_approver_id', r.o_current_approver, 'last_status_at', r.o_last_status_at,
                   'auto_rejected', r.o_auto_rejected, 'approval_chain_log', r.o_chain) END,
               'latest_step', CASE WHEN r.o_found THEN r.o_chain -> -1 END)
           || CASE WHEN r.o_replayed THEN '{"replayed": true}'::jsonb ELSE '{}'::jsonb END
      FROM riskdesk.decide_set_rows(p_tenant, p_decisions) r
      LEFT JOIN LATERAL (SELECT y.* FROM riskdesk.exceptions y
                          WHERE y.tenant_id = p_tenant AND y.record_id = r.o_record AND r.o_found OFFSET 0) e ON true
     ORDER BY r.o_item
$$;

REVOKE ALL ON FUNCTION riskdesk.full_answer(text, text, jsonb),
    riskdesk.answer_rows(integer[], text[], jsonb[]), riskdesk.decide_set_rows(text, riskdesk.decision[]),
    riskdesk.decide_set(text, riskdesk.decision[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.decide_set(text, riskdesk.decision[]), riskdesk.decide_set_rows(text, riskdesk.decision[])
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
