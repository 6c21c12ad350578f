-- Covering indexes for the customer board (BOARD-2, boards/SPEC.md §2.4, §5.3). The fact tables are
-- WITHOUT ROWID, so an index that lacks a column read by the query costs a primary-key lookup per row.
-- IF NOT EXISTS: harmless if another branch's migration, merged in a different order, made them already.

-- The 60-day coach-service spend per member (D2, D6, D7): valid logs of a range of business days, read
-- from the index alone.
CREATE INDEX IF NOT EXISTS bd_sl_spend_by_day
    ON bd_assistant_service_log (tenant_id, site_id, is_delete, biz_date, tenant_member_id, ledger_amount_fen);

-- The loyalty tab (D8): one calculation day's relation rows in member order, highest RS first.
CREATE INDEX IF NOT EXISTS bd_rel_by_date_member
    ON bd_member_assistant_relation_index (tenant_id, site_id, calc_date, tenant_member_id, rs_score DESC,
                                           site_assistant_id);

-- The snapshot tabs (D1, D2, D7): one calculation day of every member, read from the index alone.
CREATE INDEX IF NOT EXISTS bd_wbi_by_date_member
    ON bd_member_winback_index (tenant_id, site_id, calc_date, tenant_member_id, wbi, days_since_last_visit);
CREATE INDEX IF NOT EXISTS bd_spi_by_date_member
    ON bd_member_spending_power_index (tenant_id, site_id, calc_date, tenant_member_id, spi);
CREATE INDEX IF NOT EXISTS bd_consumption_by_date_member
    ON bd_member_consumption_summary (tenant_id, site_id, calc_date, tenant_member_id, visits_60d);

-- The balance tab (D3): every member's card accounts added up in member order, from the index alone.
CREATE INDEX IF NOT EXISTS bd_card_by_member_balance
    ON bd_dim_member_card_account (tenant_id, site_id, tenant_member_id, card_type, balance_fen,
                                   last_recharge_time);
