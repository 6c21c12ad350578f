#include "DemoBoardGenerator.h"

#include "boards/SiteClock.h"

#include <QDate>
#include <QHash>
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <tuple>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

DemoBoardRow& DemoBoardRow::integer(qint64 v) {
    m_cells.append(Cell{Cell::Integer, v, 0, {}});
    return *this;
}
DemoBoardRow& DemoBoardRow::real(double v) {
    m_cells.append(Cell{Cell::Real, 0, v, {}});
    return *this;
}
DemoBoardRow& DemoBoardRow::text(const QByteArray& v) {
    m_cells.append(Cell{Cell::Text, 0, 0, v});
    return *this;
}
DemoBoardRow& DemoBoardRow::null() {
    m_cells.append(Cell{});
    return *this;
}

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kHour = 3600 * kSecond;
constexpr qint64 kDay = 24 * kHour;

struct TableSpec {
    const char* name;
    QList<QByteArray> columns;
};

const QList<TableSpec>& tableSpecs() {
    static const QList<TableSpec> specs{
        {"bd_site_settings", {"tenant_id", "site_id", "tz", "business_day_cutoff_minutes", "etl_version"}},
        {"bd_cfg_skill_type",
         {"tenant_id", "site_id", "skill_code", "skill_name", "sort_order", "is_enabled", "etl_version"}},
        {"bd_dim_assistant",
         {"tenant_id", "site_id", "site_assistant_id", "assistant_name", "assistant_no", "is_active",
          "etl_version"}},
        {"bd_dim_assistant_skill",
         {"tenant_id", "site_id", "site_assistant_id", "skill_code", "etl_version"}},
        {"bd_dim_member",
         {"tenant_id", "tenant_member_id", "member_name", "mobile", "register_site_id", "etl_version"}},
        {"bd_member_sites", {"tenant_id", "tenant_member_id", "site_id"}},
        {"bd_assistant_service_log",
         {"tenant_id", "site_id", "assistant_service_id", "site_assistant_id", "tenant_member_id",
          "is_delete", "create_time", "start_use_time", "last_use_time", "income_seconds", "real_use_seconds",
          "ledger_amount_fen", "skill_name", "site_table_id", "etl_loaded_at", "biz_date", "etl_version"}},
        {"bd_recharge_order",
         {"tenant_id", "site_id", "recharge_order_id", "tenant_member_id", "card_account_id", "pay_time",
          "pay_amount_fen", "gift_amount_fen", "pay_channel", "is_delete", "refund_amount_fen", "biz_date",
          "etl_version"}},
        {"bd_dim_member_card_account",
         {"tenant_id", "site_id", "card_account_id", "tenant_member_id", "card_type", "balance_fen", "status",
          "last_recharge_time", "etl_version"}},
        {"bd_finance_recharge_summary",
         {"tenant_id", "site_id", "biz_date", "card_type", "opening_balance_fen", "added_amount_fen",
          "consumed_amount_fen", "refund_amount_fen", "adjust_amount_fen", "closing_balance_fen",
          "active_cards", "etl_version"}},
        {"bd_finance_daily_summary",
         {"tenant_id", "site_id", "biz_date", "cash_wechat_fen", "cash_alipay_fen", "cash_cash_fen",
          "cash_bank_fen", "cash_recharge_fen", "cash_platform_gross_fen", "tender_stored_value_fen",
          "tender_gift_fen", "tender_voucher_fen", "etl_version"}},
        {"bd_finance_income_structure",
         {"tenant_id", "site_id", "biz_date", "category", "gross_amount_fen", "discount_amount_fen",
          "etl_version"}},
        {"bd_finance_discount_detail",
         {"tenant_id", "site_id", "biz_date", "discount_type", "amount_fen", "etl_version"}},
        {"bd_platform_settlement",
         {"tenant_id", "site_id", "biz_date", "platform", "gross_settled_fen", "fee_fen", "net_received_fen",
          "etl_version"}},
        {"bd_assistant_salary_calc",
         {"tenant_id", "site_id", "assistant_id", "salary_month", "assistant_level_name", "tier_id",
          "base_hours", "effective_hours", "gross_salary_fen", "base_course_price_fen",
          "bonus_course_price_fen", "sprint_bonus_fen", "base_income_fen", "bonus_income_fen",
          "etl_version"}},
        {"bd_finance_expense_summary",
         {"tenant_id", "site_id", "biz_date", "expense_group", "expense_item", "amount_fen", "etl_version"}},
        {"bd_assistant_recharge_commission",
         {"tenant_id", "site_id", "site_assistant_id", "stat_month", "recharge_amount_fen", "recharge_count",
          "member_count", "commission_amount_fen", "etl_version"}},
        {"bd_member_assistant_relation_index",
         {"tenant_id", "site_id", "tenant_member_id", "site_assistant_id", "rs_score", "calc_date",
          "etl_version"}},
        {"bd_member_winback_index",
         {"tenant_id", "site_id", "tenant_member_id", "wbi", "calc_date", "days_since_last_visit",
          "etl_version"}},
        {"bd_member_spending_power_index",
         {"tenant_id", "site_id", "tenant_member_id", "spi", "calc_date", "etl_version"}},
        {"bd_member_consumption_summary",
         {"tenant_id", "site_id", "tenant_member_id", "calc_date", "visits_60d", "amount_60d_fen",
          "etl_version"}},
        {"bd_member_visit_detail",
         {"tenant_id", "site_id", "tenant_member_id", "first_in_time", "last_out_time", "biz_date",
          "etl_version"}},
        {"bd_coach_tasks",
         {"tenant_id", "site_id", "site_assistant_id", "tenant_member_id", "status", "updated_at",
          "etl_version"}},
        {"bd_etl_watermark",
         {"tenant_id", "site_id", "dataset", "loaded_through_biz_date", "loaded_at", "etl_version"}},
        {"bd_user_sites", {"user_id", "tenant_id", "site_id"}},
        {"bd_loads", {"tenant_id", "etl_version", "loaded_at", "source", "row_count"}},
    };
    return specs;
}

