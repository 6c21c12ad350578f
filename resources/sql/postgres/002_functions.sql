-- Writes go through these functions only. SECURITY DEFINER with a fixed search_path; the caller is
-- session_user (its login role), mapped to a user by memberships, so nobody can act as someone else.

CREATE FUNCTION riskdesk.iso_ms(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The desktop's canonical entry (ApprovalLogEntry::canonicalContent): compact JSON, keys sorted.
CREATE FUNCTION riskdesk.log_hash(p_prev text, p_tenant text, p_seq bigint, p_record text, p_actor text,
                                  p_action text, p_comment text, p_step integer, p_status text, p_at timestamptz)
    RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT encode(sha256(convert_to(p_prev || E'\n' ||
        '{"action":' || to_json(p_action)::text ||
        ',"actor_id":' || to_json(p_actor)::text ||
        ',"at":' || to_json(riskdesk.iso_ms(p_at))::text ||
        ',"comment":' || to_json(p_comment)::text ||
        ',"record_id":' || to_json(p_record)::text ||
        ',"seq":' || p_seq::text ||
        ',"status_after":' || to_json(p_status)::text ||
        ',"step":' || p_step::text ||
        ',"tenant_id":' || to_json(p_tenant)::text || '}', 'UTF8')), 'hex')
$$;

-- Appends to a tenant's chain; appends of one tenant are serialised by an advisory lock.
CREATE FUNCTION riskdesk.append_log(p_tenant text, p_record text, p_actor text, p_action text, p_comment text,
                                    p_step integer, p_status text, p_at timestamptz)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_seq bigint;
    v_prev text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('log:' || p_tenant, 0));
    SELECT seq, hash INTO v_seq, v_prev FROM approval_log WHERE tenant_id = p_tenant ORDER BY seq DESC LIMIT 1;
    v_seq := coalesce(v_seq, 0) + 1;
    v_prev := coalesce(v_prev, repeat('0', 64));
    INSERT INTO approval_log (tenant_id, seq, record_id, actor_id, action, comment, step, status_after, at, prev_hash, hash)
    VALUES (p_tenant, v_seq, p_record, p_actor, p_action, p_comment, p_step, p_status, p_at, v_prev,
            log_hash(v_prev, p_tenant, v_seq, p_record, p_actor, p_action, p_comment, p_step, p_status, p_at));
END
$$;

-- A change every desktop of the tenant will pull; the notification wakes them and carries no tenant data.
CREATE FUNCTION riskdesk.record_change(p_tenant text, p_record text) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    INSERT INTO changes (tenant_id, record_id) VALUES (p_tenant, p_record);
    SELECT pg_notify('riskdesk_changes', '');
$$;

CREATE FUNCTION riskdesk.chain_step(p_actor text, p_action text, p_comment text, p_at timestamptz, p_step integer)
    RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT jsonb_build_object('approver_id', p_actor, 'action', p_action,
                              'comment', nullif(p_comment, ''), 'timestamp', riskdesk.iso_ms(p_at))
           || CASE WHEN p_step > 0 THEN jsonb_build_object('step', p_step) ELSE '{}'::jsonb END
$$;

-- The answer to a request: applied, conflict (someone decided first) or refused (the rules say no), with
-- the exception as the server now has it and its latest step (who won, and how).
CREATE FUNCTION riskdesk.outcome(p_kind text, p_code text, p_message text, p_tenant text, p_record text)
    RETURNS jsonb LANGUAGE sql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT jsonb_build_object('outcome', p_kind, 'code', p_code, 'message', p_message,
                              'exception', (SELECT to_jsonb(e) FROM exceptions e
                                            WHERE e.tenant_id = p_tenant AND e.record_id = p_record),
                              'latest_step', (SELECT e.approval_chain_log -> -1 FROM exceptions e
                                              WHERE e.tenant_id = p_tenant AND e.record_id = p_record))
$$;

