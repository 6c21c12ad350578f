-- Hardening after an attack by logged-in app users (issue 10). 001 and 002 stay as deployed; this migration
-- moves every server forward:
--   * no temporary objects for app roles, nothing created in public, and every function's search_path ends
--     with pg_temp (named last, so a caller's temporary table, view or function is never found first) with
--     every name in the bodies schema-qualified as well;
--   * a tenant's chain is serialised on a row of riskdesk.chain_locks, which no app role may lock (locking a
--     row needs UPDATE), instead of an advisory lock any login could take first; idempotency claims wait on
--     the key's row, not on an advisory lock either;
--   * idempotency keys belong to the caller, not to the tenant;
--   * one Unicode-aware rule for blank text and for trimming (TextRules on the desktop);
--   * create_exception validates like the desktop; decide refuses NULLs; roles that never decide cause no
--     write; the end of a validity window is applied by the server (decide by an approver, sweep_expired);
--   * notifications go to one channel per tenant whose name only its members can read, and are skipped
--     (desktops poll every 30 s anyway) when the queue is filling up, so no write fails on a full queue;
--   * exception times are finite ISO-8601 with an offset, in 2000..2200, the window open now and at most
--     366 days long; amounts finite and at most 10^13; decision comments at most 2000 characters;
--   * an idempotency key reused for a different request is refused instead of answered with the old outcome.

-- Temporary objects are how a caller's own tables and views took the place of the schema's. The revoke needs
-- the database's owner (or a superuser): refuse to go on without it rather than leave the hole open.
DO $temp$
DECLARE
    r text;
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    FOREACH r IN ARRAY ARRAY['riskdesk_applicant', 'riskdesk_approver', 'riskdesk_auditor', 'riskdesk_finance'] LOOP
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM %I', current_database(), r);
        IF has_database_privilege(r, current_database(), 'TEMPORARY') THEN
            RAISE EXCEPTION 'app role % can still create temporary tables in database %: run the migration as '
                            'the database owner, or revoke TEMPORARY from PUBLIC and every app role by hand',
                            r, current_database() USING ERRCODE = '42501';
        END IF;
    END LOOP;
END
$temp$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- One row per tenant: appends to its chain lock it FOR UPDATE. App roles have no privilege on it at all.
CREATE TABLE riskdesk.chain_locks (
    tenant_id text PRIMARY KEY REFERENCES riskdesk.tenants
);
ALTER TABLE riskdesk.chain_locks ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.chain_locks FORCE ROW LEVEL SECURITY;
CREATE POLICY member_tenants ON riskdesk.chain_locks
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
REVOKE ALL ON riskdesk.chain_locks FROM PUBLIC;
INSERT INTO riskdesk.chain_locks (tenant_id) SELECT tenant_id FROM riskdesk.tenants;

-- Keys per caller. Rows made before this migration name their caller where the outcome says who it was.
ALTER TABLE riskdesk.applied_requests ADD COLUMN caller_id text NOT NULL DEFAULT '';
UPDATE riskdesk.applied_requests
   SET caller_id = coalesce(CASE WHEN outcome ->> 'code' = 'created' THEN outcome -> 'exception' ->> 'applicant_id'
                                 WHEN outcome ->> 'outcome' = 'applied' THEN outcome -> 'latest_step' ->> 'approver_id'
                            END, '');
ALTER TABLE riskdesk.applied_requests DROP CONSTRAINT applied_requests_pkey;
ALTER TABLE riskdesk.applied_requests ADD PRIMARY KEY (tenant_id, caller_id, idempotency_key);
ALTER TABLE riskdesk.applied_requests ALTER COLUMN caller_id DROP DEFAULT;
ALTER TABLE riskdesk.applied_requests ALTER COLUMN outcome DROP NOT NULL; -- NULL while the request is applied
-- What the key was first used for (a hash of the request): NULL for keys claimed before this migration.
ALTER TABLE riskdesk.applied_requests ADD COLUMN request_fingerprint text;

-- Infinite times broke every desktop's pull (their epoch does not fit a bigint). create_exception refuses
-- them and much more; this is the floor for anything written from now on (rows already there are not checked).
ALTER TABLE riskdesk.exceptions
    ADD CONSTRAINT exceptions_finite_times
        CHECK (isfinite(apply_time) AND isfinite(valid_start_time) AND isfinite(valid_end_time)
               AND isfinite(last_status_at)) NOT VALID;

