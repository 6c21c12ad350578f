-- BOARD-4 reads each exception's facts from exception_progress alone, and the approvers' steps from
-- approval_steps, instead of joining every exception of a span to its row and its log (at a million
-- exceptions, the lookups cost seconds a request). Both are derived from exceptions and approval_log by one
-- definition each (the views below), which the migration, the triggers and the bulk load all use.
DROP TRIGGER exception_progress_insert;
DROP TRIGGER exception_progress_apply_time;
DROP TRIGGER exception_progress_settled;
DROP TABLE exception_progress;

-- What the log says about one exception: its first final entry (the first leaving it approved or rejected),
-- the first withdrawal, the first person's action, and whether two distinct people approved up to the final
-- approval (four eyes).
CREATE VIEW exception_progress_derived AS
SELECT e.rowid AS exception_rowid, e.tenant_id, e.record_id, e.apply_time, e.valid_end_time AS valid_end,
       e.risk_rule_id AS rule_id, e.target_type, e.reason_category,
       f.at AS final_at,
       CASE WHEN f.status_after = 'approved' THEN 'approve'
            WHEN f.action = 'auto_reject' THEN 'auto_reject'
            WHEN f.seq IS NOT NULL THEN 'reject' END AS final_kind,
       CASE WHEN f.status_after = 'approved' THEN
            (SELECT COUNT(DISTINCT a.actor_id) >= 2 FROM approval_log a
              WHERE a.tenant_id = e.tenant_id AND a.record_id = e.record_id AND a.action = 'approve'
                AND a.seq <= f.seq)
            ELSE 0 END AS four_eyes,
       (SELECT l.at FROM approval_log l
         WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id AND l.action = 'withdraw'
         ORDER BY l.seq LIMIT 1) AS withdrawn_at,
       (SELECT l.at FROM approval_log l
         WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id
           AND (l.action = 'approve' OR l.action = 'reject')
         ORDER BY l.seq LIMIT 1) AS first_action_at
  FROM exceptions e
  LEFT JOIN approval_log f ON f.tenant_id = e.tenant_id AND f.seq =
       (SELECT l.seq FROM approval_log l
         WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id
           AND (l.status_after = 'approved' OR l.status_after = 'rejected')
         ORDER BY l.seq LIMIT 1);

CREATE TABLE exception_progress (
    tenant_id TEXT NOT NULL, record_id TEXT NOT NULL,
    apply_time INTEGER NOT NULL,
    valid_end INTEGER NOT NULL,
    rule_id TEXT NOT NULL,
    target_type TEXT NOT NULL,
    reason_category TEXT NOT NULL,
    final_at INTEGER,
    final_kind TEXT CHECK (final_kind IN ('approve', 'reject', 'auto_reject')),
    four_eyes INTEGER NOT NULL CHECK (four_eyes = 0 OR four_eyes = 1),
    withdrawn_at INTEGER,
    first_action_at INTEGER,
    -- NULL while the exception is open; else the later of its application and its settlement, so one range on
    -- one index finds everything a span needs (an exception settled before the span and applied before it is
    -- never pending, applied or decided within it).
    relevant_until INTEGER GENERATED ALWAYS AS (MAX(apply_time, COALESCE(final_at, withdrawn_at))) VIRTUAL,
    PRIMARY KEY (tenant_id, record_id)
) WITHOUT ROWID;
-- Covering: a request reads its span from the index alone, in order, without a lookup per exception.
CREATE INDEX exception_progress_by_relevance ON exception_progress
    (tenant_id, relevant_until, apply_time, valid_end, rule_id, target_type, reason_category, final_at,
     final_kind, four_eyes, withdrawn_at, first_action_at);

INSERT INTO exception_progress (tenant_id, record_id, apply_time, valid_end, rule_id, target_type,
                                reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at)
SELECT tenant_id, record_id, apply_time, valid_end, rule_id, target_type, reason_category, final_at, final_kind,
       four_eyes, withdrawn_at, first_action_at
  FROM exception_progress_derived;

