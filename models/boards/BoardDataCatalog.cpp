#include "BoardDataCatalog.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using K = BoardColumn::Kind;

BoardColumn col(const QString& name, K kind, bool optional = false) {
    BoardColumn c;
    c.name = name;
    c.kind = kind;
    c.optional = optional;
    return c;
}
BoardColumn integer(const QString& name, qint64 minimum, qint64 maximum, bool optional = false) {
    BoardColumn c = col(name, K::Integer, optional);
    c.minimum = minimum;
    c.maximum = maximum;
    return c;
}
BoardColumn oneOf(const QString& name, const QStringList& allowed) {
    BoardColumn c = col(name, K::Text);
    c.allowed = allowed;
    return c;
}
BoardColumn id(const QString& name, bool optional = false) {
    return integer(name, 0, std::numeric_limits<qint64>::max(), optional);
}
BoardColumn site() {
    return col(u"site_id"_s, K::SiteId);
}

constexpr qint64 kMaxInt = 2147483647;

QList<BoardDataset> build() {
    QList<BoardDataset> all;
    all.append({u"site_settings"_s,
                u"site_settings"_s,
                {site(), col(u"tz"_s, K::TimeZone), integer(u"business_day_cutoff_minutes"_s, 0, 1439, true)},
                {u"site_id"_s},
                {u"site_id"_s},
                {},
                false});
    all.append(
        {u"cfg_skill_type"_s,
         u"cfg_skill_type"_s,
         {col(u"site_id"_s, K::SkillSite, true), col(u"skill_code"_s, K::Id), col(u"skill_name"_s, K::Text),
          integer(u"sort_order"_s, -kMaxInt, kMaxInt), col(u"is_enabled"_s, K::Flag)},
         {u"site_id"_s, u"skill_code"_s},
         {u"site_id"_s},
         {},
         false});
    all.append({u"cfg_intimacy_level"_s,
                u"cfg_intimacy_level"_s,
                {integer(u"level"_s, 1, 4), col(u"min_score"_s, K::Decimal), col(u"emoji"_s, K::Text),
                 col(u"label_zh"_s, K::Text), col(u"label_en"_s, K::Text)},
                {u"level"_s},
                {},
                {},
                false});
    all.append({u"v_dwd_assistant_service_log"_s,
                u"assistant_service_log"_s,
                {site(), id(u"assistant_service_id"_s), id(u"site_assistant_id"_s), id(u"tenant_member_id"_s),
                 col(u"is_delete"_s, K::Flag), col(u"create_time"_s, K::Time),
                 col(u"start_use_time"_s, K::Time, true), col(u"last_use_time"_s, K::Time, true),
                 integer(u"income_seconds"_s, 0, kMaxInt), integer(u"real_use_seconds"_s, 0, kMaxInt),
                 col(u"ledger_amount"_s, K::Money), col(u"skill_name"_s, K::Text, true),
                 id(u"site_table_id"_s, true), col(u"etl_loaded_at"_s, K::Time, true)},
                {u"site_id"_s, u"assistant_service_id"_s},
                {u"site_id"_s, u"biz_date"_s},
                u"create_time"_s,
                false});
    all.append({u"v_dws_assistant_salary_calc"_s,
                u"assistant_salary_calc"_s,
                {site(), id(u"assistant_id"_s), col(u"salary_month"_s, K::Month),
                 col(u"assistant_level_name"_s, K::Text, true), id(u"tier_id"_s, true),
                 col(u"base_hours"_s, K::Decimal), col(u"effective_hours"_s, K::Decimal),
                 col(u"gross_salary"_s, K::Money), col(u"base_course_price"_s, K::Money, true),
                 col(u"bonus_course_price"_s, K::Money, true), col(u"sprint_bonus"_s, K::Money),
                 col(u"base_income"_s, K::Money), col(u"bonus_income"_s, K::Money)},
                {u"site_id"_s, u"assistant_id"_s, u"salary_month"_s},
                {u"site_id"_s, u"salary_month"_s},
                {},
                false});
    all.append({u"v_dim_assistant"_s,
                u"dim_assistant"_s,
                {site(), id(u"site_assistant_id"_s), col(u"assistant_name"_s, K::Text),
                 col(u"assistant_no"_s, K::Text, true), col(u"is_active"_s, K::Flag)},
                {u"site_id"_s, u"site_assistant_id"_s},
                {u"site_id"_s},
                {},
                false});
    all.append({u"v_dim_assistant_skill"_s,
                u"dim_assistant_skill"_s,
                {site(), id(u"site_assistant_id"_s), col(u"skill_code"_s, K::Id)},
                {u"site_id"_s, u"site_assistant_id"_s, u"skill_code"_s},
                {u"site_id"_s},
                {},
                false});
    all.append({u"v_dim_member"_s,
                u"dim_member"_s,
                {id(u"tenant_member_id"_s), col(u"member_name"_s, K::Text, true),
                 col(u"mobile"_s, K::Text, true), col(u"register_site_id"_s, K::SkillSite, true)},
                {u"tenant_member_id"_s},
                {},
                {},
                true});
    all.append({u"v_dim_member_card_account"_s,
                u"dim_member_card_account"_s,
                {site(), id(u"card_account_id"_s), id(u"tenant_member_id"_s),
                 oneOf(u"card_type"_s, {u"stored_value"_s, u"gift"_s}), col(u"balance"_s, K::Money),
                 col(u"status"_s, K::Text), col(u"last_recharge_time"_s, K::Time, true)},
                {u"site_id"_s, u"card_account_id"_s},
                {u"site_id"_s},
                {},
                false});
    all.append({u"v_dws_member_assistant_relation_index"_s,
                u"member_assistant_relation_index"_s,
                {site(), id(u"tenant_member_id"_s), id(u"site_assistant_id"_s),
                 col(u"rs_score"_s, K::Decimal), col(u"calc_date"_s, K::Date)},
                {u"site_id"_s, u"tenant_member_id"_s, u"site_assistant_id"_s, u"calc_date"_s},
                {u"site_id"_s, u"calc_date"_s},
                {},
                false});
    all.append({u"v_dws_assistant_recharge_commission"_s,
                u"assistant_recharge_commission"_s,
                {site(), id(u"site_assistant_id"_s), col(u"stat_month"_s, K::Month),
                 col(u"recharge_amount"_s, K::Money), integer(u"recharge_count"_s, 0, kMaxInt),
                 integer(u"member_count"_s, 0, kMaxInt), col(u"commission_amount"_s, K::Money)},
                {u"site_id"_s, u"site_assistant_id"_s, u"stat_month"_s},
                {u"site_id"_s, u"stat_month"_s},
                {},
                false});
    all.append({u"v_dws_member_winback_index"_s,
                u"member_winback_index"_s,
                {site(), id(u"tenant_member_id"_s), col(u"wbi"_s, K::Decimal), col(u"calc_date"_s, K::Date),
                 integer(u"days_since_last_visit"_s, 0, kMaxInt, true)},
                {u"site_id"_s, u"tenant_member_id"_s, u"calc_date"_s},
                {u"site_id"_s, u"calc_date"_s},
                {},
                false});
    all.append({u"v_dws_member_spending_power_index"_s,
                u"member_spending_power_index"_s,
                {site(), id(u"tenant_member_id"_s), col(u"spi"_s, K::Decimal), col(u"calc_date"_s, K::Date)},
                {u"site_id"_s, u"tenant_member_id"_s, u"calc_date"_s},
                {u"site_id"_s, u"calc_date"_s},
                {},
                false});
    all.append({u"v_dwd_recharge_order"_s,
                u"recharge_order"_s,
                {site(), id(u"recharge_order_id"_s), id(u"tenant_member_id"_s),
                 id(u"card_account_id"_s, true), col(u"pay_time"_s, K::Time), col(u"pay_amount"_s, K::Money),
                 col(u"gift_amount"_s, K::Money), col(u"pay_channel"_s, K::Text, true),
                 col(u"is_delete"_s, K::Flag), col(u"refund_amount"_s, K::Money)},
                {u"site_id"_s, u"recharge_order_id"_s},
                {u"site_id"_s, u"biz_date"_s},
                u"pay_time"_s,
                false});
    all.append({u"v_dws_member_visit_detail"_s,
                u"member_visit_detail"_s,
                {site(), id(u"tenant_member_id"_s), col(u"first_in_time"_s, K::Time),
                 col(u"last_out_time"_s, K::Time, true)},
                {u"site_id"_s, u"tenant_member_id"_s, u"biz_date"_s},
                {u"site_id"_s, u"biz_date"_s},
                u"first_in_time"_s,
                false});
    all.append({u"v_dws_member_consumption_summary"_s,
                u"member_consumption_summary"_s,
                {site(), id(u"tenant_member_id"_s), col(u"calc_date"_s, K::Date),
                 integer(u"visits_60d"_s, 0, kMaxInt), col(u"amount_60d"_s, K::Money)},
                {u"site_id"_s, u"tenant_member_id"_s, u"calc_date"_s},
                {u"site_id"_s, u"calc_date"_s},
                {},
                false});
    all.append({u"v_dws_finance_daily_summary"_s,
                u"finance_daily_summary"_s,
                {site(), col(u"biz_date"_s, K::Date), col(u"cash_wechat"_s, K::Money),
                 col(u"cash_alipay"_s, K::Money), col(u"cash_cash"_s, K::Money),
                 col(u"cash_bank"_s, K::Money), col(u"cash_recharge"_s, K::Money),
                 col(u"cash_platform_gross"_s, K::Money), col(u"tender_stored_value"_s, K::Money),
                 col(u"tender_gift"_s, K::Money), col(u"tender_voucher"_s, K::Money)},
                {u"site_id"_s, u"biz_date"_s},
                {u"site_id"_s, u"biz_date"_s},
                {},
                false});
    all.append({u"v_dws_finance_recharge_summary"_s,
                u"finance_recharge_summary"_s,
                {site(), col(u"biz_date"_s, K::Date), oneOf(u"card_type"_s, {u"stored_value"_s, u"gift"_s}),
                 col(u"opening_balance"_s, K::Money), col(u"added_amount"_s, K::Money),
                 col(u"consumed_amount"_s, K::Money), col(u"refund_amount"_s, K::Money),
                 col(u"adjust_amount"_s, K::Money), col(u"closing_balance"_s, K::Money),
                 integer(u"active_cards"_s, 0, kMaxInt, true)},
                {u"site_id"_s, u"biz_date"_s, u"card_type"_s},
                {u"site_id"_s, u"biz_date"_s},
                {},
                false});
    all.append({u"v_dws_finance_income_structure"_s,
                u"finance_income_structure"_s,
                {site(), col(u"biz_date"_s, K::Date), col(u"category"_s, K::Text),
                 col(u"gross_amount"_s, K::Money), col(u"discount_amount"_s, K::Money)},
                {u"site_id"_s, u"biz_date"_s, u"category"_s},
                {u"site_id"_s, u"biz_date"_s},
                {},
                false});
    all.append(
        {u"v_dws_finance_discount_detail"_s,
         u"finance_discount_detail"_s,
         {site(), col(u"biz_date"_s, K::Date), col(u"discount_type"_s, K::Text), col(u"amount"_s, K::Money)},
         {u"site_id"_s, u"biz_date"_s, u"discount_type"_s},
         {u"site_id"_s, u"biz_date"_s},
         {},
         false});
    all.append({u"v_dws_finance_expense_summary"_s,
                u"finance_expense_summary"_s,
                {site(), col(u"biz_date"_s, K::Date), col(u"expense_group"_s, K::Text),
                 col(u"expense_item"_s, K::Text), col(u"amount"_s, K::Money)},
                {u"site_id"_s, u"biz_date"_s, u"expense_group"_s, u"expense_item"_s},
                {u"site_id"_s, u"biz_date"_s},
                {},
                false});
    all.append(
        {u"platform_settlement"_s,
         u"platform_settlement"_s,
         {site(), col(u"biz_date"_s, K::Date), col(u"platform"_s, K::Text), col(u"gross_settled"_s, K::Money),
          col(u"fee"_s, K::Money), col(u"net_received"_s, K::Money)},
         {u"site_id"_s, u"biz_date"_s, u"platform"_s},
         {u"site_id"_s, u"biz_date"_s},
         {},
         false});
    all.append({u"coach_tasks"_s,
                u"coach_tasks"_s,
                {site(), id(u"site_assistant_id"_s), id(u"tenant_member_id"_s),
                 oneOf(u"status"_s, {u"active"_s, u"inactive"_s}), col(u"updated_at"_s, K::Time)},
                {u"site_id"_s, u"site_assistant_id"_s, u"tenant_member_id"_s},
                {u"site_id"_s},
                {},
                false});
    all.append({u"etl_watermark"_s,
                u"etl_watermark"_s,
                {site(), col(u"dataset"_s, K::Id), col(u"loaded_through_biz_date"_s, K::Date),
                 col(u"loaded_at"_s, K::Time)},
                {u"site_id"_s, u"dataset"_s},
                {u"site_id"_s},
                {},
                false});
    return all;
}

} // namespace

int BoardDataset::columnIndex(const QString& name) const {
    for (int i = 0; i < columns.size(); ++i)
        if (columns.at(i).name == name)
            return i;
    return -1;
}

const QList<BoardDataset>& BoardDataCatalog::datasets() {
    static const QList<BoardDataset> all = build();
    return all;
}

const BoardDataset* BoardDataCatalog::byFile(const QString& file) {
    for (const BoardDataset& d : datasets())
        if (d.file == file)
            return &d;
    return nullptr;
}

} // namespace riskdesk
