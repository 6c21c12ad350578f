-- Sync asks, for each row it takes from the server, whether a decision on that exception still waits here:
-- without this index that question reads the whole outbox, and a long push becomes quadratic.
CREATE INDEX outbox_by_record ON outbox (tenant_id, record_id, state);
