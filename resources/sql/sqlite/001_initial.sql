-- Riskdesk workspace schema, version 1.
-- Times are milliseconds since the epoch, UTC. Every tenant-owned row has tenant_id in its primary key.

CREATE TABLE tenants (
    tenant_id TEXT PRIMARY KEY,
    name      TEXT NOT NULL
);

CREATE TABLE users (
    tenant_id    TEXT NOT NULL REFERENCES tenants (tenant_id),
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('applicant', 'approver', 'auditor', 'finance')),
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX users_by_user ON users (user_id);

CREATE TABLE rules (
    tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
    rule_id   TEXT NOT NULL,
    name      TEXT NOT NULL,
    domain    TEXT NOT NULL,
    severity  TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    payload   TEXT NOT NULL,
    version   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, rule_id)
);

CREATE TABLE exceptions (
    tenant_id           TEXT NOT NULL,
    record_id           TEXT NOT NULL,
    applicant_id        TEXT NOT NULL,
    apply_time          INTEGER NOT NULL,
    target_type         TEXT NOT NULL CHECK (target_type IN ('claim', 'claim_item', 'transaction', 'merchant', 'user')),
    target_id           TEXT NOT NULL,
    risk_rule_id        TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'withdrawn')),
    valid_start_time    INTEGER NOT NULL,
    valid_end_time      INTEGER NOT NULL,
    reason_category     TEXT NOT NULL,
    justification       TEXT NOT NULL,
    attachment_url      TEXT,
    current_approver_id TEXT NOT NULL DEFAULT '', -- '' when unassigned (NULL would break keyset paging)
    approval_chain_log  TEXT NOT NULL DEFAULT '[]',
    auto_rejected       INTEGER NOT NULL DEFAULT 0,
    rejection_reason    TEXT,
    last_status_at      INTEGER NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, record_id),
    CHECK (valid_end_time > valid_start_time)
);
-- One index per sortable queue column; the row id is the implicit tie-breaker of each, which makes keyset
-- paging exact. The status index carries apply_time so "pending, oldest first" walks it directly.
CREATE INDEX exceptions_by_apply_time ON exceptions (tenant_id, apply_time);
CREATE INDEX exceptions_by_status ON exceptions (tenant_id, status, apply_time);
CREATE INDEX exceptions_by_valid_end ON exceptions (tenant_id, valid_end_time);
CREATE INDEX exceptions_by_applicant ON exceptions (tenant_id, applicant_id);
CREATE INDEX exceptions_by_rule ON exceptions (tenant_id, risk_rule_id);
CREATE INDEX exceptions_by_target ON exceptions (tenant_id, target_type, target_id);
CREATE INDEX exceptions_by_approver ON exceptions (tenant_id, current_approver_id);
CREATE INDEX exceptions_by_record ON exceptions (tenant_id, record_id);

-- The tenant's approval log: append-only and hash-chained (see ApprovalLogEntry). The triggers stop casual
-- edits; the chain proves that none happened by other means.
CREATE TABLE approval_log (
    tenant_id    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    record_id    TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    action       TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    step         INTEGER NOT NULL DEFAULT 0,
    status_after TEXT NOT NULL,
    at           INTEGER NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) WITHOUT ROWID;
CREATE INDEX approval_log_by_actor ON approval_log (tenant_id, actor_id, seq);
CREATE INDEX approval_log_by_record ON approval_log (tenant_id, record_id, seq);

CREATE TRIGGER approval_log_no_update BEFORE UPDATE ON approval_log
BEGIN
    SELECT RAISE(ABORT, 'the approval log is append-only');
END;

CREATE TRIGGER approval_log_no_delete BEFORE DELETE ON approval_log
BEGIN
    SELECT RAISE(ABORT, 'the approval log is append-only');
END;

-- Decisions waiting to be pushed to the backend, written in the same transaction as the decision.
CREATE TABLE outbox (
    outbox_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'sent', 'refused')),
    last_error      TEXT
);
CREATE INDEX outbox_waiting ON outbox (state, outbox_id);
