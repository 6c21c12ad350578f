-- Each target's history as the rules and the engine see it: the cases filed for a claim and the transactions
-- of a user, a merchant or a transaction, with their field records (reference keys) and, for transactions,
-- the engine's assessment at the time. The impact preview of an exception replays this history with and
-- without the waiver. Clustered by target, so a target's whole history is one range read.
CREATE TABLE target_events (
    tenant_id    TEXT NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL,
    event_id     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('case', 'transaction')),
    amount_cents INTEGER NOT NULL DEFAULT 0,
    facts        TEXT NOT NULL CHECK (json_valid(facts)),
    risk_score   REAL,  -- the engine's assessment of a transaction; NULL for cases
    risk_level   TEXT,
    decision     TEXT,
    reasons      TEXT,
    PRIMARY KEY (tenant_id, target_type, target_id, occurred_at, event_id)
) WITHOUT ROWID;
