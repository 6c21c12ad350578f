-- Board data (boards/SPEC.md §7.3): the business views of the reference, loaded by a trusted job (riskdesk
-- board load --url OWNER_URL) into schema riskdesk_board, and read by finance logins through views under the
-- reference's names. Sites are isolated by membership: a login sees the rows of the sites that
-- riskdesk.site_memberships grants it, a table it cannot write. The optional setting riskdesk.site_id (set
-- with set_config inside a transaction) only narrows that scope; it never widens it. No foreign tables: a
-- foreign table's remote session sees neither the login nor the setting (§7.4).

CREATE TABLE riskdesk.site_memberships (
    login_role name NOT NULL,
    tenant_id  text NOT NULL REFERENCES riskdesk.tenants,
    site_id    text NOT NULL CHECK (site_id <> ''),
    PRIMARY KEY (login_role, tenant_id, site_id)
);
ALTER TABLE riskdesk.site_memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.site_memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY own_site_memberships ON riskdesk.site_memberships
    USING (login_role = session_user OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
REVOKE ALL ON riskdesk.site_memberships FROM PUBLIC;
GRANT SELECT ON riskdesk.site_memberships TO riskdesk_finance;

CREATE SCHEMA riskdesk_board;
REVOKE ALL ON SCHEMA riskdesk_board FROM PUBLIC;
GRANT USAGE ON SCHEMA riskdesk_board TO riskdesk_finance;

CREATE TABLE riskdesk_board.site_settings (
    tenant_id text NOT NULL REFERENCES riskdesk.tenants, site_id text NOT NULL CHECK (site_id <> ''),
    tz text NOT NULL,
    business_day_cutoff_minutes integer CHECK (business_day_cutoff_minutes >= 0
                                               AND business_day_cutoff_minutes < 1440),
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id)
);

-- site_id '' is the tenant-wide row (CONFIG-1); a site row with the same skill_code overrides it.
CREATE TABLE riskdesk_board.cfg_skill_type (
    tenant_id text NOT NULL, site_id text NOT NULL,
    skill_code text NOT NULL, skill_name text NOT NULL,
    sort_order integer NOT NULL, is_enabled smallint NOT NULL CHECK (is_enabled = 0 OR is_enabled = 1),
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, skill_code),
    UNIQUE (tenant_id, site_id, skill_name)
);

CREATE TABLE riskdesk_board.cfg_intimacy_level (
    tenant_id text NOT NULL, level integer NOT NULL CHECK (level BETWEEN 1 AND 4),
    min_score numeric(12,4) NOT NULL, emoji text NOT NULL, label_zh text NOT NULL, label_en text NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, level)
);

CREATE TABLE riskdesk_board.assistant_service_log (
    tenant_id text NOT NULL, site_id text NOT NULL,
    assistant_service_id bigint NOT NULL,
    site_assistant_id bigint NOT NULL, tenant_member_id bigint NOT NULL,
    is_delete smallint NOT NULL CHECK (is_delete = 0 OR is_delete = 1),
    create_time timestamptz NOT NULL, start_use_time timestamptz, last_use_time timestamptz,
    income_seconds integer NOT NULL, real_use_seconds integer NOT NULL,
    ledger_amount numeric(14,2) NOT NULL, skill_name text, site_table_id bigint, etl_loaded_at timestamptz,
    biz_date date NOT NULL, etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, assistant_service_id)
);
CREATE INDEX ON riskdesk_board.assistant_service_log (tenant_id, site_id, biz_date);

CREATE TABLE riskdesk_board.assistant_salary_calc (
    tenant_id text NOT NULL, site_id text NOT NULL,
    assistant_id bigint NOT NULL, salary_month date NOT NULL,
    assistant_level_name text, tier_id bigint,
    base_hours numeric(10,2) NOT NULL, effective_hours numeric(10,2) NOT NULL,
    gross_salary numeric(14,2) NOT NULL, base_course_price numeric(14,2), bonus_course_price numeric(14,2),
    sprint_bonus numeric(14,2) NOT NULL, base_income numeric(14,2) NOT NULL, bonus_income numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, assistant_id, salary_month)
);

CREATE TABLE riskdesk_board.dim_assistant (
    tenant_id text NOT NULL, site_id text NOT NULL,
    site_assistant_id bigint NOT NULL, assistant_name text NOT NULL, assistant_no text,
    is_active smallint NOT NULL CHECK (is_active = 0 OR is_active = 1),
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id)
);

