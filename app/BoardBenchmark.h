#pragma once

#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk-bench boards: the board figures of issue 15, each against its baseline in the same run, both
// sides' answers compared.
//  - Loading: N service-log rows from CSV (read, checked, business days computed, written: the whole
//    `board load`) against a plain SQLite bulk insert of the same rows already parsed in memory (one prepared
//    statement, one transaction, the same table and indexes).
//  - Board sections on a workspace (the demo with --board-scale): each board's query against the reference's
//    way (one query per function straight over the detail rows, on a copy without the board indexes).
class BoardBenchmark {
public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
