-- Board sync and the board result cache (boards/SPEC.md §2.9, §7.5).

-- The server partitions this workspace holds (riskdesk_board.partitions): which load wrote each, and the row
-- count and checksum it was verified against. biz_date '' is the whole-site snapshot of a dataset (NULL on the
-- server; a key column here cannot be NULL).
CREATE TABLE bd_partitions (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, dataset TEXT NOT NULL, biz_date TEXT NOT NULL,
    etl_version INTEGER NOT NULL, row_count INTEGER NOT NULL, checksum TEXT NOT NULL,
    pulled_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, dataset, biz_date)
) WITHOUT ROWID;

-- Computed board results. The key is everything that can change the answer: who asks (a user never sees
-- another's result), where, which board and section, the resolved parameters (SHA-256 of their canonical
-- JSON: "this month" yesterday and today differ), and the data's watermark (a new load misses).
CREATE TABLE board_cache (
    user_id TEXT NOT NULL, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    board TEXT NOT NULL, section TEXT NOT NULL, params_hash TEXT NOT NULL,
    watermark TEXT NOT NULL, created_at INTEGER NOT NULL,
    result BLOB NOT NULL,
    PRIMARY KEY (user_id, tenant_id, site_id, board, section, params_hash)
) WITHOUT ROWID;
CREATE INDEX board_cache_by_site ON board_cache (tenant_id, site_id);

-- Every export of a board (§2.8, AC-X-11): who exported what, when, where to, how many rows.
CREATE TABLE board_exports (
    export_id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    board TEXT NOT NULL, section TEXT NOT NULL, params_hash TEXT NOT NULL,
    format TEXT NOT NULL, path TEXT NOT NULL, row_count INTEGER NOT NULL, created_at INTEGER NOT NULL
);
