-- BOARD-4's rule outcomes (Q15–Q18) and engine assessments (Q19) are counts and sums over whole UTC days (the
-- board's periods are whole days in UTC). Each day's totals are kept per group, so a request reads a few
-- thousand totals instead of every outcome and assessment of its two periods (over a million at the demo's
-- size). Triggers keep them; the full replay still reads the rows, and the tests compare both.
--
-- The triggers never use an upsert or OR IGNORE: an outer statement's conflict clause overrides a trigger's, so
-- they insert a zero row only where none exists, then add. A REPLACE into either table would delete without a
-- delete trigger (recursive triggers are off), so no writer replaces: the backfill deletes and inserts.

CREATE TABLE rule_outcome_days (
    tenant_id TEXT NOT NULL,
    day_start INTEGER NOT NULL, -- the UTC day's midnight, in ms
    rule_id TEXT NOT NULL,
    target_type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    waived INTEGER NOT NULL,
    outcomes INTEGER NOT NULL CHECK (outcomes > 0),
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, day_start, rule_id, target_type, outcome, waived)
) WITHOUT ROWID;

INSERT INTO rule_outcome_days (tenant_id, day_start, rule_id, target_type, outcome, waived, outcomes,
                               amount_cents)
SELECT tenant_id, occurred_at - ((occurred_at % 86400000) + 86400000) % 86400000, rule_id, target_type, outcome,
       waived, COUNT(*), SUM(amount_cents)
  FROM rule_outcomes
 GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER rule_outcome_days_insert AFTER INSERT ON rule_outcomes
BEGIN
    INSERT INTO rule_outcome_days (tenant_id, day_start, rule_id, target_type, outcome, waived, outcomes,
                                   amount_cents)
    SELECT NEW.tenant_id, NEW.occurred_at - ((NEW.occurred_at % 86400000) + 86400000) % 86400000, NEW.rule_id,
           NEW.target_type, NEW.outcome, NEW.waived, 1, NEW.amount_cents
     WHERE NOT EXISTS (SELECT 1 FROM rule_outcome_days d
                        WHERE d.tenant_id = NEW.tenant_id
                          AND d.day_start = NEW.occurred_at - ((NEW.occurred_at % 86400000) + 86400000) % 86400000
                          AND d.rule_id = NEW.rule_id AND d.target_type = NEW.target_type
                          AND d.outcome = NEW.outcome AND d.waived = NEW.waived);
    UPDATE rule_outcome_days SET outcomes = outcomes + 1, amount_cents = amount_cents + NEW.amount_cents
     WHERE changes() = 0 AND tenant_id = NEW.tenant_id
       AND day_start = NEW.occurred_at - ((NEW.occurred_at % 86400000) + 86400000) % 86400000
       AND rule_id = NEW.rule_id AND target_type = NEW.target_type AND outcome = NEW.outcome
       AND waived = NEW.waived;
END;

CREATE TRIGGER rule_outcome_days_delete AFTER DELETE ON rule_outcomes
BEGIN
    UPDATE rule_outcome_days SET outcomes = outcomes - 1, amount_cents = amount_cents - OLD.amount_cents
     WHERE tenant_id = OLD.tenant_id
       AND day_start = OLD.occurred_at - ((OLD.occurred_at % 86400000) + 86400000) % 86400000
       AND rule_id = OLD.rule_id AND target_type = OLD.target_type AND outcome = OLD.outcome
       AND waived = OLD.waived AND outcomes > 1;
    DELETE FROM rule_outcome_days
     WHERE changes() = 0 AND tenant_id = OLD.tenant_id
       AND day_start = OLD.occurred_at - ((OLD.occurred_at % 86400000) + 86400000) % 86400000
       AND rule_id = OLD.rule_id AND target_type = OLD.target_type AND outcome = OLD.outcome
       AND waived = OLD.waived;
END;

-- An update is the old row's delete and the new row's insert.
CREATE TRIGGER rule_outcome_days_update
AFTER UPDATE OF tenant_id, rule_id, target_type, occurred_at, outcome, waived, amount_cents ON rule_outcomes
BEGIN
    UPDATE rule_outcome_days SET outcomes = outcomes - 1, amount_cents = amount_cents - OLD.amount_cents
     WHERE tenant_id = OLD.tenant_id
       AND day_start = OLD.occurred_at - ((OLD.occurred_at % 86400000) + 86400000) % 86400000
       AND rule_id = OLD.rule_id AND target_type = OLD.target_type AND outcome = OLD.outcome
       AND waived = OLD.waived AND outcomes > 1;
    DELETE FROM rule_outcome_days
     WHERE changes() = 0 AND tenant_id = OLD.tenant_id
       AND day_start = OLD.occurred_at - ((OLD.occurred_at % 86400000) + 86400000) % 86400000
       AND rule_id = OLD.rule_id AND target_type = OLD.target_type AND outcome = OLD.outcome
       AND waived = OLD.waived;
    INSERT INTO rule_outcome_days (tenant_id, day_start, rule_id, target_type, outcome, waived, outcomes,
                                   amount_cents)
    SELECT NEW.tenant_id, NEW.occurred_at - ((NEW.occurred_at % 86400000) + 86400000) % 86400000, NEW.rule_id,
           NEW.target_type, NEW.outcome, NEW.waived, 1, NEW.amount_cents
     WHERE NOT EXISTS (SELECT 1 FROM rule_outcome_days d
                        WHERE d.tenant_id = NEW.tenant_id
                          AND d.day_start = NEW.occurred_at - ((NEW.occurred_at % 86400000) + 86400000) % 86400000
                          AND d.rule_id = NEW.rule_id AND d.target_type = NEW.target_type
                          AND d.outcome = NEW.outcome AND d.waived = NEW.waived);
    UPDATE rule_outcome_days SET outcomes = outcomes + 1, amount_cents = amount_cents + NEW.amount_cents
     WHERE changes() = 0 AND tenant_id = NEW.tenant_id
       AND day_start = NEW.occurred_at - ((NEW.occurred_at % 86400000) + 86400000) % 86400000
       AND rule_id = NEW.rule_id AND target_type = NEW.target_type AND outcome = NEW.outcome
       AND waived = NEW.waived;
