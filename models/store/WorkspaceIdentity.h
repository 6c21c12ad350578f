#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <functional>

namespace riskdesk {

class AppSettings;

// Tells a copied workspace from the original. What this desktop remembers about a workspace (the last
// verified head of each approval log) is keyed by the identity stored in the file, and a plain file copy
// carries that identity along: the copy, falling behind the original, would then read as a log cut short. So
// this desktop also remembers which file holds each identity. A different file that opens with an identity
// the remembered file still holds is a copy and takes an identity of its own (a read-only copy answers one
// derived from its path); a file whose identity's remembered file is gone or changed was moved, and keeps it.
// A log cut short in the file itself still fails against its remembered head.
class WorkspaceIdentity {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::WorkspaceIdentity)

public:
    struct Claim {
        QString id;     // the identity to remember things under
        QString notice; // what to tell the user, if anything happened
    };
    // mayWrite: asked only when the file is a copy that would take an identity of its own; false (read-only,
    // or found damaged by the check it runs) keeps the file as it is and answers an identity of its path.
    static Result<Claim> claim(AppSettings& settings, const QSqlDatabase& db, const QString& path,
                               const QString& storedId, const std::function<bool()>& mayWrite);
};

} // namespace riskdesk
