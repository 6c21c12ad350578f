-- Follows 019_board_day_totals.sql of main (merged separately), hence 020.
-- Attachments fetched once and kept, so they can be read offline. Content-addressed: the same bytes under
-- any number of addresses are stored once, keyed by their SHA-256 (hex). An address maps to the bytes it
-- served last; its last_used_at drives the least-recently-used eviction under the cache's size cap.
CREATE TABLE attachment_blobs (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    mime_type  TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    content    BLOB NOT NULL,
    stored_at  INTEGER NOT NULL
);
CREATE TABLE attachment_sources (
    url          TEXT PRIMARY KEY,
    sha256       TEXT NOT NULL REFERENCES attachment_blobs (sha256),
    file_name    TEXT NOT NULL,
    fetched_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX attachment_sources_by_sha ON attachment_sources (sha256);
-- Eviction spares what a pending exception names: found by address, not by a scan of the exceptions.
CREATE INDEX exceptions_by_attachment ON exceptions (attachment_url) WHERE attachment_url IS NOT NULL;