-- A new exception (its log may already be there: a writer may add the log first), a corrected one (the sync
-- pull), and every log entry re-derive the exception's row from the view. DELETE then INSERT, not INSERT OR
-- REPLACE: an outer statement's conflict clause overrides a trigger's (the sync's upsert updates with ABORT).
CREATE TRIGGER exception_progress_insert AFTER INSERT ON exceptions
BEGIN
    DELETE FROM exception_progress WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO exception_progress (tenant_id, record_id, apply_time, valid_end, rule_id, target_type,
                                    reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at)
    SELECT tenant_id, record_id, apply_time, valid_end, rule_id, target_type, reason_category, final_at,
           final_kind, four_eyes, withdrawn_at, first_action_at
      FROM exception_progress_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    DELETE FROM approval_steps WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
    SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final
      FROM approval_steps_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

CREATE TRIGGER exception_progress_update
AFTER UPDATE OF apply_time, valid_end_time, risk_rule_id, target_type, reason_category ON exceptions
BEGIN
    DELETE FROM exception_progress WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO exception_progress (tenant_id, record_id, apply_time, valid_end, rule_id, target_type,
                                    reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at)
    SELECT tenant_id, record_id, apply_time, valid_end, rule_id, target_type, reason_category, final_at,
           final_kind, four_eyes, withdrawn_at, first_action_at
      FROM exception_progress_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    DELETE FROM approval_steps WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
    SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final
      FROM approval_steps_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

CREATE TRIGGER exception_progress_logged AFTER INSERT ON approval_log
WHEN NEW.action IN ('approve', 'reject', 'withdraw', 'auto_reject')
  OR NEW.status_after = 'approved' OR NEW.status_after = 'rejected'
BEGIN
    DELETE FROM exception_progress WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO exception_progress (tenant_id, record_id, apply_time, valid_end, rule_id, target_type,
                                    reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at)
    SELECT tenant_id, record_id, apply_time, valid_end, rule_id, target_type, reason_category, final_at,
           final_kind, four_eyes, withdrawn_at, first_action_at
      FROM exception_progress_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

-- Each person's step on an exception (an approval or a rejection), with what it waited since (the entry before
-- it, or the application for the first) and whether it was the final decision. BOARD-4's approver workload
-- reads a period of these by time. waited_since is NULL only while the log is there before its exception.
CREATE VIEW approval_steps_derived AS
SELECT l.tenant_id, l.seq, l.record_id, l.actor_id, l.at,
       COALESCE((SELECT p.at FROM approval_log p
                  WHERE p.tenant_id = l.tenant_id AND p.record_id = l.record_id AND p.seq < l.seq
                  ORDER BY p.seq DESC LIMIT 1),
                (SELECT e.apply_time FROM exceptions e
                  WHERE e.tenant_id = l.tenant_id AND e.record_id = l.record_id)) AS waited_since,
       ((l.status_after = 'approved' OR l.status_after = 'rejected') AND NOT EXISTS
         (SELECT 1 FROM approval_log p
           WHERE p.tenant_id = l.tenant_id AND p.record_id = l.record_id AND p.seq < l.seq
             AND (p.status_after = 'approved' OR p.status_after = 'rejected'))) AS final
  FROM approval_log l
 WHERE l.action = 'approve' OR l.action = 'reject';

CREATE TABLE approval_steps (
    tenant_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    waited_since INTEGER,
    final INTEGER NOT NULL CHECK (final = 0 OR final = 1),
    PRIMARY KEY (tenant_id, seq)
) WITHOUT ROWID;
CREATE INDEX approval_steps_by_time ON approval_steps (tenant_id, at, record_id, actor_id, waited_since, final);
-- An exception's steps are derived again when it arrives or its application time changes; and after a bulk load,
-- those whose log came before their exception.
CREATE INDEX approval_steps_by_record ON approval_steps (tenant_id, record_id);
CREATE INDEX approval_steps_waiting ON approval_steps (tenant_id, seq) WHERE waited_since IS NULL;

INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final FROM approval_steps_derived;

CREATE TRIGGER approval_steps_logged AFTER INSERT ON approval_log
WHEN NEW.action = 'approve' OR NEW.action = 'reject'
BEGIN
    DELETE FROM approval_steps WHERE tenant_id = NEW.tenant_id AND seq = NEW.seq;
    INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
    SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final
      FROM approval_steps_derived WHERE tenant_id = NEW.tenant_id AND seq = NEW.seq;
END;
