-- The embedded scoring engine's state: per-user velocity counters (so a restart continues where it stopped),
-- the blacklist, every assessment made (the reference's risk_assessments), and per-tenant policy overrides.

CREATE TABLE velocity_ledger (
    tenant_id        TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    day              INTEGER NOT NULL,
    day_count        INTEGER NOT NULL,
    day_amount_cents INTEGER NOT NULL,
    hour             INTEGER NOT NULL,
    hour_count       INTEGER NOT NULL,
    last_seq         INTEGER NOT NULL DEFAULT 0, -- the user's latest assessment in risk_assessments
    PRIMARY KEY (tenant_id, user_id)
) WITHOUT ROWID;

CREATE TABLE blacklist (
    tenant_id TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('user', 'merchant')),
    id        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
) WITHOUT ROWID;

-- Keyed by the session's sequence number, which the request id also carries: appends go to the end of one
-- b-tree, the cheapest write SQLite has (the log takes hundreds of thousands of rows a second). No other
-- index: a user's latest assessment is found through velocity_ledger.last_seq.
CREATE TABLE risk_assessments (
    seq          INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    merchant_id  TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    risk_score   REAL NOT NULL,
    risk_level   TEXT NOT NULL,
    decision     TEXT NOT NULL,
    reasons      TEXT NOT NULL,
    policy       TEXT NOT NULL,
    assessed_at  INTEGER NOT NULL
);

CREATE TABLE assessment_policies (
    tenant_id TEXT PRIMARY KEY,
    policy    TEXT NOT NULL
);
