-- The shared backend: the workspace's entities per tenant, isolated by row-level security on the connected
-- login role's memberships (never on a setting a client could change). Tables belong to the migration role;
-- the app's group roles may only read, and write through the SECURITY DEFINER functions of 002.

DO $roles$
DECLARE
    r text;
BEGIN
    -- Group roles are cluster-wide: made once, reused by every database of the cluster (two databases
    -- migrating at once may race to make them; the loser finds them made). riskdesk_admin: administrators
    -- (the migration role and whoever it names) see every tenant; app roles can never join it.
    FOREACH r IN ARRAY ARRAY['riskdesk_applicant', 'riskdesk_approver', 'riskdesk_auditor', 'riskdesk_finance',
                             'riskdesk_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$roles$;

GRANT riskdesk_admin TO CURRENT_USER;

CREATE SCHEMA riskdesk;
REVOKE ALL ON SCHEMA riskdesk FROM PUBLIC;
GRANT USAGE ON SCHEMA riskdesk TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- This database's identity: a desktop's pull cursor belongs to it, so a server rebuilt from scratch (whose
-- transaction ids start again) is pulled afresh instead of being skipped.
CREATE TABLE riskdesk.server_identity (
    server_id uuid PRIMARY KEY DEFAULT gen_random_uuid()
);
INSERT INTO riskdesk.server_identity DEFAULT VALUES;

CREATE TABLE riskdesk.tenants (
    tenant_id text PRIMARY KEY,
    name      text NOT NULL
);

-- Which login role is which user in which tenant. Only the migration role writes it.
CREATE TABLE riskdesk.memberships (
    login_role   name NOT NULL,
    tenant_id    text NOT NULL REFERENCES riskdesk.tenants,
    user_id      text NOT NULL,
    display_name text NOT NULL DEFAULT '',
    role         text NOT NULL CHECK (role IN ('applicant', 'approver', 'auditor', 'finance')),
    PRIMARY KEY (login_role, tenant_id),
    UNIQUE (tenant_id, user_id)
);

CREATE TABLE riskdesk.rules (
    tenant_id text NOT NULL REFERENCES riskdesk.tenants,
    rule_id   text NOT NULL,
    name      text NOT NULL,
    domain    text NOT NULL DEFAULT '',
    severity  text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    payload   jsonb NOT NULL DEFAULT '{}',
    version   bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, rule_id)
);

CREATE TABLE riskdesk.exceptions (
    tenant_id           text NOT NULL REFERENCES riskdesk.tenants,
    record_id           text NOT NULL,
    applicant_id        text NOT NULL,
    apply_time          timestamptz NOT NULL,
    target_type         text NOT NULL CHECK (target_type IN ('claim', 'claim_item', 'transaction', 'merchant', 'user')),
    target_id           text NOT NULL,
    risk_rule_id        text NOT NULL,
    status              text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'withdrawn')),
    valid_start_time    timestamptz NOT NULL,
    valid_end_time      timestamptz NOT NULL,
    reason_category     text NOT NULL,
    justification       text NOT NULL,
    attachment_url      text,
    amount              numeric(20, 2), -- what the waiver covers, when it names an amount: exact, never float
    current_approver_id text NOT NULL DEFAULT '',
    approval_chain_log  jsonb NOT NULL DEFAULT '[]',
    auto_rejected       boolean NOT NULL DEFAULT false,
    rejection_reason    text,
    last_status_at      timestamptz NOT NULL,
    version             bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, record_id),
    CHECK (valid_end_time > valid_start_time)
);

-- Append-only and hash-chained per tenant, with the desktop's canonical form (ApprovalLogEntry), so a desktop
-- verifies the server's chain with the same code as its own.
CREATE TABLE riskdesk.approval_log (
    tenant_id    text NOT NULL REFERENCES riskdesk.tenants,
    seq          bigint NOT NULL,
    record_id    text NOT NULL,
    actor_id     text NOT NULL,
    action       text NOT NULL,
    comment      text NOT NULL DEFAULT '',
    step         integer NOT NULL DEFAULT 0,
    status_after text NOT NULL,
    at           timestamptz NOT NULL,
    prev_hash    text NOT NULL,
    hash         text NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

-- The change feed desktops pull from. A change is read only once every transaction older than it has
-- settled: the reader's cursor is (change_xid, change_id) and it reads below pg_snapshot_xmin, so a
-- transaction that commits late is never skipped.
CREATE TABLE riskdesk.changes (
    tenant_id  text NOT NULL REFERENCES riskdesk.tenants,
    change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_id  bigserial NOT NULL,
    record_id  text NOT NULL,
    PRIMARY KEY (tenant_id, change_xid, change_id) -- unique checks bypass RLS: keys carry the tenant
);
CREATE INDEX changes_in_order ON riskdesk.changes (change_xid, change_id); -- the pull's range scan

-- What each idempotency key got: a retried push returns the original outcome instead of acting twice.
CREATE TABLE riskdesk.applied_requests (
    tenant_id       text NOT NULL REFERENCES riskdesk.tenants,
    idempotency_key text NOT NULL,
    outcome         jsonb NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, idempotency_key)
);

-- Row-level security, enabled and forced on every tenant table (forced: the owner is filtered too, so the
-- SECURITY DEFINER functions see only the caller's tenants). session_user is the login role: SET ROLE does
-- not change it and only a superuser can.
ALTER TABLE riskdesk.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.rules FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.exceptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.exceptions FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.approval_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.approval_log FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.changes FORCE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.applied_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.applied_requests FORCE ROW LEVEL SECURITY;

-- A login role sees its own memberships. The functions of 002 run as the owner (current_user) and may read
-- the tenant's other members, e.g. to hand a two-step approval to the next approver; app roles cannot
-- become the owner, and the other tables filter on session_user, which definer functions keep.
CREATE POLICY own_memberships ON riskdesk.memberships
    USING (login_role = session_user OR pg_has_role(current_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.tenants
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.rules
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.exceptions
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.approval_log
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.changes
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
CREATE POLICY member_tenants ON riskdesk.applied_requests
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));

-- The log refuses change even from its owner: triggers that are always enabled (also for replication).
CREATE FUNCTION riskdesk.refuse_log_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE EXCEPTION 'the approval log is append-only: % is refused', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER approval_log_no_update_delete BEFORE UPDATE OR DELETE ON riskdesk.approval_log
    FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_log_change();
CREATE TRIGGER approval_log_no_truncate BEFORE TRUNCATE ON riskdesk.approval_log
    FOR EACH STATEMENT EXECUTE FUNCTION riskdesk.refuse_log_change();
ALTER TABLE riskdesk.approval_log ENABLE ALWAYS TRIGGER approval_log_no_update_delete;
ALTER TABLE riskdesk.approval_log ENABLE ALWAYS TRIGGER approval_log_no_truncate;

-- App roles read; they never write a table directly.
REVOKE ALL ON ALL TABLES IN SCHEMA riskdesk FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA riskdesk FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA riskdesk FROM PUBLIC;
GRANT SELECT ON riskdesk.server_identity, riskdesk.tenants, riskdesk.memberships, riskdesk.rules, riskdesk.exceptions, riskdesk.approval_log,
      riskdesk.changes TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- A convenience view for reports; security_invoker so the reader's row-level security applies through it.
CREATE VIEW riskdesk.pending_by_rule WITH (security_invoker = true) AS
    SELECT tenant_id, risk_rule_id, count(*) AS pending
    FROM riskdesk.exceptions WHERE status = 'pending' GROUP BY tenant_id, risk_rule_id;
GRANT SELECT ON riskdesk.pending_by_rule TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
