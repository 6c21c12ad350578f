-- BOARD-4's facts (exception_progress, approval_steps) were derived from this desktop's log alone. On a synced
-- desktop that log holds the decisions made here: an exception decided on another desktop stayed pending on
-- the board for good, and its approvers' steps were never counted. The facts now come from one history per
-- exception: the server's log as copied by sync (server_log), then the entries made here that the server does
-- not have yet (waiting to be pushed, or pushed and not copied back). An entry made here leaves that history
-- when the server's copy has the same step (the same action, step and person: pushed and copied back), or when
-- the server refused it (log_refused: the decision never happened).
--
-- In the derived rows an entry is known by one number: a local entry by its seq, a server entry by its seq
-- minus 2^62. Every server entry of an exception is older than the entries here that it lacks, so this order
-- puts them first, and a desktop that never synced keeps its numbers.

-- The entries of this desktop's log whose decision the server refused (the outbox entry's local_log_seq).
CREATE TABLE log_refused (
    tenant_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO log_refused (tenant_id, seq)
SELECT tenant_id, json_extract(payload, '$.local_log_seq') FROM outbox
 WHERE kind = 'decision' AND state = 'refused' AND json_extract(payload, '$.local_log_seq') IS NOT NULL;

-- The copy's lookups by exception read what the derivations need from the index alone (as 029 did for
-- approval_log), and the local log's index gains the step, which the match with the server's copy compares.
DROP INDEX server_log_by_record;
CREATE INDEX server_log_by_record ON server_log
    (tenant_id, record_id, seq, action, status_after, at, actor_id, step);
DROP INDEX approval_log_by_record;
CREATE INDEX approval_log_by_record ON approval_log
    (tenant_id, record_id, seq, action, status_after, at, actor_id, step);

-- A local entry that belongs to the history: neither copied back from the server nor refused by it, and, for
-- the end of a window this desktop applied itself (never pushed: the server applies its own), not overtaken by
-- the server's settling the exception otherwise (withdrawn, decided or expired there first; helper-76: a
-- withdrawal on another desktop counted as an automatic rejection here).
CREATE VIEW approval_log_unsynced AS
SELECT l.* FROM approval_log l
 WHERE NOT EXISTS (SELECT 1 FROM server_log m
                    WHERE m.tenant_id = l.tenant_id AND m.record_id = l.record_id AND m.action = l.action
                      AND m.step = l.step AND m.actor_id = l.actor_id)
   AND NOT EXISTS (SELECT 1 FROM log_refused x WHERE x.tenant_id = l.tenant_id AND x.seq = l.seq)
   AND NOT (l.actor_id = 'system' AND (l.action = 'auto_reject' OR l.action = 'expire')
            AND EXISTS (SELECT 1 FROM server_log m
                         WHERE m.tenant_id = l.tenant_id AND m.record_id = l.record_id
                           AND (m.status_after = 'withdrawn' OR m.status_after = 'approved'
                                OR m.status_after = 'rejected' OR m.status_after = 'expired')));

