-- 013. Escalation past the SLA, judged by the server too (issue 13). Until now only the desktop decided whether a
-- pending exception was overdue, from the SLA policy in its own workspace; a psql user (or a desktop with a
-- doctored policy) could escalate anything. The policy now lives on the server as well, read by the tenant's
-- members under row-level security and written only by the migration role (`riskdesk db seed` copies a
-- workspace's), and change_assignment refuses an escalation within the SLA by the server's clock. Desktops pull
-- the server's policy, so both sides judge with the same numbers; a push happens after the desktop's judgement,
-- so a delayed push only makes an overdue exception more overdue.

CREATE TABLE riskdesk.sla_policy (
    tenant_id   text NOT NULL REFERENCES riskdesk.tenants,
    severity    text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    sla_minutes bigint NOT NULL CHECK (sla_minutes BETWEEN 1 AND 5256000), -- a minute to ten years
    PRIMARY KEY (tenant_id, severity)
);
ALTER TABLE riskdesk.sla_policy ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.sla_policy FORCE ROW LEVEL SECURITY;
CREATE POLICY member_tenants ON riskdesk.sla_policy
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
REVOKE ALL ON riskdesk.sla_policy FROM PUBLIC;
GRANT SELECT ON riskdesk.sla_policy TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- The SLA target of an exception under a rule: the tenant's policy for the rule's severity, else the design's
-- defaults (4 h critical, 8 h high, 24 h medium, 3 d low); a rule the server does not know counts as medium, as
-- on the desktop. Called by change_assignment as its owner; nobody else may call it.
CREATE FUNCTION riskdesk.sla_minutes(p_tenant text, p_rule text)
    RETURNS bigint LANGUAGE sql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT coalesce((SELECT p.sla_minutes FROM riskdesk.sla_policy p
                      WHERE p.tenant_id = p_tenant AND p.severity = s.severity),
                    CASE s.severity WHEN 'critical' THEN 240 WHEN 'high' THEN 480 WHEN 'low' THEN 4320 ELSE 1440 END)
      FROM (SELECT coalesce((SELECT r.severity FROM riskdesk.rules r
                              WHERE r.tenant_id = p_tenant AND r.rule_id = p_rule), 'medium') AS severity) s
$$;

-- Past the SLA means waited strictly longer than the target, to the millisecond, as on the desktop and in
-- BOARD-4: an exception exactly at its target is still within it.
CREATE FUNCTION riskdesk.is_past_sla(p_tenant text, p_rule text, p_applied timestamptz, p_now timestamptz)
    RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT pg_catalog.date_part('epoch', p_now - p_applied) * 1000
           > riskdesk.sla_minutes(p_tenant, p_rule)::double precision * 60000
$$;

-- change_assignment as in 007, with the SLA checked for an escalation (code within_sla).
CREATE OR REPLACE FUNCTION riskdesk.change_assignment(p_tenant text, p_record text, p_action text, p_assignee text,
                                           p_expected_version bigint, p_event_id text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_role text;
    v_event uuid;
    v_e riskdesk.exceptions%ROWTYPE;
    v_a riskdesk.assignments%ROWTYPE;
    v_to text;
    v_escalated boolean;
    v_now timestamptz := pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp());
    v_out jsonb;
    v_assignee_role text;
BEGIN
    IF p_tenant IS NULL OR p_record IS NULL OR p_action IS NULL OR p_expected_version IS NULL
       OR p_event_id IS NULL THEN
        RAISE EXCEPTION 'change_assignment needs a tenant, an exception, an action, the expected version and an '
                        'event id; one of them is NULL' USING ERRCODE = '22004';
    END IF;
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    IF p_action NOT IN ('assign', 'claim', 'release', 'escalate') THEN
        RAISE EXCEPTION 'unknown assignment action "%" (assign, claim, release or escalate)',
            pg_catalog.left(p_action, 64) USING ERRCODE = '22023';
    END IF;
    IF v_role <> 'approver' THEN -- answered at once; nothing is written
        RAISE EXCEPTION '% is a %; only approvers assign exceptions', v_actor, v_role USING ERRCODE = '42501';
    END IF;
    IF p_event_id !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
        RAISE EXCEPTION 'the event id must be a UUID, not "%"', pg_catalog.left(p_event_id, 64)
            USING ERRCODE = '22023';
    END IF;
    v_event := p_event_id::uuid;
    IF p_expected_version < 0 THEN
        RAISE EXCEPTION 'the expected version must be 0 or more, not %', p_expected_version USING ERRCODE = '22023';
    END IF;
    IF p_action IN ('assign', 'escalate') AND NOT riskdesk.is_plain_id(p_assignee) THEN
        RAISE EXCEPTION '% needs the user id of the assignee (1 to 128 characters, no spaces)', p_action
            USING ERRCODE = '22023';
    END IF;
    IF p_action IN ('claim', 'release') AND p_assignee IS NOT NULL AND p_assignee <> '' THEN
        RAISE EXCEPTION '% takes no assignee', p_action USING ERRCODE = '22023';
    END IF;
    IF NOT riskdesk.is_plain_id(p_record) THEN
        RAISE EXCEPTION 'an exception id has 1 to 128 characters and no spaces' USING ERRCODE = '22023';
    END IF;

    v_out := riskdesk.claim_request(p_tenant, v_actor, 'assignment:' || p_event_id,
                                    pg_catalog.md5(pg_catalog.concat_ws(E'\x1f', p_record, p_action, p_assignee,
                                                                        p_expected_version::text)));
    IF v_out IS NOT NULL THEN
        RETURN v_out;
    END IF;

    SELECT * INTO v_e FROM riskdesk.exceptions e WHERE e.tenant_id = p_tenant AND e.record_id = p_record FOR SHARE;
    IF NOT FOUND THEN
        RETURN riskdesk.finish_request(p_tenant, v_actor, 'assignment:' || p_event_id,
            riskdesk.assignment_outcome('refused', 'not_found', pg_catalog.format('There is no exception %s.', p_record),
                                        p_tenant, p_record));
    END IF;
    INSERT INTO riskdesk.assignments (tenant_id, record_id, changed_by, changed_at)
    VALUES (p_tenant, p_record, v_actor, v_now) ON CONFLICT (tenant_id, record_id) DO NOTHING;
    SELECT * INTO v_a FROM riskdesk.assignments a WHERE a.tenant_id = p_tenant AND a.record_id = p_record FOR UPDATE;

    v_to := CASE p_action WHEN 'claim' THEN v_actor WHEN 'release' THEN '' ELSE p_assignee END;
    v_escalated := p_action = 'escalate' OR (p_action <> 'release' AND v_a.escalated AND v_to = v_a.assignee_id);
    SELECT m.role INTO v_assignee_role FROM riskdesk.memberships m WHERE m.tenant_id = p_tenant AND m.user_id = v_to;

    IF v_a.version <> p_expected_version THEN
        v_out := riskdesk.assignment_outcome('conflict', 'version_changed',
            pg_catalog.format('The assignment of %s changed on the server (version %s, expected %s).', p_record,
                              v_a.version, p_expected_version), p_tenant, p_record);
    ELSIF v_e.status <> 'pending' THEN
        v_out := riskdesk.assignment_outcome('refused', 'not_pending',
            pg_catalog.format('%s is already %s; only pending exceptions are assigned.', p_record, v_e.status),
            p_tenant, p_record);
    ELSIF p_action = 'release' AND v_a.assignee_id = '' THEN
        v_out := riskdesk.assignment_outcome('refused', 'not_assigned',
            pg_catalog.format('%s is not assigned to anyone.', p_record), p_tenant, p_record);
    ELSIF p_action = 'release' AND v_a.assignee_id <> v_actor
          AND NOT EXISTS (SELECT FROM riskdesk.approval_leads l WHERE l.tenant_id = p_tenant AND l.user_id = v_actor) THEN
        v_out := riskdesk.assignment_outcome('refused', 'not_yours',
            pg_catalog.format('%s is assigned to %s; only they or a lead can release it.', p_record, v_a.assignee_id),
            p_tenant, p_record);
    ELSIF p_action <> 'release' AND v_assignee_role IS DISTINCT FROM 'approver' THEN
        v_out := riskdesk.assignment_outcome('refused', 'not_an_approver',
            pg_catalog.format('%s is not an approver of this tenant.', pg_catalog.left(v_to, 128)), p_tenant, p_record);
    ELSIF p_action = 'escalate'
          AND NOT EXISTS (SELECT FROM riskdesk.approval_leads l WHERE l.tenant_id = p_tenant AND l.user_id = v_to) THEN
        v_out := riskdesk.assignment_outcome('refused', 'not_a_lead',
            pg_catalog.format('%s is not a lead of this tenant.', v_to), p_tenant, p_record);
    ELSIF p_action = 'escalate' AND NOT riskdesk.is_past_sla(p_tenant, v_e.risk_rule_id, v_e.apply_time, v_now) THEN
        v_out := riskdesk.assignment_outcome('refused', 'within_sla',
            pg_catalog.format('%s is still within its SLA of %s minutes; only overdue exceptions are escalated.',
                              p_record, riskdesk.sla_minutes(p_tenant, v_e.risk_rule_id)), p_tenant, p_record);
    ELSIF p_action <> 'release' AND v_to = v_e.applicant_id THEN
        v_out := riskdesk.assignment_outcome('refused', 'own_request',
            pg_catalog.format('%s applied for %s; another approver must decide it.', v_to, p_record), p_tenant, p_record);
    ELSIF p_action <> 'release' AND EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(v_e.approval_chain_log) s
                                            WHERE s ->> 'approver_id' = v_to AND s ->> 'action' IN ('approve', 'reject')) THEN
        v_out := riskdesk.assignment_outcome('refused', 'already_acted',
            pg_catalog.format('%s already acted on %s; the next step needs another approver.', v_to, p_record),
            p_tenant, p_record);
    ELSIF p_action <> 'release' AND v_e.current_approver_id <> '' AND v_e.current_approver_id <> v_to THEN
        v_out := riskdesk.assignment_outcome('refused', 'not_current_approver',
            pg_catalog.format('Only the current approver (%s) can decide %s.', v_e.current_approver_id, p_record),
            p_tenant, p_record);
    ELSIF v_to = v_a.assignee_id AND v_escalated = v_a.escalated THEN
        v_out := riskdesk.assignment_outcome('refused', 'unchanged',
            pg_catalog.format('%s is already assigned that way.', p_record), p_tenant, p_record);
    ELSE
        UPDATE riskdesk.assignments a SET assignee_id = v_to, escalated = v_escalated, version = a.version + 1,
               changed_by = v_actor, changed_at = v_now
         WHERE a.tenant_id = p_tenant AND a.record_id = p_record;
        INSERT INTO riskdesk.assignment_log (tenant_id, event_id, record_id, actor_id, action, from_id, to_id,
                                             escalated, version, at)
        VALUES (p_tenant, v_event, p_record, v_actor, p_action, v_a.assignee_id, v_to, v_escalated,
                v_a.version + 1, v_now);
        IF pg_catalog.pg_notification_queue_usage() < riskdesk.notify_queue_ceiling() THEN
            PERFORM pg_catalog.pg_notify(t.notify_channel, '') FROM riskdesk.tenants t WHERE t.tenant_id = p_tenant;
        END IF;
        v_out := riskdesk.assignment_outcome('applied', p_action, '', p_tenant, p_record);
    END IF;
    RETURN riskdesk.finish_request(p_tenant, v_actor, 'assignment:' || p_event_id, v_out);
END
$$;

REVOKE ALL ON FUNCTION riskdesk.sla_minutes(text, text), riskdesk.is_past_sla(text, text, timestamptz, timestamptz)
    FROM PUBLIC;
