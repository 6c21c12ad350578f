#include "ReconciliationWarning.h"

#include "ExactMath.h"
#include "MoneyFormat.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

std::optional<ReconciliationWarning> ReconciliationWarning::compare(Kind kindOnMismatch,
                                                                    const QString& subject,
                                                                    std::optional<qint64> expected,
                                                                    std::optional<qint64> actual) {
    ReconciliationWarning w;
    w.m_subject = subject;
    w.m_expected = expected;
    w.m_actual = actual;
    if (!expected || !actual) {
        w.m_kind = Kind::CannotReconcile;
        return w;
    }
    if (*expected == *actual)
        return std::nullopt;
    w.m_kind = kindOnMismatch;
    w.m_difference = ExactMath::subtract(*actual, *expected);
    return w;
}

std::optional<ReconciliationWarning> ReconciliationWarning::rollForward(const QString& subject,
                                                                        const RollForward& row,
                                                                        const QString& openingName) {
    std::optional<qint64> computed = row.opening;
    const auto step = [&computed](std::optional<qint64> part, bool add) {
        if (!computed || !part)
            computed.reset();
        else
            computed = add ? ExactMath::add(*computed, *part) : ExactMath::subtract(*computed, *part);
    };
    step(row.additions, true);
    step(row.consumption, false);
    step(row.refunds, false);
    step(row.adjustments, true);
    // An overflow on the way is not a figure either: the check cannot be made.
    auto w = compare(Kind::DoesNotReconcile, subject, computed, row.closing);
    if (w && w->m_kind == Kind::CannotReconcile) {
        // "A figure is missing" sent the reader looking for which (helper-80): the check says.
        QStringList missing;
        const std::pair<const std::optional<qint64>*, QString> parts[] = {
            {&row.opening, openingName.isEmpty() ? tr("opening balance") : openingName},
            {&row.additions, tr("additions")},
            {&row.consumption, tr("consumption")},
            {&row.refunds, tr("refunds")},
            {&row.adjustments, tr("adjustments")},
            {&row.closing, tr("closing balance")}};
        for (const auto& [part, name] : parts)
            if (!part->has_value())
                missing << name;
        w->m_missing = missing.join(tr(", "));
    }
    return w;
}

QString ReconciliationWarning::labelFor(Kind kind) {
    switch (kind) {
    case Kind::DoesNotReconcile:
        return tr("Does not reconcile");
    case Kind::RuleDifference:
        return tr("Rule difference");
    case Kind::CannotReconcile:
        return tr("Cannot reconcile");
    }
    return {};
}

QString ReconciliationWarning::label() const {
    return labelFor(m_kind);
}

QString ReconciliationWarning::message(const QLocale& locale) const {
    // Missing, not "unavailable": a figure with no data (a balance before the data begin) stops the check as
    // well as a failed one, and §2.5 keeps "unavailable" for failures (helper-72).
    if (m_kind == Kind::CannotReconcile)
        return m_missing.isEmpty()
                   ? tr("%1: %2, because a figure it needs is missing (—).").arg(m_subject, label())
                   : tr("%1: %2. Missing: %3.").arg(m_subject, label(), m_missing);
    const QString difference =
        m_difference ? MoneyFormat::full(*m_difference, locale) : QString(QChar(0x2014));
    return tr("%1: %2. Expected %3, found %4 (difference %5).")
        .arg(m_subject, label(), MoneyFormat::full(*m_expected, locale), MoneyFormat::full(*m_actual, locale),
             difference);
}

QJsonObject ReconciliationWarning::toJson() const {
    static const char* const kinds[] = {"does_not_reconcile", "rule_difference", "cannot_reconcile"};
    QJsonObject o{{u"kind"_s, QString::fromLatin1(kinds[int(m_kind)])}, {u"subject"_s, m_subject}};
    if (m_expected)
        o.insert(u"expected"_s, double(*m_expected) / 100); // yuan
    if (m_actual)
        o.insert(u"actual"_s, double(*m_actual) / 100); // yuan
    if (m_difference)
        o.insert(u"difference"_s, double(*m_difference) / 100); // yuan
    if (!m_missing.isEmpty())
        o.insert(u"missing"_s, m_missing);
    return o;
}

} // namespace riskdesk