CREATE TABLE riskdesk_board.dim_assistant_skill (
    tenant_id text NOT NULL, site_id text NOT NULL,
    site_assistant_id bigint NOT NULL, skill_code text NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id, skill_code)
);

-- Members are tenant-scoped; a login sees one only through a site it may see (member_sites, G-17).
CREATE TABLE riskdesk_board.dim_member (
    tenant_id text NOT NULL, tenant_member_id bigint NOT NULL,
    member_name text, mobile text, register_site_id text,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, tenant_member_id)
);
CREATE TABLE riskdesk_board.member_sites (
    tenant_id text NOT NULL, tenant_member_id bigint NOT NULL, site_id text NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id)
);

CREATE TABLE riskdesk_board.dim_member_card_account (
    tenant_id text NOT NULL, site_id text NOT NULL,
    card_account_id bigint NOT NULL, tenant_member_id bigint NOT NULL,
    card_type text NOT NULL CHECK (card_type = 'stored_value' OR card_type = 'gift'),
    balance numeric(14,2) NOT NULL, status text NOT NULL, last_recharge_time timestamptz,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, card_account_id)
);

CREATE TABLE riskdesk_board.member_assistant_relation_index (
    tenant_id text NOT NULL, site_id text NOT NULL,
    tenant_member_id bigint NOT NULL, site_assistant_id bigint NOT NULL,
    rs_score numeric(12,4) NOT NULL, calc_date date NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, site_assistant_id, calc_date)
);

CREATE TABLE riskdesk_board.assistant_recharge_commission (
    tenant_id text NOT NULL, site_id text NOT NULL,
    site_assistant_id bigint NOT NULL, stat_month date NOT NULL,
    recharge_amount numeric(14,2) NOT NULL, recharge_count integer NOT NULL, member_count integer NOT NULL,
    commission_amount numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id, stat_month)
);

CREATE TABLE riskdesk_board.member_winback_index (
    tenant_id text NOT NULL, site_id text NOT NULL,
    tenant_member_id bigint NOT NULL, wbi numeric(12,4) NOT NULL, calc_date date NOT NULL,
    days_since_last_visit integer,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, calc_date)
);

CREATE TABLE riskdesk_board.member_spending_power_index (
    tenant_id text NOT NULL, site_id text NOT NULL,
    tenant_member_id bigint NOT NULL, spi numeric(12,4) NOT NULL, calc_date date NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, calc_date)
);

CREATE TABLE riskdesk_board.recharge_order (
    tenant_id text NOT NULL, site_id text NOT NULL,
    recharge_order_id bigint NOT NULL, tenant_member_id bigint NOT NULL, card_account_id bigint,
    pay_time timestamptz NOT NULL, pay_amount numeric(14,2) NOT NULL, gift_amount numeric(14,2) NOT NULL,
    pay_channel text, is_delete smallint NOT NULL CHECK (is_delete = 0 OR is_delete = 1),
    refund_amount numeric(14,2) NOT NULL,
    biz_date date NOT NULL, etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, recharge_order_id)
);

CREATE TABLE riskdesk_board.member_visit_detail (
    tenant_id text NOT NULL, site_id text NOT NULL,
    tenant_member_id bigint NOT NULL, first_in_time timestamptz NOT NULL, last_out_time timestamptz,
    biz_date date NOT NULL, etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, biz_date)
);

CREATE TABLE riskdesk_board.member_consumption_summary (
    tenant_id text NOT NULL, site_id text NOT NULL,
    tenant_member_id bigint NOT NULL, calc_date date NOT NULL,
    visits_60d integer NOT NULL, amount_60d numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, tenant_member_id, calc_date)
);

CREATE TABLE riskdesk_board.finance_daily_summary (
    tenant_id text NOT NULL, site_id text NOT NULL, biz_date date NOT NULL,
    cash_wechat numeric(14,2) NOT NULL, cash_alipay numeric(14,2) NOT NULL, cash_cash numeric(14,2) NOT NULL,
    cash_bank numeric(14,2) NOT NULL, cash_recharge numeric(14,2) NOT NULL,
    cash_platform_gross numeric(14,2) NOT NULL,
    tender_stored_value numeric(14,2) NOT NULL, tender_gift numeric(14,2) NOT NULL,
    tender_voucher numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date)
);

