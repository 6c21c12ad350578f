#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace riskdesk {

// The names the finance board shows for the codes in its views (spec §6, §7.1): revenue categories, discount
// types, tenders, expense groups and items, platforms and card types. A code the board does not know is
// shown as itself, never merged into another row or dropped.
class FinanceLabels {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceLabels)

public:
    static QString category(const QString& code);
    static QString discountType(const QString& code);
    static QString tender(const QString& code);
    static QString expenseGroup(const QString& code);
    static QString expenseItem(const QString& code);
    static QString platform(const QString& code);
    static QString cardType(const QString& code);
    // Why an excluded tender is not cash inflow (rule 7, spec §6.5).
    static QString exclusionReason(const QString& tenderCode);

    // The display order of the known codes; unknown codes follow, by name.
    static const QStringList& categoryOrder();
    static const QStringList& discountTypeOrder();
    static const QStringList& expenseGroupOrder();
    // Sort key: the position in order, unknown codes after every known one.
    static int rank(const QStringList& order, const QString& code);
};

} // namespace riskdesk
