-- Decisions in sets (issue 14): one call decides up to 5000 decisions of one tenant, each through the same state
-- machine, four-eyes rule, chain append and idempotency key as before. decide is now a set of one, so the rules
-- live in one place (decide_set). What made one call per decision slow was not the rules but the statements
-- around them: every decision ran a dozen statements and re-parsed the SQL helper functions. A set claims its
-- keys, locks its rows and reads its rules in one statement each, applies the rules to the rows in memory
-- (a second decision on the same exception in the set sees the first), and writes the rows, the log entries,
-- the changes and the outcomes in one statement each.

-- The helpers a decision calls per entry, in PL/pgSQL with the same results: a SQL function with a SET clause
-- is never inlined, and one called from another (log_hash calling iso_ms) was parsed and planned again on
-- every call, which cost more than the rest of a decision.
CREATE OR REPLACE FUNCTION riskdesk.iso_ms(t timestamptz) RETURNS text
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN pg_catalog.to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.log_hash(p_prev text, p_tenant text, p_seq bigint, p_record text, p_actor text,
                                             p_action text, p_comment text, p_step integer, p_status text,
                                             p_at timestamptz)
    RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_prev || E'\n' ||
        '{"action":' || pg_catalog.to_json(p_action)::text ||
        ',"actor_id":' || pg_catalog.to_json(p_actor)::text ||
        ',"at":' || pg_catalog.to_json(riskdesk.iso_ms(p_at))::text ||
        ',"comment":' || pg_catalog.to_json(p_comment)::text ||
        ',"record_id":' || pg_catalog.to_json(p_record)::text ||
        ',"seq":' || p_seq::text ||
        ',"status_after":' || pg_catalog.to_json(p_status)::text ||
        ',"step":' || p_step::text ||
        ',"tenant_id":' || pg_catalog.to_json(p_tenant)::text || '}', 'UTF8')), 'hex');
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.chain_step(p_actor text, p_action text, p_comment text, p_at timestamptz,
                                               p_step integer)
    RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN pg_catalog.jsonb_build_object('approver_id', p_actor, 'action', p_action,
                                         'comment', nullif(p_comment, ''),
                                         'timestamp', riskdesk.iso_ms(p_at))
           || CASE WHEN p_step > 0 THEN pg_catalog.jsonb_build_object('step', p_step) ELSE '{}'::jsonb END;
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.trim_space(p text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN pg_catalog.regexp_replace(p,
        '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|'
        '[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$', '', 'g');
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.is_blank(p text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN p IS NULL OR p !~ ('[^' || riskdesk.blank_characters() || ']');
END
$$;

CREATE TYPE riskdesk.decision AS (
    record_id        text,
    action           text,   -- approve, reject or withdraw
    comment          text,
    expected_version bigint, -- NULL: whatever the server has
    idempotency_key  text
);

-- Changes every desktop of the tenant will pull, in the order given; one wake-up for all of them.
CREATE FUNCTION riskdesk.record_changes(p_tenant text, p_records text[]) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
BEGIN
    IF pg_catalog.cardinality(p_records) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO riskdesk.changes (tenant_id, record_id)
    SELECT p_tenant, u.r FROM pg_catalog.unnest(p_records) WITH ORDINALITY AS u(r, o) ORDER BY u.o;
    IF pg_catalog.pg_notification_queue_usage() < riskdesk.notify_queue_ceiling() THEN
        PERFORM pg_catalog.pg_notify(t.notify_channel, '') FROM riskdesk.tenants t WHERE t.tenant_id = p_tenant;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.record_change(p_tenant text, p_record text) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT riskdesk.record_changes(p_tenant, ARRAY[p_record]);
$$;

-- Writes what a set decided so far: the exceptions' new state, their log entries (already chained, in order)
-- and their changes. The caller holds the rows and the tenant's chain lock.
CREATE FUNCTION riskdesk.write_decided(p_tenant text, p_rows riskdesk.exceptions[], p_log riskdesk.approval_log[],
                                       p_changes text[]) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
BEGIN
    UPDATE riskdesk.exceptions e
       SET status = r.status, rejection_reason = r.rejection_reason, current_approver_id = r.current_approver_id,
           last_status_at = r.last_status_at, version = r.version, approval_chain_log = r.approval_chain_log,
           auto_rejected = r.auto_rejected
      FROM pg_catalog.unnest(p_rows) r
     WHERE e.tenant_id = p_tenant AND r.tenant_id = p_tenant AND e.record_id = r.record_id;
    INSERT INTO riskdesk.approval_log (tenant_id, seq, record_id, actor_id, action, comment, step, status_after, at,
                                       prev_hash, hash)
    SELECT l.tenant_id, l.seq, l.record_id, l.actor_id, l.action, l.comment, l.step, l.status_after, l.at,
           l.prev_hash, l.hash
      FROM pg_catalog.unnest(p_log) l ORDER BY l.seq;
    PERFORM riskdesk.record_changes(p_tenant, p_changes);
END
$$;

-- The answer to one decision of a set, with the exception as the set left it (NULL when there is none) and its
-- latest step: the same object riskdesk.outcome reads from the table.
CREATE FUNCTION riskdesk.set_outcome(p_kind text, p_code text, p_message text, p_row riskdesk.exceptions,
                                     p_found boolean) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN pg_catalog.jsonb_build_object('outcome', p_kind, 'code', p_code, 'message', p_message,
                                         'exception', CASE WHEN p_found THEN pg_catalog.to_jsonb(p_row) END,
                                         'latest_step', CASE WHEN p_found THEN (p_row).approval_chain_log -> -1 END);
END
$$;

-- Decides a set of decisions of one tenant, in order, as the caller (its login role's membership). Returns
-- one row per decision, in input order: (item, outcome), outcome as decide's (applied, refused or conflict,
-- with the exception as the server has it after that decision). Anything malformed in the set (NULLs, an
-- unknown action, a blank or reused key, more than 5000 decisions) raises before anything is written, and
-- nothing of the set is applied.
CREATE FUNCTION riskdesk.decide_set(p_tenant text, p_decisions riskdesk.decision[])
    RETURNS TABLE (item integer, outcome jsonb) LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
#variable_conflict use_column
DECLARE
    c_max_set constant integer := 5000;
    v_n integer;
    v_actor text;
    v_role text;
    v_d riskdesk.decision;
    v_i integer;
    v_k integer;
    v_out jsonb[];          -- per decision, its answer (NULL: still to decide)
    v_claimed boolean[];    -- per decision: its key was claimed by this call (the outcome is recorded at the end)
    v_keys text[];
    v_rows riskdesk.exceptions[];  -- per decision: its exception, current at the first decision on it
    v_first integer[];      -- per decision: the first decision of the set on the same exception
    v_found boolean[];
    v_dirty integer[] := '{}';   -- first decisions whose exception this set changed, in order
    v_is_dirty boolean[];
    v_severity jsonb;
    v_log riskdesk.approval_log[] := '{}';
    v_changes text[] := '{}';
    v_seq bigint;
    v_prev text;
    v_hash text;
    v_fingerprints text[];
    v_written integer;
    v_e riskdesk.exceptions%ROWTYPE;
    v_now timestamptz;
    v_comment text;
    v_step integer;
    v_required integer;
    v_status text;
    v_next text;
    v_final boolean;
    v_earlier record;
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
    v_keys := pg_catalog.array_fill(NULL::text, ARRAY[v_n]);
    FOR v_i IN 1 .. v_n LOOP
        v_d := p_decisions[v_i];
        IF v_d.record_id IS NULL OR v_d.action IS NULL OR v_d.idempotency_key IS NULL THEN
            RAISE EXCEPTION 'decision % of the set needs an exception, an action and an idempotency key; one of them '
                            'is NULL', v_i USING ERRCODE = '22004';
        END IF;
        IF v_d.action NOT IN ('approve', 'reject', 'withdraw') THEN
            RAISE EXCEPTION 'unknown action "%" (approve, reject or withdraw)', pg_catalog.left(v_d.action, 64)
                USING ERRCODE = '22023', DETAIL = pg_catalog.format('decision %s of the set', v_i);
        END IF;
        v_keys[v_i] := v_d.idempotency_key;
    END LOOP;

    -- Auditors and finance staff never decide: answered at once, and nothing is written.
    IF v_role NOT IN ('approver', 'applicant') THEN
        RETURN QUERY
            SELECT d.i::integer,
                   riskdesk.outcome('refused', 'not_an_approver',
                                    pg_catalog.format('%s is %s here; only approvers approve or reject.', v_actor,
                                                      v_role), p_tenant, d.record_id)
              FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                   AS d(record_id, action, comment, expected_version, idempotency_key, i)
             ORDER BY d.i;
        RETURN;
    END IF;

    -- Keys: each decision of the set has its own, checked as claim_request checks one. A comment over the
    -- limit of the desktop (TextRules::kMaxCommentCharacters, counted before trimming) is refused unclaimed.
    FOR v_i IN 1 .. v_n LOOP
        IF pg_catalog.length((p_decisions[v_i]).comment) > 2000 THEN
            CONTINUE;
        END IF;
        IF riskdesk.is_blank(v_keys[v_i]) THEN
            RAISE EXCEPTION 'a request needs an idempotency key' USING ERRCODE = '22023',
                DETAIL = pg_catalog.format('decision %s of the set', v_i);
        END IF;
        IF pg_catalog.length(v_keys[v_i]) > 200 THEN
            RAISE EXCEPTION 'an idempotency key has at most 200 characters' USING ERRCODE = '22023',
                DETAIL = pg_catalog.format('decision %s of the set', v_i);
        END IF;
    END LOOP;
    SELECT k.key INTO v_hash FROM pg_catalog.unnest(v_keys) AS k(key) GROUP BY k.key HAVING pg_catalog.count(*) > 1
     LIMIT 1;
    IF v_hash IS NOT NULL THEN
        RAISE EXCEPTION 'idempotency key "%" appears more than once in this set; each decision needs its own key',
            pg_catalog.left(v_hash, 64) USING ERRCODE = '22023';
    END IF;

    -- The rows, locked in record order (two sets never deadlock on them), then the chain of the tenant, from its
    -- head (the order end_window takes them in): the chain_locks row is held to the commit, so no other
    -- decision of the tenant runs meanwhile, and a key this set finds unused stays unused until it commits.
    v_claimed := ARRAY(SELECT pg_catalog.length(d.comment) <= 2000 OR d.comment IS NULL
                         FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                              AS d(record_id, action, comment, expected_version, idempotency_key, i)
                        ORDER BY d.i);
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
        SELECT l.seq, l.hash INTO v_seq, v_prev FROM riskdesk.approval_log l
         WHERE l.tenant_id = p_tenant ORDER BY l.seq DESC LIMIT 1;
        v_seq := coalesce(v_seq, 0);
        v_prev := coalesce(v_prev, pg_catalog.repeat('0', 64));
    END IF;

    -- Keys used before (a retry): the answer they got, unless they were used for another request.
    -- Fingerprints as decide has always made them, so a set retries what single calls sent.
    v_fingerprints := ARRAY(SELECT CASE WHEN c.c THEN pg_catalog.md5(pg_catalog.jsonb_build_array(
                                          'decide', d.record_id, d.action, d.comment, d.expected_version)::text) END
                              FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                                   AS d(record_id, action, comment, expected_version, idempotency_key, i)
                              JOIN pg_catalog.unnest(v_claimed) WITH ORDINALITY AS c(c, i) ON c.i = d.i
                             ORDER BY d.i);
    v_out := pg_catalog.array_fill(NULL::jsonb, ARRAY[v_n]);
    FOR v_earlier IN
        SELECT k.i::integer AS i, r.outcome AS earlier, r.request_fingerprint AS fingerprint
          FROM ROWS FROM (pg_catalog.unnest(v_keys), pg_catalog.unnest(v_claimed)) WITH ORDINALITY AS k(key, c, i)
          JOIN riskdesk.applied_requests r
            ON r.tenant_id = p_tenant AND r.caller_id = v_actor AND r.idempotency_key = k.key
         WHERE k.c
         ORDER BY k.i LOOP
        IF v_earlier.fingerprint IS NOT NULL AND v_earlier.fingerprint IS DISTINCT FROM v_fingerprints[v_earlier.i] THEN
            RAISE EXCEPTION 'idempotency key "%" was already used for a different request; use a new key for a new '
                            'request', pg_catalog.left(v_keys[v_earlier.i], 64) USING ERRCODE = '22023';
        END IF;
        IF v_earlier.earlier IS NOT NULL THEN
            v_out[v_earlier.i] := v_earlier.earlier || '{"replayed": true}';
            v_claimed[v_earlier.i] := false;
        END IF; -- claimed and never answered: decided now, as claim_request did
    END LOOP;

    -- The exception of each decision, read once per record, at its first decision; later ones on the same record
    -- see what the earlier did.
    -- Each array is ordered by the decision's index explicitly: a subquery's ORDER BY is not a promise.
    SELECT pg_catalog.array_agg(o.e ORDER BY o.i), pg_catalog.array_agg(o.found ORDER BY o.i),
           pg_catalog.array_agg(o.first ORDER BY o.i)
      INTO v_rows, v_found, v_first
      FROM (SELECT d.i, e AS e, e.record_id IS NOT NULL AS found, d.first
              FROM (SELECT x.i, x.record_id, pg_catalog.min(x.i) OVER (PARTITION BY x.record_id) AS first
                      FROM pg_catalog.unnest(p_decisions) WITH ORDINALITY
                           AS x(record_id, action, comment, expected_version, idempotency_key, i)) d
              LEFT JOIN riskdesk.exceptions e ON e.tenant_id = p_tenant AND e.record_id = d.record_id) o;
    SELECT pg_catalog.jsonb_object_agg(r.rule_id, r.severity) INTO v_severity FROM riskdesk.rules r
     WHERE r.tenant_id = p_tenant
       AND r.rule_id IN (SELECT x.risk_rule_id FROM pg_catalog.unnest(v_rows) x WHERE x.record_id IS NOT NULL);
    v_severity := coalesce(v_severity, '{}');
    v_is_dirty := pg_catalog.array_fill(NULL::boolean, ARRAY[v_n]);

    FOR v_i IN 1 .. v_n LOOP
        IF v_out[v_i] IS NOT NULL THEN
            CONTINUE; -- a retry: it got what the first one got
        END IF;
        v_d := p_decisions[v_i];
        v_k := v_first[v_i];
        v_e := v_rows[v_k];
        IF pg_catalog.length(v_d.comment) > 2000 THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'comment_too_long',
                                               pg_catalog.format('The comment on %s has %s characters; at most 2000 '
                                                                 'are allowed.', pg_catalog.left(v_d.record_id, 64),
                                                                 pg_catalog.length(v_d.comment)),
                                               v_e, v_found[v_k]);
            CONTINUE;
        END IF;
        v_now := pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp());
        v_comment := CASE WHEN coalesce(v_d.comment, '') = '' THEN '' ELSE riskdesk.trim_space(v_d.comment) END;
        v_step := 0;
        v_next := '';
        v_final := true;
        IF NOT v_found[v_k] THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'not_found', pg_catalog.format('There is no exception %s.',
                                               pg_catalog.left(v_d.record_id, 64)), v_e, false);
        ELSIF v_d.expected_version IS NOT NULL AND v_e.version <> v_d.expected_version THEN
            v_out[v_i] := riskdesk.set_outcome('conflict', 'version_changed',
                                               pg_catalog.format('%s changed on the server (version %s, expected %s).',
                                                                 v_d.record_id, v_e.version, v_d.expected_version),
                                               v_e, true);
        ELSIF v_e.status <> 'pending' THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'not_pending',
                                               pg_catalog.format('%s is already %s.', v_d.record_id, v_e.status),
                                               v_e, true);
        ELSIF v_now >= v_e.valid_end_time THEN
            -- Time decides first. Only a call by an approver applies the automatic rejection (the sweep does it
            -- too), through end_window itself: what this set decided so far goes first, then the row is read back.
            IF v_role = 'approver' THEN
                PERFORM riskdesk.write_decided(p_tenant, ARRAY(SELECT v_rows[j] FROM pg_catalog.unnest(v_dirty) j),
                                               v_log, v_changes);
                v_dirty := '{}';
                v_is_dirty := pg_catalog.array_fill(NULL::boolean, ARRAY[v_n]);
                v_log := '{}';
                v_changes := '{}';
                PERFORM riskdesk.end_window(p_tenant, v_d.record_id, v_now);
                SELECT * INTO v_e FROM riskdesk.exceptions e
                 WHERE e.tenant_id = p_tenant AND e.record_id = v_d.record_id;
                v_rows[v_k] := v_e;
                SELECT l.seq, l.hash INTO v_seq, v_prev FROM riskdesk.approval_log l
                 WHERE l.tenant_id = p_tenant ORDER BY l.seq DESC LIMIT 1;
            END IF;
            v_out[v_i] := riskdesk.set_outcome('refused', 'window_ended',
                                               pg_catalog.format('The validity window of %s ended; it is rejected '
                                                                 'automatically.', v_d.record_id), v_e, true);
        ELSIF v_d.action = 'withdraw' AND v_actor <> v_e.applicant_id THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'not_applicant',
                                               pg_catalog.format('Only the applicant (%s) can withdraw %s.',
                                                                 v_e.applicant_id, v_d.record_id), v_e, true);
        ELSIF v_d.action <> 'withdraw' AND v_role <> 'approver' THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'not_an_approver',
                                               pg_catalog.format('%s is %s here; only approvers approve or reject.',
                                                                 v_actor, v_role), v_e, true);
        ELSIF v_d.action <> 'withdraw' AND v_actor = v_e.applicant_id THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'own_request',
                                               pg_catalog.format('%s applied for %s; another approver must decide it.',
                                                                 v_actor, v_d.record_id), v_e, true);
        ELSIF v_d.action <> 'withdraw'
              AND (v_e.approval_chain_log @> pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                       'approver_id', v_actor, 'action', 'approve'))
                   OR v_e.approval_chain_log @> pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                       'approver_id', v_actor, 'action', 'reject'))) THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'already_acted',
                                               pg_catalog.format('%s already acted on %s.', v_actor, v_d.record_id),
                                               v_e, true);
        ELSIF v_d.action <> 'withdraw' AND v_e.current_approver_id <> '' AND v_e.current_approver_id <> v_actor THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'not_current_approver',
                                               pg_catalog.format('%s is assigned to %s.', v_d.record_id,
                                                                 v_e.current_approver_id), v_e, true);
        ELSIF v_d.action = 'reject' AND riskdesk.is_blank(v_comment) THEN
            v_out[v_i] := riskdesk.set_outcome('refused', 'reason_required',
                                               pg_catalog.format('A rejection of %s needs a reason.', v_d.record_id),
                                               v_e, true);
        ELSE
            IF v_d.action = 'withdraw' THEN
                v_status := 'withdrawn';
            ELSIF v_d.action = 'reject' THEN
                v_status := 'rejected';
            ELSE
                -- Four eyes: high and critical rules need two approvers; a rule that is gone takes the
                -- stricter path, as on the desktop.
                v_required := CASE WHEN NOT v_severity ? v_e.risk_rule_id THEN 2
                                   WHEN v_severity ->> v_e.risk_rule_id IN ('high', 'critical') THEN 2
                                   ELSE 1 END;
                v_step := 1 + pg_catalog.jsonb_array_length(
                                  pg_catalog.jsonb_path_query_array(v_e.approval_chain_log,
                                                                    'strict $[*] ? (@.action == "approve")'));
                IF v_step < v_required THEN
                    v_final := false;
                    v_status := 'pending';
                    SELECT m.user_id INTO v_next FROM riskdesk.memberships m
                     WHERE m.tenant_id = p_tenant AND m.role = 'approver' AND m.user_id NOT IN (v_actor, v_e.applicant_id)
                       AND NOT EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(v_e.approval_chain_log) s
                                        WHERE s ->> 'approver_id' = m.user_id)
                     ORDER BY m.user_id LIMIT 1;
                ELSE
                    v_status := 'approved';
                END IF;
            END IF;
            v_e.status := v_status;
            IF v_d.action = 'reject' THEN
                v_e.rejection_reason := v_comment;
            END IF;
            v_e.current_approver_id := coalesce(v_next, '');
            IF v_final THEN
                v_e.last_status_at := v_now;
            END IF;
            v_e.version := v_e.version + 1;
            v_e.approval_chain_log := v_e.approval_chain_log
                                      || riskdesk.chain_step(v_actor, v_d.action, v_comment, v_now, v_step);
            v_rows[v_k] := v_e;
            IF v_is_dirty[v_k] IS NULL THEN -- one change per exception: a desktop pulls its latest state
                v_is_dirty[v_k] := true;
                v_dirty := pg_catalog.array_append(v_dirty, v_k);
                v_changes := pg_catalog.array_append(v_changes, v_d.record_id);
            END IF;
            v_seq := v_seq + 1;
            v_hash := riskdesk.log_hash(v_prev, p_tenant, v_seq, v_d.record_id, v_actor, v_d.action, v_comment,
                                        v_step, v_status, v_now);
            v_log := pg_catalog.array_append(v_log,
                                             ROW(p_tenant, v_seq, v_d.record_id, v_actor, v_d.action, v_comment, v_step,
                                                 v_status, v_now, v_prev, v_hash)::riskdesk.approval_log);
            v_prev := v_hash;
            v_out[v_i] := riskdesk.set_outcome('applied', CASE WHEN v_final THEN 'final' ELSE 'next_step' END, '',
                                               v_e, true);
        END IF;
    END LOOP;

    PERFORM riskdesk.write_decided(p_tenant, ARRAY(SELECT v_rows[j] FROM pg_catalog.unnest(v_dirty) j), v_log,
                                   v_changes);
    -- Each key with its answer. A row already there is one claimed and never answered (made before this
    -- migration); any other means the key was taken meanwhile by another request, and nothing is applied.
    WITH answered AS (
        INSERT INTO riskdesk.applied_requests AS r (tenant_id, caller_id, idempotency_key, outcome,
                                                    request_fingerprint)
        SELECT p_tenant, v_actor, u.k, u.o, u.f
          FROM ROWS FROM (pg_catalog.unnest(v_keys), pg_catalog.unnest(v_out), pg_catalog.unnest(v_claimed),
                          pg_catalog.unnest(v_fingerprints)) AS u(k, o, c, f)
         WHERE u.c ORDER BY u.k
        ON CONFLICT (tenant_id, caller_id, idempotency_key) DO UPDATE SET outcome = excluded.outcome
         WHERE r.outcome IS NULL
        RETURNING 1)
    SELECT pg_catalog.count(*) INTO v_written FROM answered;
    IF v_written <> (SELECT pg_catalog.count(*) FROM pg_catalog.unnest(v_claimed) c WHERE c) THEN
        RAISE EXCEPTION 'an idempotency key of this set was used meanwhile by another request; nothing was applied'
            USING ERRCODE = '40001';
    END IF;
    RETURN QUERY SELECT u.i::integer, u.o FROM pg_catalog.unnest(v_out) WITH ORDINALITY AS u(o, i) ORDER BY u.i;
END
$$;

-- One decision: a set of one, so that both go through the same rules.
CREATE OR REPLACE FUNCTION riskdesk.decide(p_tenant text, p_record text, p_action text, p_comment text,
                                           p_expected_version bigint, p_idempotency_key text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
BEGIN
    IF p_tenant IS NULL OR p_record IS NULL OR p_action IS NULL OR p_idempotency_key IS NULL THEN
        RAISE EXCEPTION 'decide needs a tenant, an exception, an action and an idempotency key; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    RETURN (SELECT s.outcome
              FROM riskdesk.decide_set(p_tenant, ARRAY[ROW(p_record, p_action, p_comment, p_expected_version,
                                                           p_idempotency_key)::riskdesk.decision]) s);
END
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA riskdesk FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.decide_set(text, riskdesk.decision[])
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
