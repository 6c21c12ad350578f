#pragma once

#include "domain/Result.h"

#include <QSqlDatabase>
#include <QString>

namespace riskdesk {

// One export of a board as the workspace's board_exports table keeps it (spec §2.8, AC-X-11): who exported
// what, with which parameters, to where, how many rows, when.
struct BoardExportEntry {
    QString userId; // empty: the workspace's owner
    QString tenant;
    QString site;    // empty for BOARD-4 (per tenant)
    QString board;   // the board's slug (BoardExportName::boardSlug)
    QString section; // the section of a CSV, empty for the whole board
    QString parametersHash;
    QString format; // csv, xlsx, pdf
    QString path;
    qint64 rowCount = 0;
    qint64 createdAtMs = 0;
};

class BoardExportLog {
public:
    static Status record(QSqlDatabase db, const BoardExportEntry& entry);
};

} // namespace riskdesk
