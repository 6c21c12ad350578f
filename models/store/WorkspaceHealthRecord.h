#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <optional>

namespace riskdesk {

class AppSettings;

// What this desktop last found when it read a whole workspace file, remembered outside the file (a damaged
// file cannot be trusted to keep the note itself) and tied to the file's fingerprint (device, inode, size,
// time):
//   - clean: the file has not changed since a check found no damage (or since this desktop last wrote it
//   after
//     such a check), so opening it again needs no check: commands stay fast on a large workspace;
//   - damaged: every later opening refuses to write until the file is replaced or a full check passes.
// A file changed by anything else (a copy put in its place, a restore, a tool, random bytes) has another
// fingerprint and is read whole again before it is used.
class WorkspaceHealthRecord {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::WorkspaceHealthRecord)

public:
    enum class Verdict { Unknown, Clean, Damaged };
    struct Recalled {
        Verdict verdict = Verdict::Unknown;
        std::optional<Problem> damage; // with Damaged: what to tell the user
    };
    static Recalled recall(const AppSettings& settings, const QString& path);
    static void recordClean(AppSettings& settings, const QString& path);
    static void recordDamage(AppSettings& settings, const QString& path, const QString& finding);
    static void forget(AppSettings& settings, const QString& path);
};

} // namespace riskdesk
