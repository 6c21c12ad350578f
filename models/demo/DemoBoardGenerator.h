#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QStringList>
#include <QVarLengthArray>

namespace riskdesk {

// The bd_ tables the demo business fills, in the order the generator emits them.
enum class DemoBoardTable {
    SiteSettings,
    SkillType,
    DimAssistant,
    AssistantSkill,
    DimMember,
    MemberSites,
    ServiceLog,
    RechargeOrder,
    CardAccount,
    RechargeSummary,
    DailySummary,
    IncomeStructure,
    DiscountDetail,
    PlatformSettlement,
    SalaryCalc,
    ExpenseSummary,
    Commission,
    RelationIndex,
    WinbackIndex,
    SpendingPowerIndex,
    ConsumptionSummary,
    VisitDetail,
    CoachTasks,
    Watermark,
    UserSites,
    Loads,
    Count
};

// One row of a demo table: values in the table's column order (DemoBoardGenerator::columns).
class DemoBoardRow {
public:
    struct Cell {
        enum Kind : quint8 { Null, Integer, Real, Text } kind = Null;
        qint64 integer = 0;
        double real = 0;
        QByteArray text;
    };
    DemoBoardRow& integer(qint64 v);
    DemoBoardRow& real(double v);
    DemoBoardRow& text(const QByteArray& v);
    DemoBoardRow& null();
    void clear() { m_cells.clear(); }
    const QVarLengthArray<Cell, 20>& cells() const { return m_cells; }

private:
    QVarLengthArray<Cell, 20> m_cells;
};

// Where the generated rows go (the workspace writer, or a test's counter).
class DemoBoardSink {
public:
    virtual ~DemoBoardSink() = default;
    virtual Status write(DemoBoardTable table, const DemoBoardRow& row) = 0;
};

struct DemoBoardOptions {
    QString tenantId = QStringLiteral("acme");
    quint64 seed = 42;
    qint64 anchorMs = 0; // the demo's "now": the data covers the 180 business days before it
    int scale = 1;       // multiplies coaches, members, logs and orders
    QStringList financeUsers{QStringLiteral("zhou.lin")}; // granted every demo site in bd_user_sites
};

// What one site got (the counts are fixed by construction: spec §10.9).
struct DemoBoardSiteCounts {
    QString siteId;
    qint64 coaches = 0, members = 0, logs = 0, voidedLogs = 0, orders = 0, refundedOrders = 0;
};

struct DemoBoardSummary {
    QList<DemoBoardSiteCounts> sites;
    qint64 rows = 0;
};

// The demo business behind the boards (spec §10.9): two sites with different business-day cut-offs, coaches
// with skills, members, six months of service logs with voided rows, recharge orders with refunds, card
// accounts, salary months, indices, and finance daily rows that reconcile by construction (the prepaid roll
// forward, tenders = accrued revenue, the coach category = the day's valid service logs, discount detail =
// the discounts). Pure: no database, no clock; the same options give the same rows in the same order.
class DemoBoardGenerator {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::DemoBoardGenerator)

public:
    static constexpr int kDays = 180;
    static constexpr int kMaxScale = 200;

    static const char* tableName(DemoBoardTable table);
    static const QList<QByteArray>& columns(DemoBoardTable table);

    static Result<DemoBoardSummary> generate(const DemoBoardOptions& options, DemoBoardSink& sink);
};

} // namespace riskdesk
