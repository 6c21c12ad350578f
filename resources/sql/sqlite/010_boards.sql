-- Board data (boards/SPEC.md §7.5): a mirror of the server's riskdesk_board tables, one bd_ table per view of
-- §7.1 with the view's actual column names. Every row is keyed by (tenant_id, site_id, …); money is integer
-- fen (the column name ends in _fen), times are UTC milliseconds, biz_date is 'YYYY-MM-DD' computed from the
-- site's time zone and business-day cut-off when the row was loaded. etl_version is the load that wrote the
-- row. CHECKs are ORs of equalities, not IN lists (migration 008).

-- Sites, their time zone and business-day cut-off (minutes after local midnight; NULL: not configured, the
-- calendar day is used and the board says so).
CREATE TABLE bd_site_settings (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    tz TEXT NOT NULL,
    business_day_cutoff_minutes INTEGER CHECK (business_day_cutoff_minutes >= 0
                                               AND business_day_cutoff_minutes < 1440),
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id)
) WITHOUT ROWID;

-- CONFIG-1. site_id '' is the tenant-wide row; a site row with the same skill_code overrides it.
CREATE TABLE bd_cfg_skill_type (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    skill_code TEXT NOT NULL, skill_name TEXT NOT NULL,
    sort_order INTEGER NOT NULL, is_enabled INTEGER NOT NULL CHECK (is_enabled = 0 OR is_enabled = 1),
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, skill_code),
    UNIQUE (tenant_id, site_id, skill_name)
) WITHOUT ROWID;

-- The four intimacy levels of §4.5 per tenant (none loaded: the board uses the spec's defaults).
CREATE TABLE bd_cfg_intimacy_level (
    tenant_id TEXT NOT NULL, level INTEGER NOT NULL CHECK (level >= 1 AND level <= 4),
    min_score REAL NOT NULL, emoji TEXT NOT NULL, label_zh TEXT NOT NULL, label_en TEXT NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, level)
) WITHOUT ROWID;

-- v_dwd_assistant_service_log; biz_date from create_time (settlement time).
CREATE TABLE bd_assistant_service_log (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    assistant_service_id INTEGER NOT NULL,
    site_assistant_id INTEGER NOT NULL, tenant_member_id INTEGER NOT NULL,
    is_delete INTEGER NOT NULL CHECK (is_delete = 0 OR is_delete = 1),
    create_time INTEGER NOT NULL, start_use_time INTEGER, last_use_time INTEGER,
    income_seconds INTEGER NOT NULL, real_use_seconds INTEGER NOT NULL,
    ledger_amount_fen INTEGER NOT NULL, skill_name TEXT, site_table_id INTEGER, etl_loaded_at INTEGER,
    biz_date TEXT NOT NULL, etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, assistant_service_id)
) WITHOUT ROWID;
CREATE INDEX bd_sl_by_coach ON bd_assistant_service_log (tenant_id, site_id, site_assistant_id, biz_date);
CREATE INDEX bd_sl_by_member ON bd_assistant_service_log (tenant_id, site_id, tenant_member_id, biz_date);
CREATE INDEX bd_sl_by_day ON bd_assistant_service_log (tenant_id, site_id, biz_date);

-- v_dws_assistant_salary_calc; salary_month is the first day of the month.
CREATE TABLE bd_assistant_salary_calc (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    assistant_id INTEGER NOT NULL, salary_month TEXT NOT NULL,
    assistant_level_name TEXT, tier_id INTEGER,
    base_hours REAL NOT NULL, effective_hours REAL NOT NULL,
    gross_salary_fen INTEGER NOT NULL, base_course_price_fen INTEGER, bonus_course_price_fen INTEGER,
    sprint_bonus_fen INTEGER NOT NULL, base_income_fen INTEGER NOT NULL, bonus_income_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, assistant_id, salary_month)
) WITHOUT ROWID;
CREATE INDEX bd_salary_by_month ON bd_assistant_salary_calc (tenant_id, site_id, salary_month);

-- v_dim_assistant and its skills (a bridge rather than an array: SQLite has none, and the filter joins it).
CREATE TABLE bd_dim_assistant (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    site_assistant_id INTEGER NOT NULL, assistant_name TEXT NOT NULL, assistant_no TEXT,
    is_active INTEGER NOT NULL CHECK (is_active = 0 OR is_active = 1),
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id)
) WITHOUT ROWID;
CREATE TABLE bd_dim_assistant_skill (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    site_assistant_id INTEGER NOT NULL, skill_code TEXT NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id, skill_code)
) WITHOUT ROWID;
CREATE INDEX bd_skill_by_code ON bd_dim_assistant_skill (tenant_id, site_id, skill_code, site_assistant_id);

