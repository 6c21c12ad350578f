-- Less work for the server in each decision of a push (issue 14, "Push"). Measured on one set of 5,000
-- approvals of 120,000 pending exceptions, rolled back after each run so that every run decides the same rows
-- (median of 20 sets; the README has the figures and the command):
--   * 017's check of an exception's texts ran its PL/pgSQL trigger on every decided row, because the push
--     writes rejection_reason (unchanged but for rejections): now the trigger runs only when a text changes, a
--     test the server makes without calling the function;
--   * the log's check of a comment called riskdesk.has_control for every entry, a function with its own
--     search_path (set and restored at each call): the pattern is now in the check itself;
--   * decide_set_rows reads each exception once for its rules (the test for an ended window, which read every
--     exception of the set a second time, is made by the same query) and writes it back where it found it: the
--     update went by key, and the planner chose to read the whole table for 5,000 rows of 120,000;
--   * the keys go in by a plain insert; the conflict clause is kept for when a key turns out to be taken.
-- The answers, the rows, the log and the keys are the same as before, decision for decision (tst_server).

-- The texts of an exception are judged when written (017), and only then.
DROP TRIGGER exceptions_printable_texts ON riskdesk.exceptions;
CREATE TRIGGER exceptions_printable_texts BEFORE INSERT ON riskdesk.exceptions
    FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_exception_controls();
CREATE TRIGGER exceptions_printable_texts_changed BEFORE UPDATE OF justification, rejection_reason
    ON riskdesk.exceptions
    FOR EACH ROW WHEN (NEW.justification IS DISTINCT FROM OLD.justification
                       OR NEW.rejection_reason IS DISTINCT FROM OLD.rejection_reason)
    EXECUTE FUNCTION riskdesk.refuse_exception_controls();

-- The same characters as riskdesk.has_control refuses (017), without a call per entry. Entries written before
-- 017 are still not judged (NOT VALID).
ALTER TABLE riskdesk.approval_log DROP CONSTRAINT log_comment_has_no_control_or_override;
ALTER TABLE riskdesk.approval_log ADD CONSTRAINT log_comment_has_no_control_or_override
    CHECK (comment !~ '[\u0001-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]') NOT VALID;

