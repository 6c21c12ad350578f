-- BOARD-4's engine figures (Q19) are counts and score sums over whole UTC days, as its rule outcomes are
-- (migration 019): a request reads a few hundred totals instead of every assessment of its two periods (about
-- 180,000 for two weeks at the demo's size). No trigger keeps them: one per row cost the engine's persisted
-- assessments, its hottest write, about 2.4 µs a row. AssessmentStore::save, the only writer of
-- risk_assessments, adds each batch's totals in the batch's own transaction, grouped in memory first.
--
-- Scores are summed in whole millionths (the score times a million, truncated toward zero, the same double
-- product here and in C++), so the totals and a pass over the rows give the same sum in any order; a sum of
-- doubles would differ in its last bits with the order of the additions.
CREATE TABLE assessment_days (
    tenant_id TEXT NOT NULL,
    day_start INTEGER NOT NULL, -- the UTC day's midnight, in ms
    decision TEXT NOT NULL,
    risk_level TEXT NOT NULL,
    assessments INTEGER NOT NULL CHECK (assessments > 0),
    score_millionths INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, day_start, decision, risk_level)
) WITHOUT ROWID;

INSERT INTO assessment_days (tenant_id, day_start, decision, risk_level, assessments, score_millionths)
SELECT tenant_id, assessed_at - ((assessed_at % 86400000) + 86400000) % 86400000, decision, risk_level, COUNT(*),
       SUM(CAST(risk_score * 1000000 AS INTEGER))
  FROM risk_assessments
 GROUP BY 1, 2, 3, 4;
