#pragma once

#include "BoardDataCatalog.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QTimeZone>
#include <QVariant>
#include <memory>
#include <optional>

namespace riskdesk {

// A site's business day: its time zone and cut-off (minutes after local midnight; none: calendar days).
struct BoardSiteClock {
    QString tz;
    std::optional<int> cutoffMinutes;
    bool hasDatedRows = false; // rows whose biz_date was computed with this clock are stored

    // The business day (YYYY-MM-DD) of an instant: the local date of (t − cut-off).
    QString businessDay(qint64 utcMs) const;

    // Looking a zone up and converting is slow next to the rest of a row, and a load's times repeat at
    // minute resolution (every zone offset and cut-off is whole minutes), so each minute is converted once.
    struct Memo {
        QTimeZone zone;
        QHash<qint64, QString> dayOfMinute;
    };
    mutable std::shared_ptr<Memo> memo = nullptr;
};

// The board data files of one directory, read and checked completely before anything is written: every row
// parsed into its stored form (fen, UTC ms, dates as text, decimals as written), biz_date computed, sites
// checked against the load's own site_settings.csv and the sites the target already knows. The first
// problems found (up to 20) are reported together, each naming its file, line and column.
class BoardLoadSet {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardLoadSet)

public:
    struct File {
        const BoardDataset* dataset = nullptr;
        // Values in the dataset's column order (QString, qint64 or a null QVariant), then biz_date when the
        // dataset computes it.
        QList<QVariantList> rows;
        // The value of a named column in a row (biz_date included).
        QVariant value(const QVariantList& row, const QString& column) const;
    };

    // knownSites: the tenant's sites in the target, with their clocks.
    static Result<BoardLoadSet> read(const QString& dir, const QHash<QString, BoardSiteClock>& knownSites);

    const QList<File>& files() const { return m_files; }
    qint64 rowCount() const;

    // The header-only template files of every dataset.
    static Status writeTemplates(const QString& dir);

private:
    QList<File> m_files;
};

} // namespace riskdesk
