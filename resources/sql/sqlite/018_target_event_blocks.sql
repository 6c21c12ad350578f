-- The compact stored form of each target's history, for the replay: runs of up to 4096 of a target's events
-- in time order (then event id), each run one BLOB in TargetEventBlockCodec's format (texts and value lists
-- stored once per run, no JSON). Written with the target_events rows, in the same savepoint; the rows keep
-- each event's JSON for what reads a single event. last_* is the run's last event, so appending later
-- events needs no decoding. The existing rows are packed by the code that runs after this script
-- (TargetHistoryStore::packStoredEvents), inside the same transaction.
CREATE TABLE target_event_blocks (
    tenant_id        TEXT NOT NULL,
    target_type      TEXT NOT NULL,
    target_id        TEXT NOT NULL,
    block_no         INTEGER NOT NULL,
    event_count      INTEGER NOT NULL CHECK (event_count > 0),
    last_occurred_at INTEGER NOT NULL,
    last_event_id    TEXT NOT NULL,
    payload          BLOB NOT NULL,
    PRIMARY KEY (tenant_id, target_type, target_id, block_no)
) WITHOUT ROWID;
