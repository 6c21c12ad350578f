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
    PRIMARY KEY (tenant_id, user_id)
) WITHOUT ROWID;

CREATE TABLE blacklist (
    tenant_id TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('user', 'merchant')),
    id        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
) WITHOUT ROWID;

-- Keyed by the session's sequence number, which the request id also carries: appends go to the end of one
-- b-tree, the cheapest write SQLite has (the log takes hundreds of thousands of rows a second).
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
CREATE INDEX risk_assessments_by_user ON risk_assessments (tenant_id, user_id, assessed_at);

CREATE TABLE assessment_policies (
    tenant_id TEXT PRIMARY KEY,
    policy    TEXT NOT NULL
);