CREATE TABLE riskdesk_board.finance_recharge_summary (
    tenant_id text NOT NULL, site_id text NOT NULL, biz_date date NOT NULL,
    card_type text NOT NULL CHECK (card_type = 'stored_value' OR card_type = 'gift'),
    opening_balance numeric(14,2) NOT NULL, added_amount numeric(14,2) NOT NULL,
    consumed_amount numeric(14,2) NOT NULL, refund_amount numeric(14,2) NOT NULL,
    adjust_amount numeric(14,2) NOT NULL, closing_balance numeric(14,2) NOT NULL, active_cards integer,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, card_type)
);

CREATE TABLE riskdesk_board.finance_income_structure (
    tenant_id text NOT NULL, site_id text NOT NULL, biz_date date NOT NULL, category text NOT NULL,
    gross_amount numeric(14,2) NOT NULL, discount_amount numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, category)
);

CREATE TABLE riskdesk_board.finance_discount_detail (
    tenant_id text NOT NULL, site_id text NOT NULL, biz_date date NOT NULL, discount_type text NOT NULL,
    amount numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, discount_type)
);

CREATE TABLE riskdesk_board.finance_expense_summary (
    tenant_id text NOT NULL, site_id text NOT NULL, biz_date date NOT NULL,
    expense_group text NOT NULL, expense_item text NOT NULL, amount numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, expense_group, expense_item)
);

CREATE TABLE riskdesk_board.platform_settlement (
    tenant_id text NOT NULL, site_id text NOT NULL, biz_date date NOT NULL, platform text NOT NULL,
    gross_settled numeric(14,2) NOT NULL, fee numeric(14,2) NOT NULL, net_received numeric(14,2) NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, biz_date, platform)
);

CREATE TABLE riskdesk_board.coach_tasks (
    tenant_id text NOT NULL, site_id text NOT NULL,
    site_assistant_id bigint NOT NULL, tenant_member_id bigint NOT NULL,
    status text NOT NULL CHECK (status = 'active' OR status = 'inactive'),
    updated_at timestamptz NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, site_assistant_id, tenant_member_id)
);

CREATE TABLE riskdesk_board.etl_watermark (
    tenant_id text NOT NULL, site_id text NOT NULL, dataset text NOT NULL,
    loaded_through_biz_date date NOT NULL, loaded_at timestamptz NOT NULL,
    etl_version bigint NOT NULL,
    PRIMARY KEY (tenant_id, site_id, dataset)
);

-- One row per load: where etl_version comes from. Only the loader reads it.
CREATE TABLE riskdesk_board.loads (
    tenant_id text NOT NULL REFERENCES riskdesk.tenants, etl_version bigint NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(), source text NOT NULL, row_count bigint NOT NULL,
    PRIMARY KEY (tenant_id, etl_version)
);