-- A channel per tenant, named by a secret only its members can read (row-level security on tenants).
ALTER TABLE riskdesk.tenants
    ADD COLUMN notify_channel text NOT NULL
        DEFAULT 'riskdesk_' || replace(gen_random_uuid()::text, '-', '');
ALTER TABLE riskdesk.tenants ALTER COLUMN notify_channel SET STATISTICS 0;

-- The sweep's scan: what is still open, by when it ends.
CREATE INDEX exceptions_open_by_end ON riskdesk.exceptions (valid_end_time)
    WHERE status IN ('pending', 'approved');

-- Every function, the trigger's included, pins a search_path that ends with pg_temp.
CREATE OR REPLACE FUNCTION riskdesk.refuse_log_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RAISE EXCEPTION 'the approval log is append-only: % is refused', TG_OP USING ERRCODE = '42501';
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.iso_ms(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_catalog.to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE OR REPLACE FUNCTION riskdesk.log_hash(p_prev text, p_tenant text, p_seq bigint, p_record text, p_actor text,
                                             p_action text, p_comment text, p_step integer, p_status text,
                                             p_at timestamptz)
    RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_prev || E'\n' ||
        '{"action":' || pg_catalog.to_json(p_action)::text ||
        ',"actor_id":' || pg_catalog.to_json(p_actor)::text ||
        ',"at":' || pg_catalog.to_json(riskdesk.iso_ms(p_at))::text ||
        ',"comment":' || pg_catalog.to_json(p_comment)::text ||
        ',"record_id":' || pg_catalog.to_json(p_record)::text ||
        ',"seq":' || p_seq::text ||
        ',"status_after":' || pg_catalog.to_json(p_status)::text ||
        ',"step":' || p_step::text ||
        ',"tenant_id":' || pg_catalog.to_json(p_tenant)::text || '}', 'UTF8')), 'hex')
$$;

