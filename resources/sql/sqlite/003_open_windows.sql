-- Exceptions by status and end of validity window. Serves the approver's default view (pending, soonest to
-- expire first), which would otherwise walk past every closed row to reach the open ones at the end of the
-- valid_end_time order, and the automatic close of ended windows.

CREATE INDEX exceptions_by_status_valid_end ON exceptions (tenant_id, status, valid_end_time);
