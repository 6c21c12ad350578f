#include "BoardValue.h"

#include "ExactMath.h"
#include "ExactSum.h"
#include "MoneyFormat.h"
#include "ShareRounding.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QChar kDash(0x2014);
const QChar kWarning(0x26A0);

// hundredths → "92.50"; the sign kept.
QString hundredthsText(qint64 hundredths, const QString& group) {
    const bool negative = hundredths < 0;
    const quint64 m = negative ? 0 - quint64(hundredths) : quint64(hundredths);
    QString whole = QString::number(m / 100);
    if (!group.isEmpty())
        for (qsizetype i = whole.size() - 3; i > 0; i -= 3)
            whole.insert(i, group);
    const int cents = int(m % 100);
    return (negative ? u"-"_s : QString()) + whole + u'.' + QChar(u'0' + cents / 10) +
           QChar(u'0' + cents % 10);
}

// tenths → "7.0"; the sign kept.
QString tenthsText(qint64 tenths, const QString& group) {
    const QString hundredths = hundredthsText(tenths * 10, group);
    return hundredths.left(hundredths.size() - 1);
}

qint64 secondsToTenthsOfHour(qint64 seconds) {
    return ExactMath::divideRounded(__int128(seconds) * 10, 3600).value_or(0);
}

qint64 secondsToHundredthsOfHour(qint64 seconds) {
    return ExactMath::divideRounded(__int128(seconds) * 100, 3600).value_or(0);
}

} // namespace

BoardValue BoardValue::ofSum(qint64 sum) {
    BoardValue v;
    v.m_state = sum == 0 ? CellState::Zero : CellState::Value;
    v.m_number = sum;
    return v;
}

BoardValue BoardValue::ofSnapshot(std::optional<qint64> value) {
    return value ? ofSum(*value) : noData();
}

BoardValue BoardValue::noData(const QString& reason) {
    BoardValue v;
    v.m_reason = reason;
    return v;
}

BoardValue BoardValue::unavailable(const QString& reason) {
    BoardValue v;
    v.m_state = CellState::Unavailable;
    v.m_reason = reason;
    return v;
}

std::optional<qint64> BoardValue::number() const {
    if (m_state == CellState::Value || m_state == CellState::Zero)
        return m_number;
    return std::nullopt;
}

QString BoardValue::display(ValueUnit unit, const QLocale& locale) const {
    if (m_state == CellState::NoData)
        return QString(kDash);
    if (m_state == CellState::Unavailable)
        return QString(kWarning) + u' ' + kDash;
    switch (unit) {
    case ValueUnit::Fen:
        return MoneyFormat::full(m_number, locale);
    case ValueUnit::Count:
        return locale.toString(m_number);
    case ValueUnit::Seconds:
        return tr("%1 h", "hours with two decimals")
            .arg(hundredthsText(secondsToHundredthsOfHour(m_number), locale.groupSeparator()));
    case ValueUnit::Tenths:
        return ShareRounding::percentText(m_number);
    case ValueUnit::Hundredths: // a board's WBI total reaches millions: grouped like every other figure
        return hundredthsText(m_number, locale.groupSeparator());
    case ValueUnit::HoursOneDecimal:
        return tr("%1 h", "hours with one decimal")
            .arg(tenthsText(secondsToTenthsOfHour(m_number), locale.groupSeparator()));
    case ValueUnit::CountTenths:
        return tenthsText(m_number, locale.groupSeparator());
    }
    return {};
}

QString BoardValue::csv(ValueUnit unit) const {
    if (!number())
        return {};
    switch (unit) {
    case ValueUnit::Fen:
        return MoneyFormat::plain(m_number);
    case ValueUnit::Count:
        return QString::number(m_number);
    case ValueUnit::Seconds:
        return hundredthsText(secondsToHundredthsOfHour(m_number), QString());
    case ValueUnit::Tenths: {
        const QString text = ShareRounding::percentText(m_number);
        return text.left(text.size() - 1);
    }
    case ValueUnit::Hundredths:
        return hundredthsText(m_number, QString());
    case ValueUnit::HoursOneDecimal:
        return tenthsText(secondsToTenthsOfHour(m_number), QString());
    case ValueUnit::CountTenths:
        return tenthsText(m_number, QString());
    }
    return {};
}

QString BoardValue::tooltip() const {
    if (m_state == CellState::NoData && !m_reason.isEmpty())
        return tr("No data: %1").arg(m_reason);
    if (m_state != CellState::Unavailable)
        return {};
    return tr("Unavailable: %1").arg(m_reason);
}

QString BoardValue::stateKey() const {
    switch (m_state) {
    case CellState::Value:
        return u"value"_s;
    case CellState::Zero:
        return u"zero"_s;
    case CellState::NoData:
        return u"no_data"_s;
    case CellState::Unavailable:
        return u"unavailable"_s;
    }
    return {};
}

QJsonObject BoardValue::toJson(ValueUnit unit) const {
    QJsonObject o{{u"state"_s, stateKey()}};
    if (number())
        o.insert(u"value"_s, unit == ValueUnit::Count ? double(m_number) : csv(unit).toDouble());
    if (!m_reason.isEmpty())
        o.insert(u"reason"_s, m_reason);
    return o;
}

BoardValue BoardValue::total(const QList<BoardValue>& rows) {
    ExactSum sum;
    QString noDataReason;
    for (const BoardValue& row : rows) {
        if (row.m_state == CellState::Unavailable)
            return unavailable(row.m_reason);
        if (const auto n = row.number())
            sum.add(*n);
        else if (noDataReason.isEmpty())
            noDataReason = row.m_reason;
    }
    if (sum.count() == 0)
        return noData(noDataReason);
    if (!sum.value())
        return unavailable(tr("the total is too large to add up exactly"));
    return ofSum(*sum.value());
}

BoardValue BoardValue::difference(const BoardValue& a, const BoardValue& b) {
    for (const BoardValue* v : {&a, &b})
        if (v->m_state == CellState::Unavailable)
            return unavailable(v->m_reason);
    if (!a.number() || !b.number())
        return noData(a.number() ? b.m_reason : a.m_reason);
    const auto d = ExactMath::subtract(*a.number(), *b.number());
    if (!d)
        return unavailable(tr("the difference is too large to compute exactly"));
    return ofSum(*d);
}

} // namespace riskdesk
