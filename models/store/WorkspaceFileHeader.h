#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QString>

namespace riskdesk {

// The first 100 bytes of an SQLite file, read before SQLite opens it: a file that is not SQLite at all, or
// that is shorter than its own header says (cut off by a failed copy or a full disk), is named as such
// instead of surfacing later as an odd error or as missing rows.
class WorkspaceFileHeader {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::WorkspaceFileHeader)

public:
    // Success, or a problem coded "workspace_not_sqlite", "workspace_empty" or "workspace_damaged".
    static Status check(const QString& path);
};

} // namespace riskdesk
