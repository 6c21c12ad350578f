#pragma once

#include "BoardExportSet.h"
#include "TrendColors.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlDatabase>

namespace riskdesk {

// What an export wrote.
struct BoardExportOutcome {
    QString path; // the file written (absolute)
    qint64 rows = 0;
    int pages = 0; // PDF only
};

// Writes a whole board as XLSX or PDF (spec §2.8), the same way for the window and `riskdesk board … --format
// xlsx|pdf`: computes every section and tab (BoardExportSet) with every row (a PDF: each section's first
// BoardPdfExport::kRowsPerSection), names the file when given a
// directory, draws the charts into the PDF with the window's painter, and records the export in
// board_exports. Runs on the workspace connection's thread (the window's database thread).
class BoardExportWriter {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardExportWriter)

public:
    // format: "xlsx" or "pdf"; path: a file, or a directory for the standard file name. scheme: the up/down
    // colours of the charts.
    static Result<BoardExportOutcome> writeBoard(QSqlDatabase db, BoardKind board, const BoardScope& scope,
                                                 const BoardRequest& request, const QString& format,
                                                 const QString& path, const QDateTime& now,
                                                 TrendColors::Scheme scheme);
    // One section of the board as CSV: every row, a BOM (Excel reads UTF-8), the header in the UI's language.
    static Result<BoardExportOutcome> writeSectionCsv(QSqlDatabase db, BoardKind board,
                                                      const BoardScope& scope, BoardRequest request,
                                                      const QString& sectionKey, const QString& path);
    // The folder an export to path (a file, or a directory) goes to exists and can be written, and a file
    // already at path is a regular file (an export replaces it, and must never replace a device such as
    // /dev/full or a pipe), named when not; both writers check it before any work (libxlsxwriter would name
    // its hidden partial file and guess at permissions, in English), and so does the command line before it
    // computes the board.
    static Status checkFolder(const QString& path);
    // Writes bytes as the file at path, whole or not at all (beside it first, then renamed), naming the cause
    // of a failure such as a full disk.
    static Status writeWhole(const QString& path, const QByteArray& bytes);
};

} // namespace riskdesk
