#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace riskdesk {

// Where sync stands, for the status bar.
struct SyncStatus {
    bool configured = false; // a backend is set
    bool online = false;
    qint64 waiting = 0;       // changes made here not pushed yet (Outbox::changesToPush)
    QDateTime lastSync;       // the last complete push and pull
    QString lastError;        // why it is offline, or the last refusal
    qint64 pullProgress = -1; // rows so far during a long first pull; -1 otherwise
    QStringList conflicts;    // the latest conflicts and refusals, newest first
    // After a first pull, while its indexes are built: indexes still to build, then the search index's
    // progress (-1 when it is complete).
    int indexesLeft = 0;
    int searchPercent = -1;
};

} // namespace riskdesk

Q_DECLARE_METATYPE(riskdesk::SyncStatus)
