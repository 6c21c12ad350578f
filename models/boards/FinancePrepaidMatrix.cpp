#include "FinancePrepaidMatrix.h"

#include "FinanceLabels.h"
#include "MoneyFormat.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using T = BoardTableColumn::Type;
} // namespace

const FinancePrepaidMatrix::Row* FinancePrepaidMatrix::Figures::row(const QString& cardType) const {
    for (const Row& r : rows)
        if (r.cardType == cardType)
            return &r;
    return nullptr;
}

QDate FinancePrepaidMatrix::closingDay(const BoardPeriod& period, const QDate& loadedThrough) {
    // A to-date period on a morning before its last day is loaded would have no closing at all: the roll-
    // forward then runs through the last day there is (the board's badge names it).
    if (loadedThrough.isValid() && loadedThrough < period.to() && loadedThrough >= period.from())
        return loadedThrough;
    return period.to();
}

Result<FinancePrepaidMatrix::Figures> FinancePrepaidMatrix::read(const FinanceSource& source,
                                                                 const BoardPeriod& period,
                                                                 const QDate& loadedThrough) {
    // Snapshots are plain reads (a missing day is no data); movements are sums of events (0 when none).
    const auto rows = source.rows(
        u"WITH types(card_type, ord) AS (VALUES ('stored_value', 0), ('gift', 1))"
        " SELECT t.card_type,"
        "  (SELECT closing_balance_fen FROM bd_finance_recharge_summary o WHERE o.tenant_id = :t AND "
        "o.site_id = :s"
        "     AND o.biz_date = :before AND o.card_type = t.card_type),"
        "  m.added, m.consumed, m.refunded, m.adjusted,"
        "  c.closing_balance_fen, c.active_cards"
        " FROM types t"
        " LEFT JOIN (SELECT card_type, SUM(added_amount_fen) AS added, SUM(consumed_amount_fen) AS consumed,"
        "                   SUM(refund_amount_fen) AS refunded, SUM(adjust_amount_fen) AS adjusted"
        "              FROM bd_finance_recharge_summary WHERE tenant_id = :t AND site_id = :s"
        "               AND biz_date BETWEEN :from AND :closing GROUP BY card_type) m ON m.card_type = "
        "t.card_type"
        " LEFT JOIN bd_finance_recharge_summary c ON c.tenant_id = :t AND c.site_id = :s AND c.biz_date = "
        ":closing"
        "       AND c.card_type = t.card_type"
        " ORDER BY t.ord"_s,
        period, tr("Reading the prepaid funds"),
        {{u":before"_s, period.from().addDays(-1).toString(Qt::ISODate)},
         {u":closing"_s, closingDay(period, loadedThrough).toString(Qt::ISODate)}});
    if (!rows)
        return rows.problem();
    const auto snapshot = [](const QVariant& v) {
        return v.isNull() ? std::nullopt : std::optional(v.toLongLong());
    };
    Figures f;
    f.openingDay = period.from().addDays(-1);
    for (const QVariantList& r : rows.value()) {
        Row row;
        row.cardType = r[0].toString();
        row.figures = {snapshot(r[1]),    r[2].toLongLong(), r[3].toLongLong(),
                       r[4].toLongLong(), r[5].toLongLong(), snapshot(r[6])};
        row.activeCards = snapshot(r[7]);
        f.rows << row;
    }
    return f;
}

std::optional<ReconciliationWarning> FinancePrepaidMatrix::check(const QString& subject,
                                                                 const RollForward& figures,
                                                                 const QDate& openingDay,
                                                                 const QStringList& lackingOpening) {
    const QString day = openingDay.toString(Qt::ISODate);
    QString openingName;
    if (openingDay.isValid() && !lackingOpening.isEmpty())
        openingName = tr("opening balance of %1 (no closing balance is recorded for %2)")
                          .arg(lackingOpening.join(tr(", ")), day);
    else if (openingDay.isValid())
        openingName = tr("opening balance (no closing balance is recorded for %1)").arg(day);
    return ReconciliationWarning::rollForward(subject, figures, openingName);
}

