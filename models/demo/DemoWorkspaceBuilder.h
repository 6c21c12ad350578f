#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <functional>

namespace riskdesk {

class AppSettings;
class Workspace;

struct DemoOptions {
    qint64 exceptions = 5000;
    quint64 seed = 42;
    // Time the data is generated around ("now" of the demo); same seed and anchor give the same workspace.
    QDateTime anchor;
    std::function<void(qint64 done, qint64 total)> progress;
    // The demo business behind the boards (DemoBoardGenerator) for tenant acme at this scale; 0: none.
    int boardScale = 0;
};

struct DemoSummary {
    int tenants = 0;
    int users = 0;
    int rules = 0;
    qint64 exceptions = 0;
    qint64 logEntries = 0;
    qint64 boardRows = 0;
    qint64 serviceLogs = 0;
    qint64 rechargeOrders = 0;
};

// Fills an empty workspace with a realistic, deterministic demo: two tenants, users of every role, rules of
// every severity shaped like the reference payloads, and exceptions in every status with their chain logs
// and a valid hash-chained approval log.
class DemoWorkspaceBuilder {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::DemoWorkspaceBuilder)

public:
    // The demo's rule payloads (resources/demo/rules.json), as the reference shapes them.
    static QJsonArray rulePayloads();

    // Fills an open, empty workspace, in its own transactions (a crash can leave it half-filled).
    static Result<DemoSummary> build(Workspace& workspace, const DemoOptions& options);
    // Makes a demo workspace file at path, whole or not at all: it is built beside the target under a
    // temporary name and renamed into place only when complete, so a crash or a kill leaves no workspace
    // that looks whole but is not. An existing target must be an empty file or a workspace with no data.
    // settings: where the new file's health and identity are remembered.
    static Result<DemoSummary> buildFile(AppSettings& settings, const QString& path,
                                         const DemoOptions& options);
};

} // namespace riskdesk
