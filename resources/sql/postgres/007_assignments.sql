-- Assignment and escalation of pending exceptions (issue 13). Tables of their own, so an assignment never
-- changes an exception's row, its version or the approval log's hash chain. Written only through
-- change_assignment (SECURITY DEFINER); read by the tenant's members under the same row-level security.

-- Leads: the approvers an overdue exception can be escalated to. The design names no such role, so a lead is
-- an approver listed here, by the migration role or an administrator.
CREATE TABLE riskdesk.approval_leads (
    tenant_id text NOT NULL REFERENCES riskdesk.tenants,
    user_id   text NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- Who works on an exception now ('' once released; the row stays, its version orders the changes).
CREATE TABLE riskdesk.assignments (
    tenant_id   text NOT NULL,
    record_id   text NOT NULL,
    assignee_id text NOT NULL DEFAULT '',
    escalated   boolean NOT NULL DEFAULT false,
    version     bigint NOT NULL DEFAULT 0,
    changed_by  text NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, record_id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES riskdesk.exceptions
);

-- Every change, in the order desktops pull it: read below pg_snapshot_xmin by (change_xid, log_id), like
-- riskdesk.changes, so a late commit is never skipped. event_id is the desktop's id for the change.
CREATE TABLE riskdesk.assignment_log (
    tenant_id  text NOT NULL REFERENCES riskdesk.tenants,
    log_id     bigserial NOT NULL,
    change_xid xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    event_id   uuid NOT NULL,
    record_id  text NOT NULL,
    actor_id   text NOT NULL,
    action     text NOT NULL CHECK (action IN ('assign', 'claim', 'release', 'escalate')),
    from_id    text NOT NULL,
    to_id      text NOT NULL,
    escalated  boolean NOT NULL,
    version    bigint NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, log_id),
    UNIQUE (tenant_id, event_id)
);
CREATE INDEX assignment_log_in_order ON riskdesk.assignment_log (change_xid, log_id);

ALTER TABLE riskdesk.approval_leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.approval_leads FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.assignments FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.assignment_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.assignment_log FORCE ROW LEVEL SECURITY;
CREATE POLICY member_tenants ON riskdesk.approval_leads
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.assignments
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.assignment_log
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));

-- The log keeps every change, even against its owner.
CREATE FUNCTION riskdesk.refuse_assignment_log_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the assignment log keeps every change: % is refused', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER assignment_log_no_update_delete BEFORE UPDATE OR DELETE ON riskdesk.assignment_log
    FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_assignment_log_change();
CREATE TRIGGER assignment_log_no_truncate BEFORE TRUNCATE ON riskdesk.assignment_log
    FOR EACH STATEMENT EXECUTE FUNCTION riskdesk.refuse_assignment_log_change();
ALTER TABLE riskdesk.assignment_log ENABLE ALWAYS TRIGGER assignment_log_no_update_delete;
ALTER TABLE riskdesk.assignment_log ENABLE ALWAYS TRIGGER assignment_log_no_truncate;

REVOKE ALL ON riskdesk.approval_leads, riskdesk.assignments, riskdesk.assignment_log FROM PUBLIC;
REVOKE ALL ON SEQUENCE riskdesk.assignment_log_log_id_seq FROM PUBLIC;
GRANT SELECT ON riskdesk.approval_leads, riskdesk.assignments, riskdesk.assignment_log
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- The answer to an assignment request: applied, conflict (the assignment changed since the desktop saw it) or
-- refused, with the assignment as the server now has it (times in epoch milliseconds, as desktops keep them).
CREATE FUNCTION riskdesk.assignment_outcome(p_kind text, p_code text, p_message text, p_tenant text,
                                            p_record text)
    RETURNS jsonb LANGUAGE sql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT pg_catalog.jsonb_build_object('outcome', p_kind, 'code', p_code, 'message', p_message,
        'assignment', (SELECT pg_catalog.jsonb_build_object('assignee_id', a.assignee_id, 'escalated', a.escalated,
                                 'version', a.version, 'changed_by', a.changed_by,
                                 'changed_at', (pg_catalog.date_part('epoch', a.changed_at) * 1000)::bigint)
                         FROM riskdesk.assignments a WHERE a.tenant_id = p_tenant AND a.record_id = p_record))
$$;

-- Assigns a pending exception (assign: to p_assignee; claim: to the caller; escalate: to p_assignee, a lead;
-- release: to nobody). The caller is an approver of the tenant; the assignee is an approver who could decide
-- the exception under the state machine: not its applicant, not one who acted on it already, and its current
-- approver when a two-step approval named one. Releasing is for the assignee or a lead. Whether an exception
-- is past its SLA is the desktop's judgement (the SLA policy lives in its workspace): the server checks who,
-- not when. p_expected_version is the assignment's version the desktop saw (0: none yet).
CREATE FUNCTION riskdesk.change_assignment(p_tenant text, p_record text, p_action text, p_assignee text,
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

-- The tenant's approvers and which of them lead, for an approver choosing an assignee: the memberships' row-level
-- security shows a login only its own row. Only approvers ask; they learn ids and names, nothing else.
CREATE FUNCTION riskdesk.assignable_approvers(p_tenant text)
    RETURNS TABLE (o_user_id text, o_display_name text, o_is_lead boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_role text;
BEGIN
    IF p_tenant IS NULL THEN
        RAISE EXCEPTION 'assignable_approvers needs a tenant' USING ERRCODE = '22004';
    END IF;
    SELECT c.o_role INTO v_role FROM riskdesk.caller(p_tenant) c;
    IF v_role <> 'approver' THEN
        RAISE EXCEPTION 'only approvers list the approvers they may assign to' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
        SELECT m.user_id, m.display_name,
               EXISTS (SELECT FROM riskdesk.approval_leads l WHERE l.tenant_id = p_tenant AND l.user_id = m.user_id)
          FROM riskdesk.memberships m WHERE m.tenant_id = p_tenant AND m.role = 'approver' ORDER BY m.user_id;
END
$$;

REVOKE ALL ON FUNCTION riskdesk.refuse_assignment_log_change(), riskdesk.assignment_outcome(text, text, text, text, text),
    riskdesk.change_assignment(text, text, text, text, bigint, text), riskdesk.assignable_approvers(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.change_assignment(text, text, text, text, bigint, text)
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
GRANT EXECUTE ON FUNCTION riskdesk.assignable_approvers(text)
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
