-- BOARD-1 (the coach board) sums a month of service logs per coach and member, twice per request (the month and
-- the previous one). This index holds every column those sums read, in business-day order, so a month is one
-- range of the index and the table itself is never visited (bd_sl_by_day alone costs a table lookup per row).
CREATE INDEX bd_sl_by_day_covering ON bd_assistant_service_log
    (tenant_id, site_id, biz_date, is_delete, site_assistant_id, tenant_member_id, ledger_amount_fen, income_seconds);