END;

CREATE TABLE assessment_days (
    tenant_id TEXT NOT NULL,
    day_start INTEGER NOT NULL, -- the UTC day's midnight, in ms
    decision TEXT NOT NULL,
    risk_level TEXT NOT NULL,
    assessments INTEGER NOT NULL CHECK (assessments > 0),
    score_sum REAL NOT NULL,
    PRIMARY KEY (tenant_id, day_start, decision, risk_level)
) WITHOUT ROWID;

INSERT INTO assessment_days (tenant_id, day_start, decision, risk_level, assessments, score_sum)
SELECT tenant_id, assessed_at - ((assessed_at % 86400000) + 86400000) % 86400000, decision, risk_level, COUNT(*),
       SUM(risk_score)
  FROM risk_assessments
 GROUP BY 1, 2, 3, 4;

CREATE TRIGGER assessment_days_insert AFTER INSERT ON risk_assessments
BEGIN
    INSERT INTO assessment_days (tenant_id, day_start, decision, risk_level, assessments, score_sum)
    SELECT NEW.tenant_id, NEW.assessed_at - ((NEW.assessed_at % 86400000) + 86400000) % 86400000, NEW.decision,
           NEW.risk_level, 1, NEW.risk_score
     WHERE NOT EXISTS (SELECT 1 FROM assessment_days d
                        WHERE d.tenant_id = NEW.tenant_id
                          AND d.day_start = NEW.assessed_at - ((NEW.assessed_at % 86400000) + 86400000) % 86400000
                          AND d.decision = NEW.decision AND d.risk_level = NEW.risk_level);
    UPDATE assessment_days SET assessments = assessments + 1, score_sum = score_sum + NEW.risk_score
     WHERE changes() = 0 AND tenant_id = NEW.tenant_id
       AND day_start = NEW.assessed_at - ((NEW.assessed_at % 86400000) + 86400000) % 86400000
       AND decision = NEW.decision AND risk_level = NEW.risk_level;
END;

-- Assessments are only ever appended; a removed or corrected one still leaves the totals right.
CREATE TRIGGER assessment_days_delete AFTER DELETE ON risk_assessments
BEGIN
    UPDATE assessment_days SET assessments = assessments - 1, score_sum = score_sum - OLD.risk_score
     WHERE tenant_id = OLD.tenant_id
       AND day_start = OLD.assessed_at - ((OLD.assessed_at % 86400000) + 86400000) % 86400000
       AND decision = OLD.decision AND risk_level = OLD.risk_level AND assessments > 1;
    DELETE FROM assessment_days
     WHERE changes() = 0 AND tenant_id = OLD.tenant_id
       AND day_start = OLD.assessed_at - ((OLD.assessed_at % 86400000) + 86400000) % 86400000
       AND decision = OLD.decision AND risk_level = OLD.risk_level;
END;

CREATE TRIGGER assessment_days_update
AFTER UPDATE OF tenant_id, assessed_at, decision, risk_level, risk_score ON risk_assessments
BEGIN
    UPDATE assessment_days SET assessments = assessments - 1, score_sum = score_sum - OLD.risk_score
     WHERE tenant_id = OLD.tenant_id
       AND day_start = OLD.assessed_at - ((OLD.assessed_at % 86400000) + 86400000) % 86400000
       AND decision = OLD.decision AND risk_level = OLD.risk_level AND assessments > 1;
    DELETE FROM assessment_days
     WHERE changes() = 0 AND tenant_id = OLD.tenant_id
       AND day_start = OLD.assessed_at - ((OLD.assessed_at % 86400000) + 86400000) % 86400000
       AND decision = OLD.decision AND risk_level = OLD.risk_level;
    INSERT INTO assessment_days (tenant_id, day_start, decision, risk_level, assessments, score_sum)
    SELECT NEW.tenant_id, NEW.assessed_at - ((NEW.assessed_at % 86400000) + 86400000) % 86400000, NEW.decision,
           NEW.risk_level, 1, NEW.risk_score
     WHERE NOT EXISTS (SELECT 1 FROM assessment_days d
                        WHERE d.tenant_id = NEW.tenant_id
                          AND d.day_start = NEW.assessed_at - ((NEW.assessed_at % 86400000) + 86400000) % 86400000
                          AND d.decision = NEW.decision AND d.risk_level = NEW.risk_level);
    UPDATE assessment_days SET assessments = assessments + 1, score_sum = score_sum + NEW.risk_score
     WHERE changes() = 0 AND tenant_id = NEW.tenant_id
       AND day_start = NEW.assessed_at - ((NEW.assessed_at % 86400000) + 86400000) % 86400000
       AND decision = NEW.decision AND risk_level = NEW.risk_level;
END;
