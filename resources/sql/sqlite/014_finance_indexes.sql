-- BOARD-3 reads the coach service income (K3) as a sum of ledger_amount_fen over the live rows of a period,
-- and its drill-down lists those rows by (biz_date, assistant_service_id). bd_sl_by_day holds neither the
-- amount nor is_delete, so every row cost a lookup in the table; this index answers both from the index
-- alone (site_assistant_id for the drill's coach name). A partial index would not be taken as covering.
-- IF NOT EXISTS: harmless to run again, whatever order the sibling migrations 012/013 land in.
CREATE INDEX IF NOT EXISTS bd_sl_income_by_day
    ON bd_assistant_service_log (tenant_id, site_id, is_delete, biz_date, assistant_service_id,
                                 ledger_amount_fen, site_assistant_id);
