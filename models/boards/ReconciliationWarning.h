#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QLocale>
#include <QString>
#include <optional>

namespace riskdesk {

// The parts of a roll-forward row (BOARD-3 §6.3): opening + additions − consumption − refunds + adjustments
// must equal closing, to the fen. Adjustments carry their own sign. A missing part means its query failed.
struct RollForward {
    std::optional<qint64> opening;
    std::optional<qint64> additions;
    std::optional<qint64> consumption;
    std::optional<qint64> refunds;
    std::optional<qint64> adjustments;
    std::optional<qint64> closing;
};

// A reconciliation mark a board shows next to the figures it concerns (spec §4.4, §6.3–§6.6). It is a
// warning, never an error, and it is never hidden: not by degradation (missing inputs say "cannot
// reconcile"), not by paging, not by a filter. Amounts are fen.
class ReconciliationWarning {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ReconciliationWarning)

public:
    enum class Kind {
        DoesNotReconcile, // 对账不平: an identity that must hold does not (roll-forward, Σ groups = total)
        RuleDifference, // 口径差异: two definitions of the same figure differ (coach accrued vs items_sum)
        CannotReconcile, // 无法对账: an input is unavailable, so the check could not be made
    };

    // Nothing when expected and actual agree; CannotReconcile when either is missing; else a warning of
    // kindOnMismatch with difference = actual − expected. subject names the row or figure checked.
    static std::optional<ReconciliationWarning> compare(Kind kindOnMismatch, const QString& subject,
                                                        std::optional<qint64> expected,
                                                        std::optional<qint64> actual);
    // The roll-forward identity of one prepaid-funds row; expected = the computed closing, actual = closing.
    // A check that cannot be made names the parts that are missing; openingName, when given, names the
    // opening balance more exactly (the day it is read on).
    static std::optional<ReconciliationWarning> rollForward(const QString& subject, const RollForward& row,
                                                            const QString& openingName = {});

    Kind kind() const { return m_kind; }
    const QString& subject() const { return m_subject; }
    std::optional<qint64> expected() const { return m_expected; }
    std::optional<qint64> actual() const { return m_actual; }
    // actual − expected when both are known (a difference beyond qint64 is reported as unknown).
    std::optional<qint64> difference() const { return m_difference; }
    // What a check that could not be made lacks ("opening balance"), or empty when unknown.
    const QString& missing() const { return m_missing; }

    // "Does not reconcile" / "Rule difference" / "Cannot reconcile"
    QString label() const;
    static QString labelFor(Kind kind);
    // The whole sentence, with the amounts in the locale's money format.
    QString message(const QLocale& locale) const;
    QJsonObject toJson() const;

    bool operator==(const ReconciliationWarning& other) const = default;

private:
    friend class BoardReportCodec; // the board cache stores and restores every field
    Kind m_kind = Kind::CannotReconcile;
    QString m_subject;
    std::optional<qint64> m_expected;
    std::optional<qint64> m_actual;
    std::optional<qint64> m_difference;
    QString m_missing;
};

} // namespace riskdesk
