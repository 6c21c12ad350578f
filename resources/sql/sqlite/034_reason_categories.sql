-- BOARD-4's reason-category filter matches a category whole. A category no exception has is refused with the
-- tenant's categories, and the Boards page offers them as the field is typed in: both read the categories of
-- one tenant, which without this index meant a scan of all its exceptions (0.4 s for a missing category over
-- two million, and the list sorted in a temporary tree).
CREATE INDEX exception_progress_by_reason ON exception_progress (tenant_id, reason_category);