-- v_dim_member: tenant-scoped. Which sites know a member is kept in bd_member_sites (the G-17 rule).
CREATE TABLE bd_dim_member (
    tenant_id TEXT NOT NULL, tenant_member_id INTEGER NOT NULL,
    member_name TEXT, mobile TEXT, register_site_id TEXT,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, tenant_member_id)
) WITHOUT ROWID;
CREATE TABLE bd_member_sites (
    tenant_id TEXT NOT NULL, tenant_member_id INTEGER NOT NULL, site_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, tenant_member_id, site_id)
) WITHOUT ROWID;
CREATE INDEX bd_member_sites_by_site ON bd_member_sites (tenant_id, site_id, tenant_member_id);

CREATE TABLE bd_dim_member_card_account (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    card_account_id INTEGER NOT NULL, tenant_member_id INTEGER NOT NULL,
    card_type TEXT NOT NULL CHECK (card_type = 'stored_value' OR card_type = 'gift'),
    balance_fen INTEGER NOT NULL, status TEXT NOT NULL, last_recharge_time INTEGER,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, card_account_id)
) WITHOUT ROWID;
CREATE INDEX bd_card_by_member ON bd_dim_member_card_account (tenant_id, site_id, tenant_member_id, card_type);

CREATE TABLE bd_member_assistant_relation_index (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL, site_assistant_id INTEGER NOT NULL,
    rs_score REAL NOT NULL, calc_date TEXT NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, site_assistant_id, calc_date)
) WITHOUT ROWID;
-- Top 3 per coach at the latest calc_date: (coach, date) then the score.
CREATE INDEX bd_rel_by_coach ON bd_member_assistant_relation_index
    (tenant_id, site_id, site_assistant_id, calc_date, rs_score DESC, tenant_member_id);
CREATE INDEX bd_rel_by_date ON bd_member_assistant_relation_index (tenant_id, site_id, calc_date);

CREATE TABLE bd_assistant_recharge_commission (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    site_assistant_id INTEGER NOT NULL, stat_month TEXT NOT NULL,
    recharge_amount_fen INTEGER NOT NULL, recharge_count INTEGER NOT NULL, member_count INTEGER NOT NULL,
    commission_amount_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id, stat_month)
) WITHOUT ROWID;
CREATE INDEX bd_commission_by_month ON bd_assistant_recharge_commission (tenant_id, site_id, stat_month);

CREATE TABLE bd_member_winback_index (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL, wbi REAL NOT NULL, calc_date TEXT NOT NULL,
    days_since_last_visit INTEGER,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, calc_date)
) WITHOUT ROWID;
CREATE INDEX bd_wbi_by_date ON bd_member_winback_index (tenant_id, site_id, calc_date, wbi DESC);

CREATE TABLE bd_member_spending_power_index (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL, spi REAL NOT NULL, calc_date TEXT NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, calc_date)
) WITHOUT ROWID;
CREATE INDEX bd_spi_by_date ON bd_member_spending_power_index (tenant_id, site_id, calc_date, spi DESC);

-- v_dwd_recharge_order; biz_date from pay_time.
CREATE TABLE bd_recharge_order (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    recharge_order_id INTEGER NOT NULL, tenant_member_id INTEGER NOT NULL, card_account_id INTEGER,
    pay_time INTEGER NOT NULL, pay_amount_fen INTEGER NOT NULL, gift_amount_fen INTEGER NOT NULL,
    pay_channel TEXT, is_delete INTEGER NOT NULL CHECK (is_delete = 0 OR is_delete = 1),
    refund_amount_fen INTEGER NOT NULL,
    biz_date TEXT NOT NULL, etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, recharge_order_id)
) WITHOUT ROWID;
CREATE INDEX bd_ro_by_member ON bd_recharge_order (tenant_id, site_id, tenant_member_id, biz_date);
CREATE INDEX bd_ro_by_day ON bd_recharge_order (tenant_id, site_id, biz_date);

-- v_dws_member_visit_detail; biz_date from first_in_time.
CREATE TABLE bd_member_visit_detail (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL, first_in_time INTEGER NOT NULL, last_out_time INTEGER,
    biz_date TEXT NOT NULL, etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, biz_date)
) WITHOUT ROWID;
CREATE INDEX bd_visit_by_day ON bd_member_visit_detail (tenant_id, site_id, biz_date);

CREATE TABLE bd_member_consumption_summary (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    tenant_member_id INTEGER NOT NULL, calc_date TEXT NOT NULL,
    visits_60d INTEGER NOT NULL, amount_60d_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, calc_date)
) WITHOUT ROWID;
CREATE INDEX bd_consumption_by_date ON bd_member_consumption_summary (tenant_id, site_id, calc_date);

