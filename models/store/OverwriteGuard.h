#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

// What an export, a report or any other output must never replace: a database (the open workspace, or any
// SQLite file: its first bytes say so), a database's journal files (-wal, -shm, -journal beside it), and the
// files the same command reads. Helper-68 exported the approval log onto the open workspace, which the export
// then overwrote (and `score --input F --output F` emptied F before reading it).
class OverwriteGuard {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::OverwriteGuard)

public:
    // Success when path may be written (a new file, or one that is none of the above); else an error naming
    // the file and what it is. inputs: files this command reads.
    static Status check(const QString& path, const QStringList& inputs = {});
};

} // namespace riskdesk
