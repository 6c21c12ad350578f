-- The log's derivations (exception_progress_derived, approval_steps_derived, and the triggers and bulk loads
-- that use them) look up an exception's entries by its id. Without planner statistics (a new or freshly pulled
-- workspace, a demo before its ANALYZE) SQLite preferred walking the tenant's whole log in the primary key's
-- order, which covers the columns, over the by-record index, which did not: every lookup read the tenant's
-- log, and a million-exception demo never finished. The by-record index now covers what those lookups read,
-- so it wins with or without statistics.
DROP INDEX approval_log_by_record;
CREATE INDEX approval_log_by_record ON approval_log (tenant_id, record_id, seq, action, status_after, at, actor_id);
