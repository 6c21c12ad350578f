#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardRowSink.h"
#include "BoardScope.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlDatabase>

namespace riskdesk {

// One line of an export's filters sheet or PDF header: a label in the UI language and its value.
struct BoardExportFilter {
    QString label;
    QString value;
};

// Everything one export of a whole board writes (spec §2.8): the board computed with the same code and scope
// as the screen, but every section (BOARD-2: all eight dimensions, not only the visible tab) and every row
// (no paging; a printed board its first rows per section), plus the context the filters sheet and the PDF
// header show (who, when, which site and period).
class BoardExportSet {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardExportSet)

public:
    using Compute = Result<BoardReport> (*)(QSqlDatabase db, const BoardScope& scope,
                                            const BoardRequest& request);

    // The board's compute function, as the command line and the window call it.
    static Compute computeOf(BoardKind board);
    // The days the reports cover, for file names: the first report's resolved period that has one (the
    // board's default when the request named none), else the first one's as-of day, else today.
    static std::pair<QDate, QDate> resolvedRange(const QList<BoardReport>& reports, const QDate& today);
    // Computes every section of the board for the request (its page and page size are ignored: exports hold
    // every row). A drill-down request exports that one drill-down. exportedAt is the export's instant.
    // With a sink, every section's rows go to it as they are computed (BoardRowSink), in order, and the set's
    // tables need not hold them (BOARD-2's do not: all eight tabs of every member, read once each and
    // streamed).
    // rowsPerSection > 0: each section's first rows only, in its order (a printed board), its totals still
    // over the whole set.
    static Result<BoardExportSet> compute(QSqlDatabase db, BoardKind board, const BoardScope& scope,
                                          BoardRequest request, const QDateTime& exportedAt,
                                          BoardRowSink* sink = nullptr, int rowsPerSection = 0);

    BoardKind board() const { return m_board; }
    // One report per computed request: several for BOARD-2 (one per dimension), else one.
    const QList<BoardReport>& reports() const { return m_reports; }
    const QString& title() const { return m_title; }
    const QString& site() const { return m_site; }
    const QDate& from() const { return m_from; }
    const QDate& to() const { return m_to; }
    const QString& userId() const { return m_userId; }
    const QDateTime& exportedAt() const { return m_exportedAt; }
    const QLocale& locale() const { return m_locale; }
    // Site, period, previous period, as-of, data loaded through, user, export time and the request's filters.
    QList<BoardExportFilter> filters() const;
    // The header line of every PDF page: "Site S1 · 2026-05-01 ~ 2026-05-31 · as of … · data through …".
    QString headerLine() const;
    // Rows written: every row the sections hold (totals rows not counted), the sink's when there was one.
    qint64 rowCount() const;
    // Whether the rows went to a sink rather than into the tables.
    bool streamed() const { return m_streamed; }
    // SHA-256 of the resolved parameters of every report and the user: what board_exports records.
    QString parametersHash() const;

private:
    BoardKind m_board = BoardKind::Skills;
    QList<BoardReport> m_reports;
    QString m_title;
    QString m_site;
    QDate m_from;
    QDate m_to;
    QString m_userId;
    QDateTime m_exportedAt;
    QLocale m_locale;
    BoardRequest m_request;
    QDate m_watermark;
    QString m_zone;
    bool m_streamed = false;
    qint64 m_streamedRows = 0;
};

} // namespace riskdesk