// The volume of one site at scale 1 (spec §10.9), and when its customers come.
struct SiteShape {
    QByteArray siteId;
    std::optional<int> cutoffMinutes;
    int coaches, members, logs, orders;
    int voidEvery, refundEvery;      // every n-th log is voided, every n-th order refunded
    qint64 openSeconds, spanSeconds; // service times: this long after the business day starts, over this span
    qint64 idBase, coachBase;        // site-local ids of this site start above these
    qint64 rentYuan, staffYuan, utilitiesYuan;
};

struct Skill {
    QByteArray code, name;
    int sort;
    bool enabled;
};

const QList<Skill>& skills() {
    static const QList<Skill> all{{"snk", "斯诺克", 1, true},
                                  {"zb8", "中式八球", 2, true},
                                  {"kl", "开伦", 3, true},
                                  {"nb9", "九球", 4, false}};
    return all;
}

const QList<QString>& surnames() {
    static const QList<QString> all{u"王"_s, u"李"_s, u"张"_s, u"刘"_s, u"陈"_s, u"杨"_s, u"黄"_s, u"赵"_s,
                                    u"吴"_s, u"周"_s, u"徐"_s, u"孙"_s, u"马"_s, u"朱"_s, u"胡"_s, u"郭"_s,
                                    u"何"_s, u"林"_s, u"罗"_s, u"高"_s, u"郑"_s, u"梁"_s, u"谢"_s, u"宋"_s};
    return all;
}

const QString& givenChars() {
    static const QString all =
        u"伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞晨雪琳悦婷欣宇浩然"_s;
    return all;
}

double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}

QByteArray month(const QDate& d) {
    return QDate(d.year(), d.month(), 1).toString(Qt::ISODate).toLatin1();
}

class SiteBuilder {
public:
    SiteBuilder(const DemoBoardOptions& options, const SiteShape& shape, const SiteClock& clock, quint64 salt,
                DemoBoardSink& sink, DemoBoardSummary& summary)
        : m_o(options), m_shape(shape), m_clock(clock), m_rng(options.seed * 0x9E3779B97F4A7C15ULL + salt),
          m_sink(sink), m_summary(summary), m_tenant(options.tenantId.toUtf8()) {}

    // Members of this site: (tenant_member_id, registered here). Coaches get ids above the site's base.
    Status run(const std::vector<std::pair<qint64, bool>>& members, DemoBoardSiteCounts& counts);

private:
    struct Coach {
        qint64 id;
        qint64 priceFen; // per hour
        QList<int> skills;
    };
    struct Member {
        qint64 id;
        int primary, secondary;
        int storedAccount = -1, giftAccount = -1;
        std::vector<int> logs; // valid logs, in time order
    };
    struct Account {
        qint64 id;
        int member;
        bool gift;
        qint64 balance = 0;
        qint64 lastRecharge = 0; // 0: never
    };
    struct Log {
        qint64 id;
        int member, coach, day, skill, table;
        qint64 create, start;
        int incomeSeconds, realSeconds;
        qint64 ledger;
        bool voided;
    };
    struct Order {
        qint64 id;
        int member, day;
        qint64 pay, gift, refund, time;
        int account;
        QByteArray channel;
    };
    struct DayFigures {
        qint64 coachLedger = 0, storedSpend = 0, giftSpend = 0;
        qint64 storedAdded = 0, storedRefund = 0, giftAdded = 0, giftExpired = 0;
        qint64 storedClosing = 0, giftClosing = 0;
        qint64 storedActive = 0, giftActive = 0;
        qint64 voucher = 0;
    };

    quint64 roll(quint64 n) { return n == 0 ? 0 : m_rng() % n; }
    double uniform() { return double(m_rng() >> 11) / 9007199254740992.0; }
    Status put(DemoBoardTable table) {
        m_row.integer(1); // etl_version: the demo is load 1
        ++m_summary.rows;
        Status s = m_sink.write(table, m_row);
        m_row.clear();
        return s;
    }
    DemoBoardRow& row() {
        m_row.text(m_tenant).text(m_shape.siteId);
        return m_row;
    }
    int addAccount(int member, bool gift);
    void credit(int account, qint64 amount);
    QString personName(bool twoChars);

    const DemoBoardOptions& m_o;
    const SiteShape& m_shape;
    const SiteClock& m_clock;
    std::mt19937_64 m_rng;
    DemoBoardSink& m_sink;
    DemoBoardSummary& m_summary;
    QByteArray m_tenant;
    DemoBoardRow m_row;

    std::vector<Coach> m_coaches;
    std::vector<Member> m_members;
    std::vector<Account> m_accounts;
    qint64 m_storedTotal = 0, m_giftTotal = 0, m_storedActive = 0, m_giftActive = 0;
};

QString SiteBuilder::personName(bool twoChars) {
    QString name = surnames().at(qsizetype(roll(quint64(surnames().size()))));
    const int n = twoChars ? 2 : 1;
    for (int i = 0; i < n; ++i)
        name += givenChars().at(qsizetype(roll(quint64(givenChars().size()))));
    return name;
}

int SiteBuilder::addAccount(int member, bool gift) {
    m_accounts.push_back(Account{m_shape.idBase + qint64(m_accounts.size()) + 1, member, gift});
    return int(m_accounts.size()) - 1;
}

