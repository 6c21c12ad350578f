-- The server's approval log as of the last sync: every decision of the tenants this desktop's login may
-- see, from every desktop, in the server's own chain. approval_log keeps this desktop's chain; the two are
-- different chains over overlapping decisions, so they live apart. Only sync writes here (appending in the
-- server's order, or clearing it when the desktop is tied to a different server); the copy is verified
-- like any chain, and against the server itself from the approval-log page.
CREATE TABLE server_log (
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
CREATE INDEX server_log_by_actor ON server_log (tenant_id, actor_id, seq);
CREATE INDEX server_log_by_record ON server_log (tenant_id, record_id, seq);

CREATE TRIGGER server_log_no_update BEFORE UPDATE ON server_log
BEGIN
    SELECT RAISE(ABORT, 'the server log copy is append-only');
END;
