-- Assignment of pending exceptions to approvers (issue 13), in tables of their own: a decision, its row in
-- exceptions and the approval log's hash chain never change because of one. Numbered 024: 021..023 belong to
-- work merged separately.

-- Who works on an exception now. '' when released (the row stays: its version orders later changes).
CREATE TABLE exception_assignments (
    tenant_id   TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    assignee_id TEXT NOT NULL DEFAULT '',
    escalated   INTEGER NOT NULL DEFAULT 0 CHECK (escalated = 0 OR escalated = 1),
    version     INTEGER NOT NULL DEFAULT 0,
    changed_by  TEXT NOT NULL,
    changed_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, record_id)
) WITHOUT ROWID;
-- The queue's "assigned to me" filter.
CREATE INDEX exception_assignments_by_assignee ON exception_assignments (tenant_id, assignee_id, record_id);

-- Every change: who, when, from whom to whom. event_id is the idempotency key of the push and the server's
-- key for the event, so an event pulled back is recognised. sync_state: waiting (to be pushed), sent,
-- refused (the server said no; sync_error says why) or server (made on another desktop).
CREATE TABLE assignment_log (
    tenant_id  TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action = 'assign' OR action = 'claim' OR action = 'release'
                                    OR action = 'escalate'),
    from_id    TEXT NOT NULL,
    to_id      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    sync_state TEXT NOT NULL DEFAULT 'waiting' CHECK (sync_state = 'waiting' OR sync_state = 'sent'
                                                     OR sync_state = 'refused' OR sync_state = 'server'),
    sync_error TEXT,
    PRIMARY KEY (tenant_id, event_id)
) WITHOUT ROWID;
CREATE INDEX assignment_log_by_record ON assignment_log (tenant_id, record_id, at);
CREATE INDEX assignment_log_waiting ON assignment_log (sync_state) WHERE sync_state = 'waiting';

-- The history is kept: rows are never deleted, and what happened never changes (only the sync state).
CREATE TRIGGER assignment_log_no_delete BEFORE DELETE ON assignment_log
BEGIN
    SELECT RAISE(ABORT, 'the assignment log keeps every change');
END;
CREATE TRIGGER assignment_log_no_rewrite BEFORE UPDATE OF tenant_id, event_id, record_id, actor_id, action,
    from_id, to_id, at, version ON assignment_log
BEGIN
    SELECT RAISE(ABORT, 'the assignment log keeps every change');
END;

-- Leads: the approvers an overdue exception is escalated to. The design names no such role; a lead is an
-- approver listed here (from the server's riskdesk.approval_leads when synced).
CREATE TABLE approval_leads (
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) WITHOUT ROWID;

-- The tenant's approvers as the server names them (AssignmentSync): a login sees only its own membership, so
-- the directory a sync copies names no colleague to assign to. Without a backend, users' approvers suffice.
CREATE TABLE server_approvers (
    tenant_id    TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) WITHOUT ROWID;