-- Row-level security, enabled and forced on every table (the owner is filtered too, so the loader sees what
-- riskdesk_admin may see). session_user, not current_user: SET ROLE does not change it.
DO $rls$
DECLARE
    t text;
    -- A row of site S of tenant T is visible when the login holds a membership for (T, S), and S is the site
    -- the optional setting names, if it names one.
    site_rule constant text :=
        '(EXISTS (SELECT 1 FROM riskdesk.site_memberships m WHERE m.login_role = session_user '
        '         AND m.tenant_id = %1$I.tenant_id AND m.site_id = %1$I.site_id) '
        ' OR pg_catalog.pg_has_role(session_user, ''riskdesk_admin'', ''MEMBER'')) '
        'AND %1$I.site_id = COALESCE(NULLIF(pg_catalog.current_setting(''riskdesk.site_id'', true), ''''), '
        '                            %1$I.site_id)';
BEGIN
    FOREACH t IN ARRAY ARRAY['site_settings', 'assistant_service_log', 'assistant_salary_calc', 'dim_assistant',
                             'dim_assistant_skill', 'member_sites', 'dim_member_card_account',
                             'member_assistant_relation_index', 'assistant_recharge_commission',
                             'member_winback_index', 'member_spending_power_index', 'recharge_order',
                             'member_visit_detail', 'member_consumption_summary', 'finance_daily_summary',
                             'finance_recharge_summary', 'finance_income_structure', 'finance_discount_detail',
                             'finance_expense_summary', 'platform_settlement', 'coach_tasks', 'etl_watermark']
    LOOP
        EXECUTE format('CREATE POLICY site_scope ON riskdesk_board.%I USING (' || site_rule || ')', t);
    END LOOP;
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'riskdesk_board'::regnamespace AND c.relkind = 'r' LOOP
        EXECUTE format('ALTER TABLE riskdesk_board.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE riskdesk_board.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$rls$;

-- Tenant-wide skill rows (site_id '') belong to every site of the tenant; narrowing keeps them.
CREATE POLICY site_scope ON riskdesk_board.cfg_skill_type
    USING ((EXISTS (SELECT 1 FROM riskdesk.site_memberships m
                     WHERE m.login_role = session_user AND m.tenant_id = cfg_skill_type.tenant_id
                       AND (cfg_skill_type.site_id = '' OR m.site_id = cfg_skill_type.site_id)
                       AND m.site_id = COALESCE(NULLIF(pg_catalog.current_setting('riskdesk.site_id', true), ''),
                                                m.site_id))
            OR pg_catalog.pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'))
           AND (cfg_skill_type.site_id = ''
                OR cfg_skill_type.site_id = COALESCE(NULLIF(pg_catalog.current_setting('riskdesk.site_id', true),
                                                            ''), cfg_skill_type.site_id)));
CREATE POLICY tenant_scope ON riskdesk_board.cfg_intimacy_level
    USING (EXISTS (SELECT 1 FROM riskdesk.site_memberships m
                    WHERE m.login_role = session_user AND m.tenant_id = cfg_intimacy_level.tenant_id)
           OR pg_catalog.pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
-- A member is visible through a site the login may see (and the setting does not narrow away): member_sites
-- is itself filtered by site_scope, so the subquery sees only those sites.
CREATE POLICY member_scope ON riskdesk_board.dim_member
    USING (EXISTS (SELECT 1 FROM riskdesk_board.member_sites s
                    WHERE s.tenant_id = dim_member.tenant_id AND s.tenant_member_id = dim_member.tenant_member_id)
           OR (pg_catalog.pg_has_role(session_user, 'riskdesk_admin', 'MEMBER')
               AND NULLIF(pg_catalog.current_setting('riskdesk.site_id', true), '') IS NULL));
CREATE POLICY loader_only ON riskdesk_board.loads
    USING (pg_catalog.pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));

-- The reference's names, evaluated with the reader's own policies.
DO $views$
DECLARE
    v text[];
BEGIN
    FOREACH v SLICE 1 IN ARRAY ARRAY[
        ['v_dwd_assistant_service_log', 'assistant_service_log'],
        ['v_dws_assistant_salary_calc', 'assistant_salary_calc'],
        ['v_dim_assistant', 'dim_assistant'],
        ['v_dim_assistant_skill', 'dim_assistant_skill'],
        ['v_dim_member', 'dim_member'],
        ['v_dim_member_card_account', 'dim_member_card_account'],
        ['v_dws_member_assistant_relation_index', 'member_assistant_relation_index'],
        ['v_dws_assistant_recharge_commission', 'assistant_recharge_commission'],
        ['v_dws_member_winback_index', 'member_winback_index'],
        ['v_dws_member_spending_power_index', 'member_spending_power_index'],
        ['v_dwd_recharge_order', 'recharge_order'],
        ['v_dws_member_visit_detail', 'member_visit_detail'],
        ['v_dws_member_consumption_summary', 'member_consumption_summary'],
        ['v_dws_finance_daily_summary', 'finance_daily_summary'],
        ['v_dws_finance_recharge_summary', 'finance_recharge_summary'],
        ['v_dws_finance_income_structure', 'finance_income_structure'],
        ['v_dws_finance_discount_detail', 'finance_discount_detail'],
        ['v_dws_finance_expense_summary', 'finance_expense_summary']]
    LOOP
        EXECUTE format('CREATE VIEW riskdesk_board.%I WITH (security_invoker = true) AS '
                       'SELECT * FROM riskdesk_board.%I', v[1], v[2]);
    END LOOP;
END
$views$;

-- Finance logins read; nobody but the loader writes.
REVOKE ALL ON ALL TABLES IN SCHEMA riskdesk_board FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA riskdesk_board TO riskdesk_finance;
REVOKE SELECT ON riskdesk_board.loads FROM riskdesk_finance;