-- The same definitions as 017's, over both logs. Each lookup is written once per log with its conditions
-- inside (SQLite does not carry a correlated condition into a view), the server's first: its entries come
-- first in the history.
DROP VIEW exception_progress_derived;
CREATE VIEW exception_progress_derived AS
SELECT e.rowid AS exception_rowid, e.tenant_id, e.record_id, e.apply_time, e.valid_end_time AS valid_end,
       e.risk_rule_id AS rule_id, e.target_type, e.reason_category,
       COALESCE(g.at, f.at) AS final_at,
       CASE WHEN COALESCE(g.status_after, f.status_after) = 'approved' THEN 'approve'
            WHEN COALESCE(g.action, f.action) = 'auto_reject' THEN 'auto_reject'
            WHEN g.seq IS NOT NULL OR f.seq IS NOT NULL THEN 'reject' END AS final_kind,
       CASE WHEN g.status_after = 'approved' THEN
            (SELECT COUNT(DISTINCT v.actor_id) >= 2 FROM server_log v
              WHERE v.tenant_id = e.tenant_id AND v.record_id = e.record_id AND v.action = 'approve'
                AND v.seq <= g.seq)
            WHEN g.seq IS NULL AND f.status_after = 'approved' THEN
            (SELECT COUNT(DISTINCT a.actor_id) >= 2 FROM
                (SELECT v.actor_id FROM server_log v
                  WHERE v.tenant_id = e.tenant_id AND v.record_id = e.record_id AND v.action = 'approve'
                 UNION ALL
                 SELECT l.actor_id FROM approval_log_unsynced l
                  WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id AND l.action = 'approve'
                    AND l.seq <= f.seq) a)
            ELSE 0 END AS four_eyes,
       COALESCE((SELECT v.at FROM server_log v
                  WHERE v.tenant_id = e.tenant_id AND v.record_id = e.record_id AND v.action = 'withdraw'
                  ORDER BY v.seq LIMIT 1),
                (SELECT l.at FROM approval_log_unsynced l
                  WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id AND l.action = 'withdraw'
                  ORDER BY l.seq LIMIT 1)) AS withdrawn_at,
       COALESCE((SELECT v.at FROM server_log v
                  WHERE v.tenant_id = e.tenant_id AND v.record_id = e.record_id
                    AND (v.action = 'approve' OR v.action = 'reject')
                  ORDER BY v.seq LIMIT 1),
                (SELECT l.at FROM approval_log_unsynced l
                  WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id
                    AND (l.action = 'approve' OR l.action = 'reject')
                  ORDER BY l.seq LIMIT 1)) AS first_action_at
  FROM exceptions e
  LEFT JOIN server_log g ON g.tenant_id = e.tenant_id AND g.seq =
       (SELECT v.seq FROM server_log v
         WHERE v.tenant_id = e.tenant_id AND v.record_id = e.record_id
           AND (v.status_after = 'approved' OR v.status_after = 'rejected')
         ORDER BY v.seq LIMIT 1)
  LEFT JOIN approval_log f ON f.tenant_id = e.tenant_id AND f.seq =
       (SELECT l.seq FROM approval_log_unsynced l
         WHERE l.tenant_id = e.tenant_id AND l.record_id = e.record_id
           AND (l.status_after = 'approved' OR l.status_after = 'rejected')
         ORDER BY l.seq LIMIT 1);

-- The steps made here that belong to the history. What one waited since is the entry before it here, else the
-- server's last entry, else the application, and never later than the step itself (a step made here while
-- waiting for its author's login can be older than the server's last entry: helper-76 saw an hour's negative
-- wait); it is final when it is the first final entry here and the server's copy has none.
DROP VIEW approval_steps_derived;
CREATE VIEW approval_steps_derived AS
SELECT l.tenant_id, l.seq, l.record_id, l.actor_id, l.at,
       MIN(COALESCE((SELECT p.at FROM approval_log_unsynced p
                      WHERE p.tenant_id = l.tenant_id AND p.record_id = l.record_id AND p.seq < l.seq
                      ORDER BY p.seq DESC LIMIT 1),
                    (SELECT v.at FROM server_log v
                      WHERE v.tenant_id = l.tenant_id AND v.record_id = l.record_id
                      ORDER BY v.seq DESC LIMIT 1),
                    (SELECT e.apply_time FROM exceptions e
                      WHERE e.tenant_id = l.tenant_id AND e.record_id = l.record_id)), l.at) AS waited_since,
       ((l.status_after = 'approved' OR l.status_after = 'rejected') AND NOT EXISTS
         (SELECT 1 FROM approval_log_unsynced p
           WHERE p.tenant_id = l.tenant_id AND p.record_id = l.record_id AND p.seq < l.seq
             AND (p.status_after = 'approved' OR p.status_after = 'rejected'))
         AND NOT EXISTS
         (SELECT 1 FROM server_log v
           WHERE v.tenant_id = l.tenant_id AND v.record_id = l.record_id
             AND (v.status_after = 'approved' OR v.status_after = 'rejected'))) AS final
  FROM approval_log_unsynced l
 WHERE l.action = 'approve' OR l.action = 'reject';