-- As in 010, but for the three changes above; 014's planning for each set's own arrays stays. A set reads a few
-- thousand rows by key or by address among many more, all in memory as a rule: the planner's default price of
-- a random read (4, made for disks) had it read the whole table instead.
CREATE OR REPLACE FUNCTION riskdesk.decide_set_rows(p_tenant text, p_decisions riskdesk.decision[])
    RETURNS TABLE (o_item integer, o_replayed boolean, o_kind text, o_code text, o_message text, o_record text,
                   o_found boolean, o_version bigint, o_status text, o_rejection_reason text,
                   o_current_approver text, o_last_status_at timestamptz, o_auto_rejected boolean, o_chain jsonb)
    LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET plan_cache_mode = force_custom_plan
    SET random_page_cost = 1.1
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
    v_ended boolean;       -- a decision is on a pending exception whose window has ended
    a_rows tid[];          -- where the exceptions of the applied decisions are (locked: they stay there)
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
    v_claims bigint;
    v_unanswered boolean := false; -- a key of the set was claimed and never answered
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
        END IF;
        v_unanswered := v_unanswered OR v_earlier.earlier IS NULL; -- claimed and never answered: decided now
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
    -- The first is told from the set alone; the second from the rows, which the rules' query reads anyway (its
    -- answers are then dropped: it writes nothing).
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
      INTO v_in_order;
    IF NOT v_in_order THEN
        -- The rules, over the whole set at once, in the order decide applies them; then, for the applied decisions,
        -- the new state and the canonical text of each log entry (as ApprovalLogEntry, after the hash before it).
        WITH d AS (
            SELECT x.i::integer AS i, x.record_id, x.action, x.comment, x.expected_version, x.idempotency_key,
                   CASE WHEN coalesce(x.comment, '') = '' OR NOT v_claimed[x.i] THEN '' -- over the limit: not scanned
                        ELSE pg_catalog.regexp_replace(x.comment, c_space, '', 'g') END AS trimmed,
                   e.record_id IS NOT NULL AS found, e.version, e.status, e.applicant_id, e.current_approver_id,
                   e.approval_chain_log AS chain, r.severity, e.rejection_reason, e.last_status_at, e.auto_rejected,
                   e.valid_end_time, e.row_address
              FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                   AS x(record_id, action, comment, expected_version, idempotency_key, i)
              LEFT JOIN LATERAL (SELECT y.record_id, y.version, y.status, y.applicant_id, y.current_approver_id,
                                        y.approval_chain_log, y.risk_rule_id, y.rejection_reason, y.last_status_at,
                                        y.auto_rejected, y.valid_end_time, y.ctid AS row_address
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
                   ELSE w.chain END)::riskdesk.set_verdict ORDER BY w.i),
               coalesce(pg_catalog.bool_or(v_claimed[w.i] AND w.status = 'pending' AND v_now >= w.valid_end_time
                                           AND (w.expected_version IS NULL OR w.expected_version = w.version)), false),
               pg_catalog.array_agg(w.row_address) FILTER (WHERE w.applied) -- in any order
          INTO v_verdicts, v_ended, a_rows
          FROM w;
        v_in_order := v_ended;
    END IF;
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

        -- The rows where the rules' query found them: locked since, so still there (a scan of those addresses;
        -- by their keys, the planner took a scan of the whole table for 5,000 of 120,000 rows).
        UPDATE riskdesk.exceptions e
           SET status = u.s_status, rejection_reason = u.s_reason, current_approver_id = u.s_approver,
               last_status_at = u.s_last, version = u.s_version, approval_chain_log = u.s_chain
          FROM pg_catalog.unnest(v_verdicts) u
         WHERE e.ctid = ANY (a_rows) AND e.tenant_id = p_tenant AND e.record_id = u.record_id AND u.applied;
        GET DIAGNOSTICS v_written = ROW_COUNT;
        IF v_written <> pg_catalog.cardinality(a_records) THEN -- a locked row cannot move; refuse rather than guess
            RAISE EXCEPTION 'decide_set updated % of the set''s % exceptions; nothing was applied', v_written,
                pg_catalog.cardinality(a_records) USING ERRCODE = '40001';
        END IF;
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

    -- Each key with its compact answer (full_answer completes it on a retry), by a plain insert: a key of the set
    -- is either new or, rarely, claimed and never answered (seen above). Should a key turn out taken meanwhile by
    -- another request, the insert fails, is undone, and the keys are written again as before this migration: a
    -- row with no answer yet takes this one; any other means nothing of the set may be applied. (The conflict
    -- clause costs every key a second look at the index and a second log record; the retry costs nothing until
    -- it is needed.)
    v_claims := (SELECT pg_catalog.count(*) FROM pg_catalog.unnest(v_verdicts) v WHERE v.claimed);
    v_written := -1;
    IF NOT v_unanswered THEN
        BEGIN
            INSERT INTO riskdesk.applied_requests (tenant_id, caller_id, idempotency_key, outcome,
                                                   request_fingerprint)
            SELECT p_tenant, v_actor, v.key,
                   pg_catalog.jsonb_build_object('outcome', v.kind, 'code', v.code, 'message', v.message, 'state',
                       CASE WHEN v.found THEN pg_catalog.jsonb_build_array(v.s_version, v.s_status, v.s_reason,
                           v.s_approver, v.s_last, v.s_auto, pg_catalog.jsonb_array_length(v.s_chain)) END),
                   v.fingerprint
              FROM pg_catalog.unnest(v_verdicts) v
             WHERE v.claimed;
            GET DIAGNOSTICS v_written = ROW_COUNT;
        EXCEPTION WHEN unique_violation THEN
            v_written := -1;
        END;
    END IF;
    IF v_written < 0 THEN
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
    END IF;
    IF v_written <> v_claims THEN
        RAISE EXCEPTION 'an idempotency key of this set was used meanwhile by another request; nothing was applied'
            USING ERRCODE = '40001';
    END IF;
    RETURN QUERY
        SELECT v.i, false, v.kind, v.code, v.message, v.record_id, v.found, v.s_version, v.s_status, v.s_reason,
               v.s_approver, v.s_last, v.s_auto, v.s_chain
          FROM pg_catalog.unnest(v_verdicts) v;
END
$$;
