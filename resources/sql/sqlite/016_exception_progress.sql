-- What BOARD-4 needs to know about each exception without replaying the approval log: when it was applied for,
-- when it was finally decided (its first log entry leaving it approved or rejected) and when it was first
-- withdrawn. A request reads only the exceptions still open, or settled within its span, instead of every
-- exception of the tenant and the whole log. Triggers keep it in step with every write to exceptions and
-- approval_log (the log is append-only, so the first entry written is the first in the chain).
CREATE TABLE exception_progress (
    tenant_id TEXT NOT NULL, record_id TEXT NOT NULL,
    apply_time INTEGER NOT NULL,
    final_at INTEGER,
    withdrawn_at INTEGER,
    -- NULL while the exception is open; else the later of its application and its settlement, so one range on
    -- one index finds everything a span needs (an exception settled before the span and applied before it is
    -- never pending, applied or decided within it).
    relevant_until INTEGER GENERATED ALWAYS AS (MAX(apply_time, COALESCE(final_at, withdrawn_at))) VIRTUAL,
    PRIMARY KEY (tenant_id, record_id)
) WITHOUT ROWID;
CREATE INDEX exception_progress_by_relevance ON exception_progress (tenant_id, relevant_until);

INSERT INTO exception_progress (tenant_id, record_id, apply_time, final_at, withdrawn_at)
SELECT e.tenant_id, e.record_id, e.apply_time,
       (SELECT l.at FROM approval_log l
         WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id
           AND (l.status_after = 'approved' OR l.status_after = 'rejected')
         ORDER BY l.seq LIMIT 1),
       (SELECT l.at FROM approval_log l
         WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id AND l.action = 'withdraw'
         ORDER BY l.seq LIMIT 1)
  FROM exceptions e;

-- A new exception: its log may already be there (a writer may add the log first), so derive, don't assume.
CREATE TRIGGER exception_progress_insert AFTER INSERT ON exceptions
BEGIN
    INSERT OR REPLACE INTO exception_progress (tenant_id, record_id, apply_time, final_at, withdrawn_at)
    VALUES (NEW.tenant_id, NEW.record_id, NEW.apply_time,
            (SELECT l.at FROM approval_log l
              WHERE l.tenant_id = NEW.tenant_id AND l.record_id = NEW.record_id
                AND (l.status_after = 'approved' OR l.status_after = 'rejected')
              ORDER BY l.seq LIMIT 1),
            (SELECT l.at FROM approval_log l
              WHERE l.tenant_id = NEW.tenant_id AND l.record_id = NEW.record_id AND l.action = 'withdraw'
              ORDER BY l.seq LIMIT 1));
END;

-- The sync pull may correct an application time.
CREATE TRIGGER exception_progress_apply_time AFTER UPDATE OF apply_time ON exceptions
BEGIN
    UPDATE exception_progress SET apply_time = NEW.apply_time
     WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

CREATE TRIGGER exception_progress_settled AFTER INSERT ON approval_log
WHEN NEW.status_after = 'approved' OR NEW.status_after = 'rejected' OR NEW.action = 'withdraw'
BEGIN
    UPDATE exception_progress
       SET final_at = CASE WHEN final_at IS NULL AND (NEW.status_after = 'approved' OR NEW.status_after = 'rejected')
                           THEN NEW.at ELSE final_at END,
           withdrawn_at = CASE WHEN withdrawn_at IS NULL AND NEW.action = 'withdraw' THEN NEW.at ELSE withdrawn_at END
     WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

-- Q19 reads a period of assessments by decision and by level: covered, so the table is not touched.
CREATE INDEX risk_assessments_by_time
    ON risk_assessments (tenant_id, assessed_at, decision, risk_level, risk_score);
-- Q15–Q18 read a period of rule outcomes per rule: covered as well.
DROP INDEX IF EXISTS rule_outcomes_by_time;
CREATE INDEX rule_outcomes_by_time ON rule_outcomes (tenant_id, occurred_at, rule_id, outcome, waived, amount_cents);

-- The last verification of each chain (this desktop's log, the copy of the server's), written by whoever
-- walked the chain (the log page, `riskdesk verify`): BOARD-4's Q21 reports it with its time instead of walking
-- a million entries on every request.
CREATE TABLE chain_checks (
    tenant_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source = 'workspace' OR source = 'server'),
    checked_at INTEGER NOT NULL,
    intact INTEGER NOT NULL CHECK (intact = 0 OR intact = 1),
    entries INTEGER NOT NULL,
    first_broken_seq INTEGER NOT NULL DEFAULT 0, -- the first entry that failed, when not intact
    PRIMARY KEY (tenant_id, source)
) WITHOUT ROWID;