// Every change of a balance goes through here, so the site totals and the count of cards holding value are
// always those of the accounts.
void SiteBuilder::credit(int account, qint64 amount) {
    Account& a = m_accounts[size_t(account)];
    const bool before = a.balance > 0;
    a.balance += amount;
    const bool after = a.balance > 0;
    (a.gift ? m_giftTotal : m_storedTotal) += amount;
    (a.gift ? m_giftActive : m_storedActive) += int(after) - int(before);
}

Status SiteBuilder::run(const std::vector<std::pair<qint64, bool>>& members, DemoBoardSiteCounts& counts) {
    const int scale = m_o.scale;
    const QByteArray siteId = m_shape.siteId;
    counts.siteId = QString::fromLatin1(siteId);

    // Coaches and their skills: one main enabled skill, sometimes a second, sometimes the disabled one.
    const int coachCount = m_shape.coaches * scale;
    QList<int> enabled;
    for (int s = 0; s < skills().size(); ++s)
        if (skills().at(s).enabled)
            enabled << s;
    for (int i = 0; i < coachCount; ++i) {
        Coach c{m_shape.coachBase + i + 1, 8000 + 500 * qint64(roll(10)), {enabled.at(i % enabled.size())}};
        if (roll(100) < 35)
            c.skills << enabled.at((i + 1 + int(roll(2))) % enabled.size());
        const bool disabledToo = roll(100) < 10;
        row()
            .integer(c.id)
            .text(personName(roll(3) != 0).toUtf8())
            .text(siteId + "-" + QByteArray::number(i + 1).rightJustified(4, '0'))
            .integer(1);
        if (Status s = put(DemoBoardTable::DimAssistant); !s)
            return s;
        QList<int> all = c.skills;
        if (disabledToo)
            for (int s = 0; s < skills().size(); ++s)
                if (!skills().at(s).enabled)
                    all << s;
        std::sort(all.begin(), all.end());
        for (int s : all) {
            row().integer(c.id).text(skills().at(s).code);
            if (Status st = put(DemoBoardTable::AssistantSkill); !st)
                return st;
        }
        m_coaches.push_back(c);
    }
    counts.coaches = coachCount;

    // Members: who they are (registered here), which coaches they usually book, and the stored value and gift
    // value some of them held before the first day.
    for (const auto& [id, registeredHere] : members) {
        Member m{id, int(roll(quint64(coachCount))), int(roll(quint64(coachCount))), -1, -1, {}};
        if (registeredHere) {
            m_row.text(m_tenant).integer(id).text(personName(roll(4) != 0).toUtf8());
            QByteArray mobile = "1" + QByteArray::number(3 + qint64(roll(7)));
            mobile += QByteArray::number(qint64(roll(1000000000))).rightJustified(9, '0');
            m_row.text(mobile).text(siteId);
            if (Status s = put(DemoBoardTable::DimMember); !s)
                return s;
        }
        m_members.push_back(m);
    }
    for (size_t i = 0; i < m_members.size(); ++i) {
        m_row.text(m_tenant).integer(m_members[i].id).text(siteId);
        ++m_summary.rows;
        if (Status s = m_sink.write(DemoBoardTable::MemberSites, m_row); !s)
            return s;
        m_row.clear();
    }
    counts.members = qint64(m_members.size());
    for (size_t i = 0; i < m_members.size(); ++i) {
        if (roll(100) < 35) {
            const int a = addAccount(int(i), false);
            m_members[i].storedAccount = a;
            credit(a, (100 + qint64(roll(2900))) * 100 + qint64(roll(100)));
        }
        if (roll(100) < 10) {
            const int a = addAccount(int(i), true);
            m_members[i].giftAccount = a;
            credit(a, (20 + qint64(roll(280))) * 100);
        }
    }
    const qint64 storedOpening = m_storedTotal, giftOpening = m_giftTotal;

    // The 180 business days before the anchor's business day.
    const QDate anchorDay = m_clock.businessDayOf(m_o.anchorMs);
    std::vector<QDate> days;
    std::vector<QByteArray> dayText;
    std::vector<qint64> dayStart;
    for (int k = 0; k <= DemoBoardGenerator::kDays; ++k) {
        days.push_back(anchorDay.addDays(k - DemoBoardGenerator::kDays));
        dayText.push_back(days.back().toString(Qt::ISODate).toLatin1());
        dayStart.push_back(m_clock.startOf(days.back()));
    }
    // A member picked for a service or an order: a few members come often, many rarely.
    auto pickMember = [&] {
        return std::min(int(m_members.size()) - 1, int(double(m_members.size()) * std::pow(uniform(), 1.6)));
    };
    auto timeIn = [&](int k) {
        return dayStart[size_t(k)] +
               (m_shape.openSeconds + qint64(roll(quint64(m_shape.spanSeconds)))) * kSecond;
    };

    const qint64 logTotal = qint64(m_shape.logs) * scale;
    const qint64 orderTotal = qint64(m_shape.orders) * scale;
    static const int durations[] = {1800, 3600, 3600, 5400, 7200, 7200, 10800};
    static const QByteArray channels[] = {"wechat", "wechat", "wechat", "wechat", "wechat",
                                          "alipay", "alipay", "alipay", "cash",   "bank"};
    static const qint64 payYuan[] = {200, 300, 500, 500, 1000, 1000, 2000, 3000, 5000};
    std::vector<Log> logs;
    logs.reserve(size_t(logTotal));
    std::vector<Order> orders;
    orders.reserve(size_t(orderTotal));
    std::vector<DayFigures> figures(DemoBoardGenerator::kDays);
    qint64 orderIndex = 0;

    for (int k = 0; k < DemoBoardGenerator::kDays; ++k) {
        DayFigures& f = figures[size_t(k)];
        // Gift value expires on the first of a month (some cards), before anything else that day.
        if (k > 0 && days[size_t(k)].day() == 1) {
            for (size_t a = 0; a < m_accounts.size(); ++a) {
                if (m_accounts[a].gift && m_accounts[a].balance > 0 && roll(100) < 3) {
                    f.giftExpired += m_accounts[a].balance;
                    credit(int(a), -m_accounts[a].balance);
                }
            }
        }
        // This day's orders and services, in time order; ids follow time.
        const size_t firstOrder = orders.size();
        const qint64 orderEnd = (qint64(k) + 1) * orderTotal / DemoBoardGenerator::kDays;
        for (; orderIndex < orderEnd; ++orderIndex) {
            Order o{0, pickMember(), k, 0, 0, 0, timeIn(k), -1, channels[roll(10)]};
            o.pay = payYuan[roll(9)] * 100;
            const bool refunded = orderIndex % m_shape.refundEvery == m_shape.refundEvery - 1;
            if (!refunded && o.pay >= 100000)
                o.gift = o.pay * qint64(5 * (1 + roll(3))) / 100;
            o.refund = refunded ? o.pay : 0;
            orders.push_back(o);
        }
        std::sort(orders.begin() + qint64(firstOrder), orders.end(),
                  [](const Order& a, const Order& b) { return a.time < b.time; });
        for (size_t i = firstOrder; i < orders.size(); ++i)
            orders[i].id = m_shape.idBase + qint64(i) + 1;

        const size_t firstLog = logs.size();
        // As many logs every day as the total allows (S2's 6,000 do not divide by 180).
        const qint64 logsToday = (qint64(k) + 1) * logTotal / DemoBoardGenerator::kDays -
                                 qint64(k) * logTotal / DemoBoardGenerator::kDays;
        for (qint64 i = 0; i < logsToday; ++i) {
            Log l{};
            l.day = k;
            l.member = (k == 0 && i == 0) ? 0 : pickMember(); // the site's first member is served on day 1
            const Member& m = m_members[size_t(l.member)];
            const quint64 r = roll(100);
            l.coach = r < 70 ? m.primary : r < 85 ? m.secondary : int(roll(quint64(coachCount)));
            const Coach& c = m_coaches[size_t(l.coach)];
            l.skill = c.skills.at(qsizetype(roll(quint64(c.skills.size()))));
            l.table = 1 + int(roll(30));
            l.incomeSeconds = durations[roll(7)];
            l.realSeconds = std::max(0, l.incomeSeconds + int(roll(600)) - 120);
            l.ledger = qint64(l.incomeSeconds) * c.priceFen / 3600;
            l.create = timeIn(k);
            l.start = l.create - qint64(l.realSeconds) * kSecond;
            logs.push_back(l);
        }
        std::stable_sort(logs.begin() + qint64(firstLog), logs.end(),
                         [](const Log& a, const Log& b) { return a.create < b.create; });
        for (size_t i = firstLog; i < logs.size(); ++i) {
            logs[i].id = m_shape.idBase + qint64(i) + 1;
            logs[i].voided = qint64(i) % m_shape.voidEvery == m_shape.voidEvery - 1;
        }

        // Walk the day in time order: recharges credit the member's cards (a refund takes the recharge back
        // at once), and a valid service may be paid from the stored-value or the gift card.
        size_t o = firstOrder, l = firstLog;
        while (o < orders.size() || l < logs.size()) {
            if (o < orders.size() && (l >= logs.size() || orders[o].time <= logs[l].create)) {
                Order& order = orders[o++];
                Member& m = m_members[size_t(order.member)];
                if (m.storedAccount < 0)
                    m.storedAccount = addAccount(order.member, false);
                order.account = m.storedAccount;
                credit(order.account, order.pay);
                f.storedAdded += order.pay;
                if (order.refund > 0) {
                    credit(order.account, -order.refund);
                    f.storedRefund += order.refund;
                } else {
                    m_accounts[size_t(order.account)].lastRecharge = order.time;
                }
                if (order.gift > 0) {
                    if (m.giftAccount < 0)
                        m.giftAccount = addAccount(order.member, true);
                    credit(m.giftAccount, order.gift);
                    f.giftAdded += order.gift;
                }
                continue;
            }
            Log& log = logs[l++];
            if (log.voided)
                continue;
            Member& m = m_members[size_t(log.member)];
            m.logs.push_back(int(l - 1));
            f.coachLedger += log.ledger;
            if (m.storedAccount >= 0 && m_accounts[size_t(m.storedAccount)].balance > 0 && roll(100) < 70) {
                const qint64 spend =
                    std::min(m_accounts[size_t(m.storedAccount)].balance, log.ledger * 3 / 2);
                credit(m.storedAccount, -spend);
                f.storedSpend += spend;
            }
            if (m.giftAccount >= 0 && m_accounts[size_t(m.giftAccount)].balance > 0 && roll(100) < 40) {
                const qint64 spend = std::min(m_accounts[size_t(m.giftAccount)].balance, log.ledger / 2);
                credit(m.giftAccount, -spend);
                f.giftSpend += spend;
            }
        }
        f.storedClosing = m_storedTotal;
        f.giftClosing = m_giftTotal;
        f.storedActive = m_storedActive;
        f.giftActive = m_giftActive;
    }

    // The service log and the recharge orders, with biz_date from the site's clock.
    for (const Log& log : logs) {
        const Coach& c = m_coaches[size_t(log.coach)];
        const qint64 loaded =
            std::min(dayStart[size_t(log.day) + 1] + 30 * 60 * kSecond, std::max(m_o.anchorMs, log.create));
        row()
            .integer(log.id)
            .integer(c.id)
            .integer(m_members[size_t(log.member)].id)
            .integer(log.voided ? 1 : 0)
            .integer(log.create)
            .integer(log.start)
            .integer(log.create)
            .integer(log.incomeSeconds)
            .integer(log.realSeconds)
            .integer(log.ledger)
            .text(skills().at(log.skill).name)
            .integer(log.table)
            .integer(loaded)
            .text(m_clock.businessDayOf(log.create).toString(Qt::ISODate).toLatin1());
        if (Status s = put(DemoBoardTable::ServiceLog); !s)
            return s;
        counts.voidedLogs += log.voided ? 1 : 0;
    }
    counts.logs = qint64(logs.size());
    for (const Order& o : orders) {
        row()
            .integer(o.id)
            .integer(m_members[size_t(o.member)].id)
            .integer(m_accounts[size_t(o.account)].id)
            .integer(o.time)
            .integer(o.pay)
            .integer(o.gift)
            .text(o.channel)
            .integer(0)
            .integer(o.refund)
            .text(m_clock.businessDayOf(o.time).toString(Qt::ISODate).toLatin1());
        if (Status s = put(DemoBoardTable::RechargeOrder); !s)
            return s;
        counts.refundedOrders += o.refund > 0 ? 1 : 0;
    }
    counts.orders = qint64(orders.size());

    // Card accounts at the end of the last loaded day; a few members also hold a second, empty stored-value
    // card (a board that joins cards before summing would count such a member twice).
    for (size_t i = 0; i < m_members.size(); ++i)
        if (m_members[i].storedAccount >= 0 && roll(100) == 0)
            addAccount(int(i), false);
    for (const Account& a : m_accounts) {
        row()
            .integer(a.id)
            .integer(m_members[size_t(a.member)].id)
            .text(a.gift ? "gift" : "stored_value")
            .integer(a.balance)
            .text("active");
        if (a.lastRecharge > 0)
            m_row.integer(a.lastRecharge);
        else
            m_row.null();
        if (Status s = put(DemoBoardTable::CardAccount); !s)
            return s;
    }

    // The prepaid roll forward: a row per day and card type, each day opening on the day before's closing.
    qint64 storedOpen = storedOpening, giftOpen = giftOpening;
    for (int k = 0; k < DemoBoardGenerator::kDays; ++k) {
        const DayFigures& f = figures[size_t(k)];
        row()
            .text(dayText[size_t(k)])
            .text("stored_value")
            .integer(storedOpen)
            .integer(f.storedAdded)
            .integer(f.storedSpend)
            .integer(f.storedRefund)
            .integer(0)
            .integer(f.storedClosing)
            .integer(f.storedActive);
        if (Status s = put(DemoBoardTable::RechargeSummary); !s)
            return s;
        row()
            .text(dayText[size_t(k)])
            .text("gift")
            .integer(giftOpen)
            .integer(f.giftAdded)
            .integer(f.giftSpend)
            .integer(0)
            .integer(-f.giftExpired)
            .integer(f.giftClosing)
            .integer(f.giftActive);
        if (Status s = put(DemoBoardTable::RechargeSummary); !s)
            return s;
        storedOpen = f.storedClosing;
        giftOpen = f.giftClosing;
    }

    // Revenue by category, its discounts by type, and the tenders that paid it: the coach category's accrued
    // amount is the day's valid service logs; every other category is sized from it. Tenders add up to the
    // accrued revenue; vouchers are settled by the platform two days later.
    std::vector<qint64> goodsGross(DemoBoardGenerator::kDays);
    for (int k = 0; k < DemoBoardGenerator::kDays; ++k) {
        DayFigures& f = figures[size_t(k)];
        const QByteArray& day = dayText[size_t(k)];
        const qint64 cl = f.coachLedger;
        const qint64 coachDiscount = cl * qint64(20 + roll(31)) / 1000;
        const qint64 tableGross = cl * qint64(150 + roll(101)) / 100;
        const qint64 tableDiscount = tableGross * qint64(30 + roll(51)) / 1000;
        goodsGross[size_t(k)] = cl * qint64(30 + roll(31)) / 100;
        const qint64 goodsDiscount = goodsGross[size_t(k)] * qint64(roll(11)) / 1000;
        const qint64 otherGross = qint64(roll(20000)) * scale;
        const struct {
            const char* category;
            qint64 gross, discount;
        } categories[] = {{"table", tableGross, tableDiscount},
                          {"coach", cl + coachDiscount, coachDiscount},
                          {"goods", goodsGross[size_t(k)], goodsDiscount},
                          {"other", otherGross, 0}};
        qint64 accrued = 0, discounts = 0;
        for (const auto& c : categories) {
            row().text(day).text(c.category).integer(c.gross).integer(c.discount);
            if (Status s = put(DemoBoardTable::IncomeStructure); !s)
                return s;
            accrued += c.gross - c.discount;
            discounts += c.discount;
        }
        const qint64 rounding = std::min<qint64>(discounts, qint64(roll(3000)));
        const qint64 memberDiscount = (discounts - rounding) * qint64(55 + roll(21)) / 100;
        const qint64 voucherDiscount = discounts - rounding - memberDiscount;
        for (const auto& [type, amount] :
             {std::pair{"member", memberDiscount}, std::pair{"voucher", voucherDiscount},
              std::pair{"rounding", rounding}}) {
            row().text(day).text(type).integer(amount);
            if (Status s = put(DemoBoardTable::DiscountDetail); !s)
                return s;
        }
        // Card tenders never exceed the accrued revenue: a service spends at most 1.5 × (stored value) + 0.5
        // × (gift) of its ledger, and the table fees alone are at least 1.38 × the coach ledger.
        const qint64 cardTenders = f.storedSpend + f.giftSpend;
        f.voucher = std::clamp<qint64>(accrued * qint64(50 + roll(71)) / 1000, 0,
                                       std::max<qint64>(0, accrued - cardTenders));
        const qint64 rest = accrued - cardTenders - f.voucher;
        if (rest < 0)
            return Problem{u"demo_tenders"_s,
                           riskdesk::DemoBoardGenerator::tr("The demo's tenders of %1 exceed its revenue.")
                               .arg(QString::fromLatin1(day)),
                           {}};
        const qint64 wechat = rest * qint64(45 + roll(11)) / 100;
        const qint64 alipay = rest * qint64(20 + roll(11)) / 100;
        const qint64 cash = rest * qint64(5 + roll(6)) / 100;
        const qint64 bank = rest - wechat - alipay - cash;
        const qint64 settled = k >= 2 ? figures[size_t(k) - 2].voucher : 0;
        row()
            .text(day)
            .integer(wechat)
            .integer(alipay)
            .integer(cash)
            .integer(bank)
            .integer(f.storedAdded)
            .integer(settled)
            .integer(f.storedSpend)
            .integer(f.giftSpend)
            .integer(f.voucher);
        if (Status s = put(DemoBoardTable::DailySummary); !s)
            return s;
        if (settled > 0) {
            const qint64 fee = (settled * 6 + 50) / 100;
            row().text(day).text("meituan").integer(settled).integer(fee).integer(settled - fee);
            if (Status s = put(DemoBoardTable::PlatformSettlement); !s)
                return s;
        }
    }

    // Salary months: hours and income from the coach's valid logs of the month (base course up to 120 hours,
    // incentive beyond; a sprint bonus from 200 hours), tier by hours. gross = base + incentive + sprint.
    struct SalaryAcc {
        qint64 seconds = 0, realSeconds = 0;
    };
    std::map<std::pair<QByteArray, int>, SalaryAcc> salary; // (month, coach)
    for (const Log& log : logs) {
        if (log.voided)
            continue;
        SalaryAcc& a = salary[{month(days[size_t(log.day)]), log.coach}];
        a.seconds += log.incomeSeconds;
        a.realSeconds += log.realSeconds;
    }
    QHash<QByteArray, qint64> courseCostByMonth;
    for (const auto& [key, acc] : salary) {
        const double hours = double(acc.seconds) / 3600.0;
        const int tier = hours < 100 ? 1 : hours < 180 ? 2 : 3;
        static const char* tierNames[] = {"一档", "二档", "三档"};
        const qint64 basePrice = 5000 + 500 * qint64(tier - 1), bonusPrice = basePrice * 6 / 5;
        const qint64 baseSeconds = std::min<qint64>(acc.seconds, 120 * 3600);
        const qint64 bonusSeconds = acc.seconds - baseSeconds;
        const qint64 baseIncome = baseSeconds * basePrice / 3600;
        const qint64 bonusIncome = bonusSeconds * bonusPrice / 3600;
        const qint64 sprint = hours >= 200 ? 50000 + 10000 * qint64(roll(5)) : 0;
        row()
            .integer(m_coaches[size_t(key.second)].id)
            .text(key.first)
            .text(tierNames[tier - 1])
            .integer(tier)
            .real(double(baseSeconds) / 3600.0)
            .real(round2(double(acc.realSeconds) / 3600.0))
            .integer(baseIncome + bonusIncome + sprint)
            .integer(basePrice)
            .integer(bonusPrice)
            .integer(sprint)
            .integer(baseIncome)
            .integer(bonusIncome);
        if (Status s = put(DemoBoardTable::SalaryCalc); !s)
            return s;
        courseCostByMonth[key.first] += baseIncome + bonusIncome;
    }

    // Expenses: rent on the first of a month, utilities every day, goods bought on Mondays (40% of the last
    // week's goods sold), and at a month's end the coaches' course cost and the other staff's pay.
    for (int k = 0; k < DemoBoardGenerator::kDays; ++k) {
        const QDate& d = days[size_t(k)];
        QList<std::tuple<const char*, const char*, qint64>> items;
        if (d.day() == 1)
            items.append({"operating", "rent", (m_shape.rentYuan + qint64(roll(5000))) * 100 * scale});
        items.append({"operating", "utilities", (m_shape.utilitiesYuan + qint64(roll(300))) * 100 * scale});
        if (d.dayOfWeek() == 1) {
            qint64 week = 0;
            for (int j = std::max(0, k - 7); j < k; ++j)
                week += goodsGross[size_t(j)];
            items.append({"purchases", "goods", week * 40 / 100});
        }
        if (d.addDays(1).day() == 1) {
            items.append({"personnel", "coach_course", courseCostByMonth.value(month(d))});
            items.append({"personnel", "staff", (m_shape.staffYuan + qint64(roll(3000))) * 100 * scale});
        }
        for (const auto& [group, item, amount] : items) {
            if (amount <= 0)
                continue;
            row().text(dayText[size_t(k)]).text(group).text(item).integer(amount);
            if (Status s = put(DemoBoardTable::ExpenseSummary); !s)
                return s;
        }
    }

    // Customer-sourced stored value: valid orders credited to the member's usual coach, 5% commission.
    struct CommissionAcc {
        qint64 amount = 0, count = 0;
        std::vector<int> members;
    };
    std::map<std::pair<QByteArray, qint64>, CommissionAcc> commission; // (month, coach id)
    for (const Order& o : orders) {
        if (o.refund > 0)
            continue;
        CommissionAcc& a = commission[{month(days[size_t(o.day)]),
                                       m_coaches[size_t(m_members[size_t(o.member)].primary)].id}];
        a.amount += o.pay;
        ++a.count;
        a.members.push_back(o.member);
    }
    for (auto& [key, acc] : commission) {
        std::sort(acc.members.begin(), acc.members.end());
        const qint64 distinct = std::unique(acc.members.begin(), acc.members.end()) - acc.members.begin();
        row()
            .integer(key.second)
            .text(key.first)
            .integer(acc.amount)
            .integer(acc.count)
            .integer(distinct)
            .integer((acc.amount * 5 + 50) / 100);
        if (Status s = put(DemoBoardTable::Commission); !s)
            return s;
    }

    // Indices and summaries at every month's end and at the anchor's business day, over the valid logs up to
    // that day: relation score per (member, coach) over 60 days; win-back, spending power and the 60-day
    // consumption per member.
    std::vector<int> calcDays;
    for (int k = 0; k < DemoBoardGenerator::kDays; ++k)
        if (days[size_t(k)].addDays(1).day() == 1)
            calcDays.push_back(k);
    calcDays.push_back(DemoBoardGenerator::kDays);
    std::vector<size_t> firstLogOfDay(DemoBoardGenerator::kDays + 1, logs.size());
    for (size_t i = logs.size(); i-- > 0;)
        firstLogOfDay[size_t(logs[i].day)] = i;
    for (int k = DemoBoardGenerator::kDays - 1; k >= 0; --k)
        firstLogOfDay[size_t(k)] = std::min(firstLogOfDay[size_t(k)], firstLogOfDay[size_t(k) + 1]);
    // Rows go out in the order of their table's key (member first), so each insert appends to its B-tree.
    struct Pair {
        qint64 member, coach;
        int calc;
        qint64 count, fen;
    };
    std::vector<Pair> relations, window;
    for (int c : calcDays) {
        window.clear();
        for (size_t i = firstLogOfDay[size_t(std::max(0, c - 59))]; i < logs.size() && logs[i].day <= c; ++i)
            if (!logs[i].voided)
                window.push_back(Pair{m_members[size_t(logs[i].member)].id,
                                      m_coaches[size_t(logs[i].coach)].id, c, 1, logs[i].ledger});
        std::sort(window.begin(), window.end(), [](const Pair& a, const Pair& b) {
            return std::tie(a.member, a.coach) < std::tie(b.member, b.coach);
        });
        for (const Pair& p : window) {
            if (!relations.empty() && relations.back().calc == c && relations.back().member == p.member &&
                relations.back().coach == p.coach) {
                ++relations.back().count;
                relations.back().fen += p.fen;
            } else {
                relations.push_back(p);
            }
        }
    }
    std::sort(relations.begin(), relations.end(), [](const Pair& a, const Pair& b) {
        return std::tie(a.member, a.coach, a.calc) < std::tie(b.member, b.coach, b.calc);
    });
    for (const Pair& p : relations) {
        const double rs =
            round2(100.0 * (1.0 - std::exp(-(double(p.count) * 0.25 + double(p.fen) / 100.0 / 1500.0))));
        row().integer(p.member).integer(p.coach).real(rs).text(dayText[size_t(p.calc)]);
        if (Status s = put(DemoBoardTable::RelationIndex); !s)
            return s;
    }
    std::vector<Pair>().swap(relations);
    for (const Member& m : m_members) {
        for (int c : calcDays) {
            const QByteArray& calc = dayText[size_t(c)];
            const int from = std::max(0, c - 59);
            qint64 total = 0, amount60 = 0, visits60 = 0;
            int lastDay = -1, lastCounted = -1;
            for (int li : m.logs) {
                const Log& log = logs[size_t(li)];
                if (log.day > c)
                    break;
                total += log.ledger;
                lastDay = log.day;
                if (log.day >= from) {
                    amount60 += log.ledger;
                    if (log.day != lastCounted)
                        ++visits60;
                    lastCounted = log.day;
                }
            }
            if (lastDay < 0)
                continue;
            const int since = c - lastDay;
            const double wbi = round2(100.0 * (1.0 - std::exp(-double(since) / 40.0)) *
                                      (0.4 + 0.6 * (1.0 - std::exp(-double(total) / 100.0 / 3000.0))));
            row().integer(m.id).real(wbi).text(calc).integer(since);
            if (Status s = put(DemoBoardTable::WinbackIndex); !s)
                return s;
            const double spi = round2(
                100.0 * (1.0 - std::exp(-(double(amount60) / 100.0 / 2000.0 + double(visits60) / 12.0))));
            row().integer(m.id).real(spi).text(calc);
            if (Status s = put(DemoBoardTable::SpendingPowerIndex); !s)
                return s;
            if (visits60 > 0) {
                row().integer(m.id).text(calc).integer(visits60).integer(amount60);
                if (Status s = put(DemoBoardTable::ConsumptionSummary); !s)
                    return s;
            }
        }
    }

    // Visits: one per member and business day with a valid service, from the first start to the last end.
    for (const Member& m : m_members) {
        size_t i = 0;
        while (i < m.logs.size()) {
            const int day = logs[size_t(m.logs[i])].day;
            qint64 first = logs[size_t(m.logs[i])].start, last = logs[size_t(m.logs[i])].create;
            for (; i < m.logs.size() && logs[size_t(m.logs[i])].day == day; ++i) {
                first = std::min(first, logs[size_t(m.logs[i])].start);
                last = std::max(last, logs[size_t(m.logs[i])].create);
            }
            row().integer(m.id).integer(first).integer(last).text(
                m_clock.businessDayOf(first).toString(Qt::ISODate).toLatin1());
            if (Status s = put(DemoBoardTable::VisitDetail); !s)
                return s;
        }
    }

    // Follow-up tasks: some served members have an active task with their usual coach, and some of those an
    // older coach's task, inactive but updated later (the board pins the active one, not the latest).
    for (const Member& m : m_members) {
        if (m.logs.empty() || roll(100) >= 30)
            continue;
        const qint64 updated = m_o.anchorMs - qint64(2 + roll(28)) * kDay;
        struct Task {
            qint64 coach;
            const char* status;
            qint64 at;
        } tasks[2] = {{m_coaches[size_t(m.primary)].id, "active", updated}, {0, nullptr, 0}};
        int taskCount = 1;
        if (m.secondary != m.primary && roll(100) < 30)
            tasks[taskCount++] = {m_coaches[size_t(m.secondary)].id, "inactive", updated + kDay};
        if (taskCount == 2 && tasks[1].coach < tasks[0].coach)
            std::swap(tasks[0], tasks[1]);
        for (int t = 0; t < taskCount; ++t) {
            row().integer(tasks[t].coach).integer(m.id).text(tasks[t].status).integer(tasks[t].at);
            if (Status s = put(DemoBoardTable::CoachTasks); !s)
                return s;
        }
    }

    // Loaded through the last business day before the anchor's.
    row()
        .text("boards")
        .text(dayText[DemoBoardGenerator::kDays - 1])
        .integer(std::min(m_o.anchorMs, dayStart[DemoBoardGenerator::kDays] + 3 * kHour));
    return put(DemoBoardTable::Watermark);
}

} // namespace