BoardTable FinancePrepaidMatrix::table(const std::optional<Figures>& current, const QLocale& locale) {
    BoardTable t(u"prepaid"_s, tr("Prepaid funds"),
                 {{u"card_type"_s, tr("Card"), T::Text},
                  {u"opening"_s, tr("Opening balance"), T::Value, ValueUnit::Fen},
                  {u"additions"_s, tr("Additions"), T::Value, ValueUnit::Fen},
                  {u"consumption"_s, tr("Consumption"), T::Value, ValueUnit::Fen},
                  {u"refunds"_s, tr("Refunds"), T::Value, ValueUnit::Fen},
                  {u"adjustments"_s, tr("Adjustments"), T::Value, ValueUnit::Fen},
                  {u"closing"_s, tr("Closing balance"), T::Value, ValueUnit::Fen},
                  {u"active_cards"_s, tr("Active cards"), T::Value, ValueUnit::Count},
                  {u"check"_s, tr("Roll-forward"), T::Text}});
    if (!current)
        return t;
    const auto value = [](std::optional<qint64> v) { return BoardValue::ofSnapshot(v); };
    const auto mark = [&](const std::optional<ReconciliationWarning>& w) {
        if (!w)
            return BoardCell::ofText(tr("Reconciles"));
        return BoardCell::ofText(
            w->difference()
                ? tr("%1 (difference %2)").arg(w->label(), MoneyFormat::full(*w->difference(), locale))
                : w->label(),
            w->message(locale));
    };
    const auto cells = [&](const QString& label, const QList<BoardValue>& v,
                           const std::optional<ReconciliationWarning>& w) {
        QList<BoardCell> c{BoardCell::ofText(label)};
        for (const BoardValue& x : v)
            c << BoardCell::ofValue(x);
        c << mark(w);
        return c;
    };
    QList<QList<BoardValue>> columns(7);
    bool rowCannotReconcile = false;
    for (const Row& r : current->rows) {
        const QList<BoardValue> v{value(r.figures.opening),     value(r.figures.additions),
                                  value(r.figures.consumption), value(r.figures.refunds),
                                  value(r.figures.adjustments), value(r.figures.closing),
                                  value(r.activeCards)};
        for (int i = 0; i < 7; ++i)
            columns[i] << v[i];
        const auto w = check(FinanceLabels::cardType(r.cardType), r.figures, current->openingDay);
        t.addRow({r.cardType, cells(FinanceLabels::cardType(r.cardType), v, w)});
        t.outcome().addWarning(w);
        rowCannotReconcile =
            rowCannotReconcile || (w && w->kind() == ReconciliationWarning::Kind::CannotReconcile);
    }
    QList<BoardValue> totals;
    for (const QList<BoardValue>& c : columns)
        totals << BoardValue::total(c);
    // A part of the total is known only when every row's is: a missing part is "cannot reconcile", naming it.
    const auto part = [&](int column) {
        for (const BoardValue& x : columns[column])
            if (!x.number())
                return std::optional<qint64>();
        return totals[column].number();
    };
    const RollForward total{part(0), part(1), part(2), part(3), part(4), part(5)};
    // When only some card types lack an opening balance, the total's message names them: "opening balance"
    // alone read as if no card type had one.
    QStringList lackingOpening;
    for (const Row& r : current->rows)
        if (!r.figures.opening)
            lackingOpening << FinanceLabels::cardType(r.cardType);
    if (lackingOpening.size() == current->rows.size())
        lackingOpening.clear();
    const auto totalCheck = check(tr("Prepaid total"), total, current->openingDay, lackingOpening);
    t.setTotals({u"total"_s, cells(tr("Total"), totals, totalCheck)});
    // The total cannot reconcile because a row cannot: its mark stays on the total row, and the section's
    // list of warnings does not say the same thing a third time (helper-80).
    if (!(rowCannotReconcile && totalCheck &&
          totalCheck->kind() == ReconciliationWarning::Kind::CannotReconcile))
        t.outcome().addWarning(totalCheck);
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

} // namespace riskdesk