-- The steps of the server's copy, of the exceptions this desktop has (the others' steps come with them).
CREATE VIEW approval_steps_server_derived AS
-- (No join with exceptions: a join in the view let SQLite walk every exception when the re-derivation joins
-- the view to a batch's exceptions.)
SELECT v.tenant_id, v.seq - 4611686018427387904 AS seq, v.record_id, v.actor_id, v.at,
       MIN(COALESCE((SELECT p.at FROM server_log p
                      WHERE p.tenant_id = v.tenant_id AND p.record_id = v.record_id AND p.seq < v.seq
                      ORDER BY p.seq DESC LIMIT 1),
                    (SELECT e.apply_time FROM exceptions e
                      WHERE e.tenant_id = v.tenant_id AND e.record_id = v.record_id)), v.at) AS waited_since,
       ((v.status_after = 'approved' OR v.status_after = 'rejected') AND NOT EXISTS
         (SELECT 1 FROM server_log p
           WHERE p.tenant_id = v.tenant_id AND p.record_id = v.record_id AND p.seq < v.seq
             AND (p.status_after = 'approved' OR p.status_after = 'rejected'))) AS final
  FROM server_log v
 WHERE (v.action = 'approve' OR v.action = 'reject')
   AND EXISTS (SELECT 1 FROM exceptions e WHERE e.tenant_id = v.tenant_id AND e.record_id = v.record_id);

-- An exception's facts and steps derived again from both logs (a new or corrected exception, a refusal).
DROP TRIGGER exception_progress_insert;
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
      FROM approval_steps_server_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
    SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final
      FROM approval_steps_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

DROP TRIGGER exception_progress_update;
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
      FROM approval_steps_server_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
    SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final
      FROM approval_steps_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

-- A refused decision leaves the history: its exception is derived again without it.
CREATE TRIGGER log_refused_by_server AFTER UPDATE OF state ON outbox
WHEN NEW.kind = 'decision' AND NEW.state = 'refused' AND OLD.state <> 'refused'
 AND json_extract(NEW.payload, '$.local_log_seq') IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO log_refused (tenant_id, seq)
    VALUES (NEW.tenant_id, json_extract(NEW.payload, '$.local_log_seq'));
    DELETE FROM exception_progress WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO exception_progress (tenant_id, record_id, apply_time, valid_end, rule_id, target_type,
                                    reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at)
    SELECT tenant_id, record_id, apply_time, valid_end, rule_id, target_type, reason_category, final_at,
           final_kind, four_eyes, withdrawn_at, first_action_at
      FROM exception_progress_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    DELETE FROM approval_steps WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
    SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final
      FROM approval_steps_server_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
    INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
    SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final
      FROM approval_steps_derived WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id;
END;

-- The facts as both logs say now, for the exceptions either log changes. (Sync derives them again as it appends
-- to the copy of the server's log: QueueFactsRederive.)
CREATE TEMP TABLE queue_facts_again (tenant_id TEXT NOT NULL, record_id TEXT NOT NULL,
                                     PRIMARY KEY (tenant_id, record_id)) WITHOUT ROWID;
INSERT OR IGNORE INTO temp.queue_facts_again SELECT tenant_id, record_id FROM server_log;
INSERT OR IGNORE INTO temp.queue_facts_again
SELECT tenant_id, record_id FROM outbox WHERE kind = 'decision' AND state = 'refused';
DELETE FROM exception_progress
 WHERE (tenant_id, record_id) IN (SELECT tenant_id, record_id FROM temp.queue_facts_again);
INSERT INTO exception_progress (tenant_id, record_id, apply_time, valid_end, rule_id, target_type,
                                reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at)
SELECT d.tenant_id, d.record_id, d.apply_time, d.valid_end, d.rule_id, d.target_type, d.reason_category,
       d.final_at, d.final_kind, d.four_eyes, d.withdrawn_at, d.first_action_at
  FROM temp.queue_facts_again t
 CROSS JOIN exception_progress_derived d ON d.tenant_id = t.tenant_id AND d.record_id = t.record_id;
DELETE FROM approval_steps
 WHERE (tenant_id, record_id) IN (SELECT tenant_id, record_id FROM temp.queue_facts_again);
INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
SELECT d.tenant_id, d.seq, d.record_id, d.actor_id, d.at, d.waited_since, d.final
  FROM temp.queue_facts_again t
 CROSS JOIN approval_steps_server_derived d ON d.tenant_id = t.tenant_id AND d.record_id = t.record_id;
INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, final)
SELECT d.tenant_id, d.seq, d.record_id, d.actor_id, d.at, d.waited_since, d.final
  FROM temp.queue_facts_again t
 CROSS JOIN approval_steps_derived d ON d.tenant_id = t.tenant_id AND d.record_id = t.record_id;
DROP TABLE temp.queue_facts_again;