const char* DemoBoardGenerator::tableName(DemoBoardTable table) {
    return tableSpecs().at(int(table)).name;
}

const QList<QByteArray>& DemoBoardGenerator::columns(DemoBoardTable table) {
    return tableSpecs().at(int(table)).columns;
}

Result<DemoBoardSummary> DemoBoardGenerator::generate(const DemoBoardOptions& options, DemoBoardSink& sink) {
    if (options.scale < 1 || options.scale > kMaxScale)
        return Problem{
            u"bad_board_scale"_s,
            riskdesk::DemoBoardGenerator::tr("The board scale must be a whole number from 1 to %1, not %2.")
                .arg(kMaxScale)
                .arg(options.scale),
            u"board-scale"_s};
    // S1 closes its business day at 06:00; S2 has no cut-off configured (calendar days).
    const QList<SiteShape> shapes{
        {"S1", 360, 24, 1200, 18000, 1500, 20, 25, 5 * 3600, 15 * 3600, 0, 0, 40000, 30000, 400},
        {"S2", std::nullopt, 10, 500, 6000, 600, 20, 25, 10 * 3600, 13 * 3600, 50000000, 100000, 18000, 12000,
         150}};
    DemoBoardSummary summary;
    DemoBoardRow row;
    const QByteArray tenant = options.tenantId.toUtf8();
    for (const SiteShape& shape : shapes) {
        row.text(tenant).text(shape.siteId).text(SiteClock::kDefaultZone);
        if (shape.cutoffMinutes)
            row.integer(*shape.cutoffMinutes);
        else
            row.null();
        row.integer(1);
        ++summary.rows;
        if (Status s = sink.write(DemoBoardTable::SiteSettings, row); !s)
            return s.problem();
        row.clear();
    }
    for (const Skill& skill : skills()) {
        row.text(tenant)
            .text("")
            .text(skill.code)
            .text(skill.name)
            .integer(skill.sort)
            .integer(skill.enabled ? 1 : 0)
            .integer(1);
        ++summary.rows;
        if (Status s = sink.write(DemoBoardTable::SkillType, row); !s)
            return s.problem();
        row.clear();
    }

    // Members are tenant-wide: S1's registered members first, then S2's; S2 also serves S1's first member.
    const qint64 s1Members = qint64(shapes.at(0).members) * options.scale;
    const qint64 s2Members = qint64(shapes.at(1).members) * options.scale;
    std::vector<std::pair<qint64, bool>> s1, s2{{1, false}};
    for (qint64 i = 1; i <= s1Members; ++i)
        s1.emplace_back(i, true);
    for (qint64 i = 1; i < s2Members; ++i)
        s2.emplace_back(s1Members + i, true);

    for (qsizetype i = 0; i < shapes.size(); ++i) {
        const SiteShape& shape = shapes.at(i);
        auto clock = SiteClock::make(QString::fromLatin1(SiteClock::kDefaultZone), shape.cutoffMinutes);
        if (!clock)
            return clock.problem();
        DemoBoardSiteCounts counts;
        SiteBuilder site(options, shape, clock.value(), quint64(i + 1), sink, summary);
        if (Status s = site.run(i == 0 ? s1 : s2, counts); !s)
            return s.problem();
        summary.sites.append(counts);
        for (const QString& user : options.financeUsers) {
            row.text(user.toUtf8()).text(tenant).text(shape.siteId);
            ++summary.rows;
            if (Status s = sink.write(DemoBoardTable::UserSites, row); !s)
                return s.problem();
            row.clear();
        }
    }
    row.text(tenant).integer(1).integer(options.anchorMs).text("riskdesk demo").integer(summary.rows);
    if (Status s = sink.write(DemoBoardTable::Loads, row); !s)
        return s.problem();
    return summary;
}

} // namespace riskdesk