-- Who the caller is in the tenant (its login role's membership); anyone else is refused.
CREATE FUNCTION riskdesk.caller(p_tenant text, OUT o_user text, OUT o_role text)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
BEGIN
    SELECT m.user_id, m.role INTO o_user, o_role FROM memberships m
     WHERE m.login_role = session_user AND m.tenant_id = p_tenant;
    IF o_user IS NULL THEN
        RAISE EXCEPTION 'you are not a member of tenant "%"', p_tenant USING ERRCODE = '42501';
    END IF;
END
$$;

-- The answer a request with this key already got, or NULL. The lock makes a retry that races the original
-- wait for it instead of acting a second time.
CREATE FUNCTION riskdesk.earlier_outcome(p_tenant text, p_key text) RETURNS jsonb
    LANGUAGE plpgsql SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
BEGIN
    IF coalesce(p_key, '') = '' THEN
        RAISE EXCEPTION 'a request needs an idempotency key' USING ERRCODE = '22023';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('request:' || p_tenant || ':' || p_key, 0));
    RETURN (SELECT outcome || '{"replayed": true}' FROM applied_requests
             WHERE tenant_id = p_tenant AND idempotency_key = p_key);
END
$$;

CREATE FUNCTION riskdesk.decide(p_tenant text, p_record text, p_action text, p_comment text,
                                p_expected_version bigint, p_idempotency_key text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_role text;
    v_e exceptions%ROWTYPE;
    v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
    v_comment text := btrim(coalesce(p_comment, ''));
    v_out jsonb;
    v_step integer := 0;
    v_required integer;
    v_status text;
    v_next text := '';
    v_final boolean := true;
BEGIN
    SELECT o_user, o_role INTO v_actor, v_role FROM caller(p_tenant);
    IF p_action NOT IN ('approve', 'reject', 'withdraw') THEN
        RAISE EXCEPTION 'unknown action "%" (approve, reject or withdraw)', p_action USING ERRCODE = '22023';
    END IF;
    v_out := earlier_outcome(p_tenant, p_idempotency_key); -- a retried request gets what the first one got
    IF v_out IS NOT NULL THEN
        RETURN v_out;
    END IF;

    SELECT * INTO v_e FROM exceptions WHERE tenant_id = p_tenant AND record_id = p_record FOR UPDATE;
    IF NOT FOUND THEN
        v_out := outcome('refused', 'not_found', format('There is no exception %s.', p_record), p_tenant, p_record);
    ELSIF p_expected_version IS NOT NULL AND v_e.version <> p_expected_version THEN
        v_out := outcome('conflict', 'version_changed',
                         format('%s changed on the server (version %s, expected %s).', p_record, v_e.version,
                                p_expected_version), p_tenant, p_record);
    ELSIF v_e.status <> 'pending' THEN
        v_out := outcome('refused', 'not_pending', format('%s is already %s.', p_record, v_e.status), p_tenant, p_record);
    ELSIF v_now >= v_e.valid_end_time THEN
        -- Time decides first: the window ended, so the exception is rejected automatically.
        v_comment := format('The validity window ended on %s before a decision was made.', iso_ms(v_e.valid_end_time));
        UPDATE exceptions SET status = 'rejected', auto_rejected = true, rejection_reason = v_comment,
               current_approver_id = '', last_status_at = v_now, version = version + 1,
               approval_chain_log = approval_chain_log || chain_step('system', 'auto_reject', v_comment, v_now, 0)
         WHERE tenant_id = p_tenant AND record_id = p_record;
        PERFORM append_log(p_tenant, p_record, 'system', 'auto_reject', v_comment, 0, 'rejected', v_now);
        PERFORM record_change(p_tenant, p_record);
        v_out := outcome('refused', 'window_ended', format('The validity window of %s ended; it is rejected automatically.', p_record),
                         p_tenant, p_record);
    ELSIF p_action = 'withdraw' AND v_actor <> v_e.applicant_id THEN
        v_out := outcome('refused', 'not_applicant', format('Only the applicant (%s) can withdraw %s.', v_e.applicant_id, p_record),
                         p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND v_role <> 'approver' THEN
        v_out := outcome('refused', 'not_an_approver', format('%s is a %s; only approvers decide.', v_actor, v_role), p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND v_actor = v_e.applicant_id THEN
        v_out := outcome('refused', 'own_request', format('%s applied for %s; another approver must decide it.', v_actor, p_record),
                         p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND EXISTS (SELECT FROM jsonb_array_elements(v_e.approval_chain_log) s
                                             WHERE s ->> 'approver_id' = v_actor AND s ->> 'action' IN ('approve', 'reject')) THEN
        v_out := outcome('refused', 'already_acted', format('%s already acted on %s.', v_actor, p_record), p_tenant, p_record);
    ELSIF p_action <> 'withdraw' AND v_e.current_approver_id <> '' AND v_e.current_approver_id <> v_actor THEN
        v_out := outcome('refused', 'not_current_approver',
                         format('%s is assigned to %s.', p_record, v_e.current_approver_id), p_tenant, p_record);
    ELSIF p_action = 'reject' AND v_comment = '' THEN
        v_out := outcome('refused', 'reason_required', format('A rejection of %s needs a reason.', p_record), p_tenant, p_record);
    ELSE
        IF p_action = 'withdraw' THEN
            v_status := 'withdrawn';
        ELSIF p_action = 'reject' THEN
            v_status := 'rejected';
        ELSE
            SELECT CASE WHEN r.severity IN ('high', 'critical') THEN 2 ELSE 1 END INTO v_required
              FROM rules r WHERE r.tenant_id = p_tenant AND r.rule_id = v_e.risk_rule_id;
            v_required := coalesce(v_required, 1);
            v_step := 1 + (SELECT count(*) FROM jsonb_array_elements(v_e.approval_chain_log) s WHERE s ->> 'action' = 'approve');
            IF v_step < v_required THEN
                v_final := false;
                v_status := 'pending';
                SELECT m.user_id INTO v_next FROM memberships m
                 WHERE m.tenant_id = p_tenant AND m.role = 'approver' AND m.user_id NOT IN (v_actor, v_e.applicant_id)
                   AND NOT EXISTS (SELECT FROM jsonb_array_elements(v_e.approval_chain_log) s WHERE s ->> 'approver_id' = m.user_id)
                 ORDER BY m.user_id LIMIT 1;
            ELSE
                v_status := 'approved';
            END IF;
        END IF;
        UPDATE exceptions
           SET status = v_status,
               rejection_reason = CASE WHEN p_action = 'reject' THEN v_comment ELSE rejection_reason END,
               current_approver_id = coalesce(v_next, ''),
               last_status_at = CASE WHEN v_final THEN v_now ELSE last_status_at END,
               version = version + 1,
               approval_chain_log = approval_chain_log || chain_step(v_actor, p_action, v_comment, v_now, v_step)
         WHERE tenant_id = p_tenant AND record_id = p_record;
        PERFORM append_log(p_tenant, p_record, v_actor, p_action, v_comment, v_step, v_status, v_now);
        PERFORM record_change(p_tenant, p_record);
        v_out := outcome('applied', CASE WHEN v_final THEN 'final' ELSE 'next_step' END, '', p_tenant, p_record);
    END IF;
    INSERT INTO applied_requests (tenant_id, idempotency_key, outcome) VALUES (p_tenant, p_idempotency_key, v_out);
    RETURN v_out;
END
$$;

-- An applicant files an exception in one of its tenants; it starts pending, at version 1.
CREATE FUNCTION riskdesk.create_exception(p_tenant text, p_exception jsonb, p_idempotency_key text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_out jsonb;
    v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
    v_record text := p_exception ->> 'record_id';
BEGIN
    SELECT o_user INTO v_actor FROM caller(p_tenant);
    v_out := earlier_outcome(p_tenant, p_idempotency_key);
    IF v_out IS NOT NULL THEN
        RETURN v_out;
    END IF;
    INSERT INTO exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, target_id, risk_rule_id,
                            status, valid_start_time, valid_end_time, reason_category, justification,
                            attachment_url, amount, last_status_at)
    VALUES (p_tenant, v_record, v_actor, v_now, p_exception ->> 'target_type', p_exception ->> 'target_id',
            p_exception ->> 'risk_rule_id', 'pending', (p_exception ->> 'valid_start_time')::timestamptz,
            (p_exception ->> 'valid_end_time')::timestamptz, coalesce(p_exception ->> 'reason_category', ''),
            coalesce(p_exception ->> 'justification', ''), p_exception ->> 'attachment_url',
            (p_exception ->> 'amount')::numeric, v_now);
    PERFORM record_change(p_tenant, v_record);
    v_out := outcome('applied', 'created', '', p_tenant, v_record);
    INSERT INTO applied_requests (tenant_id, idempotency_key, outcome) VALUES (p_tenant, p_idempotency_key, v_out);
    RETURN v_out;
END
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA riskdesk FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.decide(text, text, text, text, bigint, text)
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
GRANT EXECUTE ON FUNCTION riskdesk.create_exception(text, jsonb, text) TO riskdesk_applicant, riskdesk_approver;