-- The finance daily views: one row per business day (the ETL's date), read by period ranges on the key.
CREATE TABLE bd_finance_daily_summary (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL,
    cash_wechat_fen INTEGER NOT NULL, cash_alipay_fen INTEGER NOT NULL, cash_cash_fen INTEGER NOT NULL,
    cash_bank_fen INTEGER NOT NULL, cash_recharge_fen INTEGER NOT NULL, cash_platform_gross_fen INTEGER NOT NULL,
    tender_stored_value_fen INTEGER NOT NULL, tender_gift_fen INTEGER NOT NULL, tender_voucher_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date)
) WITHOUT ROWID;

CREATE TABLE bd_finance_recharge_summary (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL,
    card_type TEXT NOT NULL CHECK (card_type = 'stored_value' OR card_type = 'gift'),
    opening_balance_fen INTEGER NOT NULL, added_amount_fen INTEGER NOT NULL, consumed_amount_fen INTEGER NOT NULL,
    refund_amount_fen INTEGER NOT NULL, adjust_amount_fen INTEGER NOT NULL, closing_balance_fen INTEGER NOT NULL,
    active_cards INTEGER,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, card_type)
) WITHOUT ROWID;

CREATE TABLE bd_finance_income_structure (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL, category TEXT NOT NULL,
    gross_amount_fen INTEGER NOT NULL, discount_amount_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, category)
) WITHOUT ROWID;

CREATE TABLE bd_finance_discount_detail (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL, discount_type TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, discount_type)
) WITHOUT ROWID;

CREATE TABLE bd_finance_expense_summary (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL,
    expense_group TEXT NOT NULL, expense_item TEXT NOT NULL, amount_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, expense_group, expense_item)
) WITHOUT ROWID;

CREATE TABLE bd_platform_settlement (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, biz_date TEXT NOT NULL, platform TEXT NOT NULL,
    gross_settled_fen INTEGER NOT NULL, fee_fen INTEGER NOT NULL, net_received_fen INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, platform)
) WITHOUT ROWID;

-- biz.coach_tasks: who follows up a member (BOARD-2 pins the active one).
CREATE TABLE bd_coach_tasks (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    site_assistant_id INTEGER NOT NULL, tenant_member_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status = 'active' OR status = 'inactive'),
    updated_at INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id, tenant_member_id)
) WITHOUT ROWID;
CREATE INDEX bd_tasks_by_member ON bd_coach_tasks (tenant_id, site_id, tenant_member_id, status, updated_at);

CREATE TABLE bd_etl_watermark (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, dataset TEXT NOT NULL,
    loaded_through_biz_date TEXT NOT NULL, loaded_at INTEGER NOT NULL,
    etl_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, dataset)
) WITHOUT ROWID;

-- One row per load (riskdesk board load, later sync): where etl_version comes from.
CREATE TABLE bd_loads (
    tenant_id TEXT NOT NULL, etl_version INTEGER NOT NULL,
    loaded_at INTEGER NOT NULL, source TEXT NOT NULL, row_count INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, etl_version)
) WITHOUT ROWID;

-- The sites each user may see (from the last sync, or granted locally); every board query joins it.
CREATE TABLE bd_user_sites (
    user_id TEXT NOT NULL, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    PRIMARY KEY (user_id, tenant_id, site_id)
) WITHOUT ROWID;

-- BOARD-4 (§9.2): SLA targets by severity, and one row per (rule, event) evaluation.
CREATE TABLE sla_policy (
    tenant_id TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity = 'low' OR severity = 'medium' OR severity = 'high'
                                  OR severity = 'critical'),
    sla_minutes INTEGER NOT NULL CHECK (sla_minutes > 0),
    PRIMARY KEY (tenant_id, severity)
) WITHOUT ROWID;

CREATE TABLE rule_outcomes (
    tenant_id TEXT NOT NULL, rule_id TEXT NOT NULL, rule_version INTEGER NOT NULL,
    target_type TEXT NOT NULL, target_id TEXT NOT NULL, event_id TEXT NOT NULL, occurred_at INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome = 'hit' OR outcome = 'pass' OR outcome = 'needs_supplement'
                                 OR outcome = 'unreadable'),
    waived INTEGER NOT NULL DEFAULT 0 CHECK (waived = 0 OR waived = 1),
    amount_cents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, rule_id, target_type, target_id, occurred_at, event_id)
) WITHOUT ROWID;
-- Q-metrics over a period for all rules, and per rule.
CREATE INDEX rule_outcomes_by_time ON rule_outcomes (tenant_id, occurred_at);
CREATE INDEX rule_outcomes_by_rule ON rule_outcomes (tenant_id, rule_id, occurred_at, outcome);
