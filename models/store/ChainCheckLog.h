#pragma once

#include "ApprovalLogRepository.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

// The last verification of a tenant's chain, as stored in chain_checks.
struct ChainCheck {
    bool intact = false;
    qint64 entries = 0;
    qint64 checkedAtMs = 0;
    qint64 firstBrokenSeq = 0; // when not intact
    // What was found, in the reader's language (a stored sentence would keep the verifier's).
    QString message() const;
};

// Remembers the result of each walk of a chain in the workspace, so that a board can say when the chain was
// last verified and what was found without walking it again (a million entries take seconds).
class ChainCheckLog {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ChainCheckLog)

public:
    static Status record(QSqlDatabase db, const QString& tenant, LogSource source, const ChainVerification& v,
                         qint64 checkedAtMs);
    // Nothing when the chain has never been verified in this workspace.
    static Result<std::optional<ChainCheck>> last(QSqlDatabase db, const QString& tenant, LogSource source);
};

} // namespace riskdesk