-- TextRules::trimmed: without Unicode White_Space at either end.
CREATE FUNCTION riskdesk.trim_space(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_catalog.regexp_replace(p,
        '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|'
        '[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$', '', 'g')
$$;

-- TextRules::isBlank: nothing but space, controls and characters that print nothing (NULL is blank too).
-- The characters TextRules::isBlankCharacter names (the same list; change both together, tst_server compares
-- the two code point by code point): Unicode White_Space, then controls, Default_Ignorable_Code_Point, the
-- format characters (Cf) and the fillers that print nothing.
CREATE FUNCTION riskdesk.blank_characters() RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT '\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000'
           '\u0001-\u001F\u007F-\u009F\u00AD\u034F\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2'
           '\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2800\u3164'
           '\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F'
           '\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E0FFF'::text
$$;

CREATE FUNCTION riskdesk.is_blank(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p IS NULL OR p !~ ('[^' || riskdesk.blank_characters() || ']')
$$;

-- Whether any character is blank (a space, a control, an invisible mark): never in an identifier.
CREATE FUNCTION riskdesk.has_blank_character(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p ~ ('[' || riskdesk.blank_characters() || ']')
$$;

-- A short label (reason_category, TextRules::isPlainLabel): 1 to 64 characters, not blank, and no blank
-- character other than the ordinary space between its words (no ESC, no bidi override, no tab).
CREATE FUNCTION riskdesk.is_plain_label(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p IS NOT NULL AND pg_catalog.length(p) BETWEEN 1 AND 64 AND NOT riskdesk.is_blank(p)
           AND NOT riskdesk.has_blank_character(pg_catalog.replace(p, ' ', ''))
$$;

-- A time as the desktop writes it (timestamps::toIso): ISO-8601 with an explicit offset, so that neither the
-- session's DateStyle nor its TimeZone decides what it means; finite and from 2000 to 2200. NULL otherwise.
CREATE FUNCTION riskdesk.iso_time(p text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v timestamptz;
BEGIN
    IF p IS NULL OR p !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$' THEN
        RETURN NULL;
    END IF;
    v := p::timestamptz;
    IF v < '2000-01-01T00:00:00Z' OR v >= '2200-01-01T00:00:00Z' THEN
        RETURN NULL;
    END IF;
    RETURN v;
EXCEPTION WHEN data_exception THEN
    RETURN NULL; -- 2026-02-30 and the like
END
$$;

-- Below this share of the notification queue a change wakes its tenant's desktops. Above it the wake-up is
-- skipped (a login that listens and never reads can fill the queue, and a full queue fails every NOTIFY at
-- commit): the write still commits and desktops find it on their next periodic pull. A function, not a
-- setting, so that no client can change it; tests replace it as the owner to reach the skipping branch.
CREATE FUNCTION riskdesk.notify_queue_ceiling() RETURNS double precision
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT 0.5::double precision
$$;

-- An identifier a person types or a system hands over (TextRules::isPlainId): 1 to 128 characters, none
-- of them blank.
CREATE FUNCTION riskdesk.is_plain_id(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p IS NOT NULL AND pg_catalog.length(p) BETWEEN 1 AND 128 AND NOT riskdesk.has_blank_character(p)
$$;

-- Appends to a tenant's chain, serialised on the tenant's chain_locks row (held to the commit).
CREATE OR REPLACE FUNCTION riskdesk.append_log(p_tenant text, p_record text, p_actor text, p_action text,
                                               p_comment text, p_step integer, p_status text, p_at timestamptz)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_seq bigint;
    v_prev text;
BEGIN
    INSERT INTO riskdesk.chain_locks (tenant_id) VALUES (p_tenant) ON CONFLICT (tenant_id) DO NOTHING;
    PERFORM 1 FROM riskdesk.chain_locks k WHERE k.tenant_id = p_tenant FOR UPDATE;
    SELECT l.seq, l.hash INTO v_seq, v_prev FROM riskdesk.approval_log l
     WHERE l.tenant_id = p_tenant ORDER BY l.seq DESC LIMIT 1;
    v_seq := coalesce(v_seq, 0) + 1;
    v_prev := coalesce(v_prev, pg_catalog.repeat('0', 64));
    INSERT INTO riskdesk.approval_log (tenant_id, seq, record_id, actor_id, action, comment, step, status_after, at,
                                       prev_hash, hash)
    VALUES (p_tenant, v_seq, p_record, p_actor, p_action, p_comment, p_step, p_status, p_at, v_prev,
            riskdesk.log_hash(v_prev, p_tenant, v_seq, p_record, p_actor, p_action, p_comment, p_step, p_status, p_at));
END
$$;

-- A change every desktop of the tenant will pull; the wake-up goes to the tenant's own channel, empty, unless
-- the queue is filling up (see notify_queue_ceiling).
CREATE OR REPLACE FUNCTION riskdesk.record_change(p_tenant text, p_record text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
BEGIN
    INSERT INTO riskdesk.changes (tenant_id, record_id) VALUES (p_tenant, p_record);
    IF pg_catalog.pg_notification_queue_usage() < riskdesk.notify_queue_ceiling() THEN
        PERFORM pg_catalog.pg_notify(t.notify_channel, '') FROM riskdesk.tenants t WHERE t.tenant_id = p_tenant;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.chain_step(p_actor text, p_action text, p_comment text, p_at timestamptz,
                                               p_step integer)
    RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_catalog.jsonb_build_object('approver_id', p_actor, 'action', p_action,
                                         'comment', nullif(p_comment, ''),
                                         'timestamp', riskdesk.iso_ms(p_at))
           || CASE WHEN p_step > 0 THEN pg_catalog.jsonb_build_object('step', p_step) ELSE '{}'::jsonb END
$$;

CREATE OR REPLACE FUNCTION riskdesk.outcome(p_kind text, p_code text, p_message text, p_tenant text, p_record text)
    RETURNS jsonb LANGUAGE sql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT pg_catalog.jsonb_build_object('outcome', p_kind, 'code', p_code, 'message', p_message,
                              'exception', (SELECT pg_catalog.to_jsonb(e) FROM riskdesk.exceptions e
                                            WHERE e.tenant_id = p_tenant AND e.record_id = p_record),
                              'latest_step', (SELECT e.approval_chain_log -> -1 FROM riskdesk.exceptions e
                                              WHERE e.tenant_id = p_tenant AND e.record_id = p_record))
$$;

CREATE OR REPLACE FUNCTION riskdesk.caller(p_tenant text, OUT o_user text, OUT o_role text)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
BEGIN
    SELECT m.user_id, m.role INTO o_user, o_role FROM riskdesk.memberships m
     WHERE m.login_role = session_user AND m.tenant_id = p_tenant;
    IF o_user IS NULL THEN
        RAISE EXCEPTION 'you are not a member of tenant "%"', pg_catalog.left(p_tenant, 64) USING ERRCODE = '42501';
    END IF;
END
$$;

-- Claims an idempotency key for this caller: NULL when the request is new (go ahead, and record the outcome),
-- else the outcome it already got. A key used before for a different request (another fingerprint) is
-- refused: answering it with the old outcome would tell the caller a request was applied that never was.
-- A retry racing the original waits on the key's row, not on a lock a client could take.
DROP FUNCTION riskdesk.earlier_outcome(text, text);
CREATE FUNCTION riskdesk.claim_request(p_tenant text, p_caller text, p_key text, p_fingerprint text) RETURNS jsonb
    LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_outcome jsonb;
    v_fingerprint text;
BEGIN
    IF riskdesk.is_blank(p_key) THEN
        RAISE EXCEPTION 'a request needs an idempotency key' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.length(p_key) > 200 THEN
        RAISE EXCEPTION 'an idempotency key has at most 200 characters' USING ERRCODE = '22023';
    END IF;
    INSERT INTO riskdesk.applied_requests (tenant_id, caller_id, idempotency_key, outcome, request_fingerprint)
    VALUES (p_tenant, p_caller, p_key, NULL, p_fingerprint) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    SELECT a.outcome, a.request_fingerprint INTO v_outcome, v_fingerprint FROM riskdesk.applied_requests a
     WHERE a.tenant_id = p_tenant AND a.caller_id = p_caller AND a.idempotency_key = p_key;
    IF v_fingerprint IS NOT NULL AND v_fingerprint IS DISTINCT FROM p_fingerprint THEN
        RAISE EXCEPTION 'idempotency key "%" was already used for a different request; use a new key for a new '
                        'request', pg_catalog.left(p_key, 64) USING ERRCODE = '22023';
    END IF;
    RETURN v_outcome || '{"replayed": true}';
END
$$;

CREATE FUNCTION riskdesk.finish_request(p_tenant text, p_caller text, p_key text, p_outcome jsonb) RETURNS jsonb
    LANGUAGE sql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    UPDATE riskdesk.applied_requests a SET outcome = p_outcome
     WHERE a.tenant_id = p_tenant AND a.caller_id = p_caller AND a.idempotency_key = p_key;
    SELECT p_outcome;
$$;

-- The end of a validity window, applied to a locked row: a pending exception is rejected automatically, an
-- approved waiver expires. The server's fact: desktops show it too but never push it.
CREATE FUNCTION riskdesk.end_window(p_tenant text, p_record text, p_now timestamptz) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_e riskdesk.exceptions%ROWTYPE;
    v_comment text;
    v_action text;
    v_status text;
BEGIN
    SELECT * INTO v_e FROM riskdesk.exceptions e WHERE e.tenant_id = p_tenant AND e.record_id = p_record;
    IF NOT FOUND OR p_now < v_e.valid_end_time OR v_e.status NOT IN ('pending', 'approved') THEN
        RETURN false;
    END IF;
    IF v_e.status = 'pending' THEN
        v_action := 'auto_reject';
        v_status := 'rejected';
        v_comment := pg_catalog.format('The validity window ended on %s before a decision was made.',
                                       riskdesk.iso_ms(v_e.valid_end_time));
    ELSE
        v_action := 'expire';
        v_status := 'expired';
        v_comment := pg_catalog.format('The waiver''s validity window ended on %s.', riskdesk.iso_ms(v_e.valid_end_time));
    END IF;
    UPDATE riskdesk.exceptions e
       SET status = v_status, auto_rejected = (v_action = 'auto_reject'),
           rejection_reason = CASE WHEN v_action = 'auto_reject' THEN v_comment ELSE e.rejection_reason END,
           current_approver_id = '', last_status_at = p_now, version = e.version + 1,
           approval_chain_log = e.approval_chain_log || riskdesk.chain_step('system', v_action, v_comment, p_now, 0)
     WHERE e.tenant_id = p_tenant AND e.record_id = p_record;
    PERFORM riskdesk.append_log(p_tenant, p_record, 'system', v_action, v_comment, 0, v_status, p_now);
    PERFORM riskdesk.record_change(p_tenant, p_record);
    RETURN true;
END
$$;

-- Applies ended windows in the tenants where the caller is an approver (every tenant for an administrator),
-- at most p_limit of them; returns how many. Sync calls it; an auditor's call changes nothing. Rows another
-- transaction holds are left for the next sweep (SKIP LOCKED), so a sweep never waits on a decision.
CREATE FUNCTION riskdesk.sweep_expired(p_limit integer DEFAULT 1000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_now timestamptz := pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp());
    v_count integer := 0;
    r record;
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 10000 THEN
        RAISE EXCEPTION 'sweep_expired takes a limit from 1 to 10000' USING ERRCODE = '22023';
    END IF;
    FOR r IN SELECT e.tenant_id, e.record_id FROM riskdesk.exceptions e
              WHERE e.status IN ('pending', 'approved') AND e.valid_end_time <= v_now
                AND (pg_catalog.pg_has_role(session_user, 'riskdesk_admin', 'MEMBER')
                     OR e.tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m
                                         WHERE m.login_role = session_user AND m.role = 'approver'))
              ORDER BY e.valid_end_time LIMIT p_limit FOR UPDATE OF e SKIP LOCKED LOOP
        IF riskdesk.end_window(r.tenant_id, r.record_id, v_now) THEN
            v_count := v_count + 1;
        END IF;
    END LOOP;
    RETURN v_count;
END
$$;

CREATE OR REPLACE FUNCTION riskdesk.decide(p_tenant text, p_record text, p_action text, p_comment text,
                                           p_expected_version bigint, p_idempotency_key text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_role text;
    v_e riskdesk.exceptions%ROWTYPE;
    v_now timestamptz := pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp());
    v_comment text;
    v_out jsonb;
    v_step integer := 0;
    v_required integer;
    v_status text;
    v_next text := '';
    v_final boolean := true;
BEGIN
    IF p_tenant IS NULL OR p_record IS NULL OR p_action IS NULL OR p_idempotency_key IS NULL THEN
        RAISE EXCEPTION 'decide needs a tenant, an exception, an action and an idempotency key; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    IF p_action NOT IN ('approve', 'reject', 'withdraw') THEN
        RAISE EXCEPTION 'unknown action "%" (approve, reject or withdraw)', pg_catalog.left(p_action, 64)
            USING ERRCODE = '22023';
    END IF;
    -- Auditors and finance staff never decide: answered at once, and nothing is written.
    IF v_role NOT IN ('approver', 'applicant') THEN
        RETURN riskdesk.outcome('refused', 'not_an_approver',
                                pg_catalog.format('%s is %s here; only approvers approve or reject.', v_actor, v_role), p_tenant, p_record);
    END IF;
    -- The desktop's limit (TextRules::kMaxCommentCharacters), counted before trimming: a desktop sends its
    -- comments trimmed, and 20 MB of text is refused without being scanned.
    IF pg_catalog.length(p_comment) > 2000 THEN
        RETURN riskdesk.outcome('refused', 'comment_too_long',
                                pg_catalog.format('The comment on %s has %s characters; at most 2000 are allowed.',
                                                  pg_catalog.left(p_record, 64), pg_catalog.length(p_comment)),
                                p_tenant, p_record);
    END IF;
    v_comment := riskdesk.trim_space(coalesce(p_comment, ''));
    v_out := riskdesk.claim_request(p_tenant, v_actor, p_idempotency_key, -- a retry gets what the first one got
                                    pg_catalog.md5(pg_catalog.jsonb_build_array('decide', p_record, p_action,
                                                   p_comment, p_expected_version)::text));
    IF v_out IS NOT NULL THEN
        RETURN v_out;
    END IF;

    SELECT * INTO v_e FROM riskdesk.exceptions e WHERE e.tenant_id = p_tenant AND e.record_id = p_record FOR UPDATE;
    IF NOT FOUND THEN
        v_out := riskdesk.outcome('refused', 'not_found', pg_catalog.format('There is no exception %s.',
                                  pg_catalog.left(p_record, 64)), p_tenant, p_record);
    ELSIF p_expected_version IS NOT NULL AND v_e.version <> p_expected_version THEN
        v_out := riskdesk.outcome('conflict', 'version_changed',
                                  pg_catalog.format('%s changed on the server (version %s, expected %s).', p_record,
                                                    v_e.version, p_expected_version), p_tenant, p_record);
    ELSIF v_e.status <> 'pending' THEN
        v_out := riskdesk.outcome('refused', 'not_pending', pg_catalog.format('%s is already %s.', p_record, v_e.status),
                                  p_tenant, p_record);
    ELSIF v_now >= v_e.valid_end_time THEN
        -- Time decides first. Only an approver's call applies the automatic rejection (the sweep does it too).
        IF v_role = 'approver' THEN
            PERFORM riskdesk.end_window(p_tenant, p_record, v_now);
        END IF;
        v_out := riskdesk.outcome('refused', 'window_ended',
                                  pg_catalog.format('The validity window of %s ended; it is rejected automatically.',
                                                    p_record), p_tenant, p_record);
    ELSIF p_action = 'withdraw' AND v_actor <> v_e.applicant_id THEN
        v_out := riskdesk.outcome('refused', 'not_applicant',
                                  pg_catalog.format('Only the applicant (%s) can withdraw %s.', v_e.applicant_id, p_record),
                                  p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND v_role <> 'approver' THEN
        v_out := riskdesk.outcome('refused', 'not_an_approver',
                                  pg_catalog.format('%s is %s here; only approvers approve or reject.', v_actor, v_role), p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND v_actor = v_e.applicant_id THEN
        v_out := riskdesk.outcome('refused', 'own_request',
                                  pg_catalog.format('%s applied for %s; another approver must decide it.', v_actor, p_record),
                                  p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(v_e.approval_chain_log) s
                                             WHERE s ->> 'approver_id' = v_actor AND s ->> 'action' IN ('approve', 'reject')) THEN
        v_out := riskdesk.outcome('refused', 'already_acted', pg_catalog.format('%s already acted on %s.', v_actor, p_record),
                                  p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND v_e.current_approver_id <> '' AND v_e.current_approver_id <> v_actor THEN
        v_out := riskdesk.outcome('refused', 'not_current_approver',
                                  pg_catalog.format('%s is assigned to %s.', p_record, v_e.current_approver_id), p_tenant, p_record);
    ELSIF p_action = 'reject' AND riskdesk.is_blank(v_comment) THEN
        v_out := riskdesk.outcome('refused', 'reason_required', pg_catalog.format('A rejection of %s needs a reason.', p_record),
                                  p_tenant, p_record);
    ELSE
        IF p_action = 'withdraw' THEN
            v_status := 'withdrawn';
        ELSIF p_action = 'reject' THEN
            v_status := 'rejected';
        ELSE
            SELECT CASE WHEN r.severity IN ('high', 'critical') THEN 2 ELSE 1 END INTO v_required
              FROM riskdesk.rules r WHERE r.tenant_id = p_tenant AND r.rule_id = v_e.risk_rule_id;
            v_required := coalesce(v_required, 2); -- a rule that is gone: the stricter path, as on the desktop
            v_step := 1 + (SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_array_elements(v_e.approval_chain_log) s
                            WHERE s ->> 'action' = 'approve');
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
        UPDATE riskdesk.exceptions e
           SET status = v_status,
               rejection_reason = CASE WHEN p_action = 'reject' THEN v_comment ELSE e.rejection_reason END,
               current_approver_id = coalesce(v_next, ''),
               last_status_at = CASE WHEN v_final THEN v_now ELSE e.last_status_at END,
               version = e.version + 1,
               approval_chain_log = e.approval_chain_log || riskdesk.chain_step(v_actor, p_action, v_comment, v_now, v_step)
         WHERE e.tenant_id = p_tenant AND e.record_id = p_record;
        PERFORM riskdesk.append_log(p_tenant, p_record, v_actor, p_action, v_comment, v_step, v_status, v_now);
        PERFORM riskdesk.record_change(p_tenant, p_record);
        v_out := riskdesk.outcome('applied', CASE WHEN v_final THEN 'final' ELSE 'next_step' END, '', p_tenant, p_record);
    END IF;
    RETURN riskdesk.finish_request(p_tenant, v_actor, p_idempotency_key, v_out);
END
$$;

-- An applicant (or approver) files an exception in one of its tenants, checked as the desktop's
-- ExceptionValidator checks it; it starts pending, at version 1.
CREATE OR REPLACE FUNCTION riskdesk.create_exception(p_tenant text, p_exception jsonb, p_idempotency_key text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_role text;
    v_out jsonb;
    v_now timestamptz := pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp());
    v_record text := p_exception ->> 'record_id';
    v_target_type text := p_exception ->> 'target_type';
    v_target text := p_exception ->> 'target_id';
    v_rule text := p_exception ->> 'risk_rule_id';
    v_category text := riskdesk.trim_space(pg_catalog.left(coalesce(p_exception ->> 'reason_category', ''), 1000));
    v_justification text := coalesce(p_exception ->> 'justification', '');
    v_url text := nullif(p_exception ->> 'attachment_url', '');
    v_start timestamptz;
    v_end timestamptz;
    v_amount numeric;
BEGIN
    IF p_tenant IS NULL OR p_exception IS NULL OR p_idempotency_key IS NULL THEN
        RAISE EXCEPTION 'create_exception needs a tenant, an exception and an idempotency key; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    IF v_role NOT IN ('applicant', 'approver') THEN
        RAISE EXCEPTION '% is a %; only applicants and approvers file exceptions', v_actor, v_role USING ERRCODE = '42501';
    END IF;
    IF pg_catalog.jsonb_typeof(p_exception) <> 'object' THEN
        RAISE EXCEPTION 'the exception must be a JSON object' USING ERRCODE = '22023';
    END IF;
    IF v_record IS NULL OR v_record !~ '^exc-[0-9a-f]{12}$' THEN
        RAISE EXCEPTION 'record_id "%" is malformed: expected exc- followed by 12 lower-case hex digits',
            pg_catalog.left(coalesce(v_record, ''), 64) USING ERRCODE = '22023';
    END IF;
    IF v_target_type IS NULL OR v_target_type NOT IN ('claim', 'claim_item', 'transaction', 'merchant', 'user') THEN
        RAISE EXCEPTION 'target_type "%" is not one of claim, claim_item, transaction, merchant, user',
            pg_catalog.left(coalesce(v_target_type, ''), 64) USING ERRCODE = '22023';
    END IF;
    IF NOT riskdesk.is_plain_id(v_target) THEN
        RAISE EXCEPTION 'target_id must have 1 to 128 characters, none of them spaces, controls or invisible marks'
            USING ERRCODE = '22023';
    END IF;
    IF v_rule IS NULL OR NOT EXISTS (SELECT FROM riskdesk.rules r WHERE r.tenant_id = p_tenant AND r.rule_id = v_rule) THEN
        RAISE EXCEPTION 'risk_rule_id "%" is not a rule of tenant "%"', pg_catalog.left(coalesce(v_rule, ''), 64),
            p_tenant USING ERRCODE = '22023';
    END IF;
    IF NOT riskdesk.is_plain_label(v_category) THEN
        RAISE EXCEPTION 'reason_category must not be blank, has at most 64 characters and no control, tab or '
                        'invisible character' USING ERRCODE = '22023';
    END IF;
    IF riskdesk.is_blank(v_justification) OR pg_catalog.length(v_justification) > 10000 THEN
        RAISE EXCEPTION 'justification must not be blank and has at most 10000 characters' USING ERRCODE = '22023';
    END IF;
    IF v_url IS NOT NULL AND (pg_catalog.length(v_url) > 2048 OR v_url !~ '^https?://[^/?#@]+'
                              OR riskdesk.has_blank_character(v_url)) THEN
        RAISE EXCEPTION 'attachment_url is not an http(s) address of at most 2048 characters' USING ERRCODE = '22023';
    END IF;
    -- Times as ExceptionValidator takes them: ISO-8601 with an offset (never DateStyle's reading of
    -- "03/04/2026"), finite, from 2000 to 2200; the window at most 366 days long and not over already.
    v_start := riskdesk.iso_time(p_exception ->> 'valid_start_time');
    IF v_start IS NULL THEN
        RAISE EXCEPTION 'valid_start_time "%" is not an ISO-8601 time with an offset (2026-03-04T09:00:00Z) from '
                        '2000 to 2200', pg_catalog.left(coalesce(p_exception ->> 'valid_start_time', ''), 64)
            USING ERRCODE = '22023';
    END IF;
    v_end := riskdesk.iso_time(p_exception ->> 'valid_end_time');
    IF v_end IS NULL THEN
        RAISE EXCEPTION 'valid_end_time "%" is not an ISO-8601 time with an offset (2026-03-04T09:00:00Z) from '
                        '2000 to 2200', pg_catalog.left(coalesce(p_exception ->> 'valid_end_time', ''), 64)
            USING ERRCODE = '22023';
    END IF;
    IF v_end <= v_start THEN
        RAISE EXCEPTION 'valid_end_time must be after valid_start_time' USING ERRCODE = '22023';
    END IF;
    IF v_end - v_start > interval '366 days' THEN
        RAISE EXCEPTION 'valid_end_time is more than 366 days after valid_start_time' USING ERRCODE = '22023';
    END IF;
    IF v_end <= v_now THEN
        RAISE EXCEPTION 'valid_end_time % has passed: a window must still be open when it is filed',
            riskdesk.iso_ms(v_end) USING ERRCODE = '22023';
    END IF;
    -- Money::kMaxAmount: finite, from 0 to 10^13 (numeric also reads 'NaN').
    IF p_exception ? 'amount' AND pg_catalog.jsonb_typeof(p_exception -> 'amount') <> 'null' THEN
        BEGIN
            v_amount := (p_exception ->> 'amount')::numeric;
        EXCEPTION WHEN data_exception THEN
            RAISE EXCEPTION 'amount "%" is not a number', pg_catalog.left(p_exception ->> 'amount', 64)
                USING ERRCODE = '22023';
        END;
        IF v_amount = 'NaN'::numeric OR v_amount < 0 OR v_amount > 10000000000000 THEN
            RAISE EXCEPTION 'amount % is not a number from 0 to 10000000000000', pg_catalog.left(v_amount::text, 64)
                USING ERRCODE = '22023';
        END IF;
        v_amount := pg_catalog.round(v_amount, 2);
    END IF;

    v_out := riskdesk.claim_request(p_tenant, v_actor, p_idempotency_key,
                                    pg_catalog.md5(pg_catalog.jsonb_build_array('create_exception', p_exception)::text));
    IF v_out IS NOT NULL THEN
        RETURN v_out;
    END IF;
    IF EXISTS (SELECT FROM riskdesk.exceptions e WHERE e.tenant_id = p_tenant AND e.record_id = v_record) THEN
        RAISE EXCEPTION 'exception % already exists', v_record USING ERRCODE = '23505';
    END IF;
    INSERT INTO riskdesk.exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, target_id,
                                     risk_rule_id, status, valid_start_time, valid_end_time, reason_category,
                                     justification, attachment_url, amount, last_status_at)
    VALUES (p_tenant, v_record, v_actor, v_now, v_target_type, v_target, v_rule, 'pending', v_start, v_end, v_category,
            v_justification, v_url, v_amount, v_now);
    PERFORM riskdesk.record_change(p_tenant, v_record);
    v_out := riskdesk.outcome('applied', 'created', '', p_tenant, v_record);
    RETURN riskdesk.finish_request(p_tenant, v_actor, p_idempotency_key, v_out);
END
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA riskdesk FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.decide(text, text, text, text, bigint, text)
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
GRANT EXECUTE ON FUNCTION riskdesk.create_exception(text, jsonb, text) TO riskdesk_applicant, riskdesk_approver;
GRANT EXECUTE ON FUNCTION riskdesk.sweep_expired(integer)
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- Limits for the app logins made before this migration (ServerAdmin::addUser sets them on new ones). Settings
-- of a group role do not reach its members: each login gets its own.
DO $limits$
DECLARE
    l name;
BEGIN
    FOR l IN SELECT DISTINCT r.rolname FROM pg_catalog.pg_auth_members a
               JOIN pg_catalog.pg_roles g ON g.oid = a.roleid
               JOIN pg_catalog.pg_roles r ON r.oid = a.member
              WHERE g.rolname IN ('riskdesk_applicant', 'riskdesk_approver', 'riskdesk_auditor', 'riskdesk_finance')
                AND r.rolcanlogin AND NOT r.rolsuper LOOP
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 16', l);
        EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', l, '60s');
        EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', l, '10s');
        EXECUTE format('ALTER ROLE %I SET idle_session_timeout = %L', l, '15min');
    END LOOP;
END
$limits$;

-- What a superuser may close and a database owner may not: the statistics views that count every tenant's
-- rows. Run as a superuser, the migration revokes them from PUBLIC and leaves them to administrators.
DO $stats$
DECLARE
    v text;
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE NOTICE 'not a superuser: the statistics views stay readable by every login (see README, Security)';
        RETURN;
    END IF;
    FOREACH v IN ARRAY ARRAY['pg_stat_all_tables', 'pg_stat_user_tables', 'pg_stat_xact_all_tables',
                             'pg_stat_xact_user_tables', 'pg_statio_all_tables', 'pg_statio_user_tables',
                             'pg_stat_all_indexes', 'pg_stat_user_indexes', 'pg_statio_all_indexes',
                             'pg_statio_user_indexes', 'pg_stat_user_functions', 'pg_stat_xact_user_functions'] LOOP
        EXECUTE format('REVOKE SELECT ON pg_catalog.%I FROM PUBLIC', v);
        EXECUTE format('GRANT SELECT ON pg_catalog.%I TO riskdesk_admin', v);
    END LOOP;
END
$stats$;
