#pragma once

#include "IntimacyLevels.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QHash>
#include <QList>
#include <QSqlDatabase>

namespace riskdesk {

// One coach related to a member (spec §5.4).
struct RelatedCoach {
    qint64 coachId = 0;
    QString name;                       // empty when the coach dimension has no row
    std::optional<qint64> rsHundredths; // the relation score at the snapshot, if there is a relation row
    bool followingUp = false;           // the coach of the member's latest active task
};

// The optional fields of BOARD-2 rows, read only for the members on the page, one batch query each (spec
// §5.3, §5.4): names and masked phones (DQ-6), last-visit days from valid service logs, the stored-value
// balance (DQ-7) and the related coaches. A member without a row simply has no entry in the answer.
class CustomerEnrichments {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CustomerEnrichments)

public:
    static Result<QHash<qint64, QString>> names(QSqlDatabase db, const QString& tenant,
                                                const QList<qint64>& members);
    // Masked phones ("138****1111"); a member without a phone has no entry.
    static Result<QHash<qint64, QString>> maskedPhones(QSqlDatabase db, const QString& tenant,
                                                       const QList<qint64>& members);
    // Business days from the member's last valid (not voided) service log on or before asOf to asOf.
    static Result<QHash<qint64, qint64>> lastVisitDays(QSqlDatabase db, const QString& tenant,
                                                       const QString& site, const QDate& asOf,
                                                       const QList<qint64>& members);
    // Σ of the member's stored-value accounts at the site, current values (a member with none: no entry).
    static Result<QHash<qint64, qint64>> storedValueBalances(QSqlDatabase db, const QString& tenant,
                                                             const QString& site,
                                                             const QList<qint64>& members);
    // Every related coach, in display order: the follow-up coach first, then RS descending, then coach id.
    static Result<QHash<qint64, QList<RelatedCoach>>> relatedCoaches(QSqlDatabase db, const QString& tenant,
                                                                     const QString& site, const QDate& asOf,
                                                                     const QList<qint64>& members);

    // The same, in one statement each: for these members (at most a batch), or for every member (members
    // null: of the tenant for names and phones, of the site for the others) when an export reads every row of
    // every tab.
    static Result<QHash<qint64, QString>> readNames(QSqlDatabase db, const QString& tenant,
                                                    const QList<qint64>* members);
    static Result<QHash<qint64, QString>> readMaskedPhones(QSqlDatabase db, const QString& tenant,
                                                           const QList<qint64>* members);
    static Result<QHash<qint64, qint64>> readLastVisitDays(QSqlDatabase db, const QString& tenant,
                                                           const QString& site, const QDate& asOf,
                                                           const QList<qint64>* members);
    static Result<QHash<qint64, qint64>> readStoredValueBalances(QSqlDatabase db, const QString& tenant,
                                                                 const QString& site,
                                                                 const QList<qint64>* members);
    static Result<QHash<qint64, QList<RelatedCoach>>>
    readRelatedCoaches(QSqlDatabase db, const QString& tenant, const QString& site, const QDate& asOf,
                       const QList<qint64>* members);

    // "白雪 😊 (following up), 安娜 💗 +1": the first three coaches and how many more.
    static QString coachesText(const QList<RelatedCoach>& coaches, const IntimacyLevels& levels,
                               const QLocale& locale, bool forExport = false);
    static constexpr int kCoachesShown = 3;
    static QString memberLabel(qint64 memberId);
    static QString coachLabel(qint64 coachId);
};

} // namespace riskdesk
