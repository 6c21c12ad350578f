#pragma once

#include "store/Workspace.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <memory>

namespace riskdesk::test {

// A real workspace file in a temporary folder, optionally filled with the deterministic demo.
class TestWorkspace {
public:
    // anchor: the demo's "now"; GUI tests pass the real clock, since the widgets judge windows by it.
    explicit TestWorkspace(qint64 demoExceptions = -1, quint64 seed = 7,
                           const QDateTime& anchor = fixedAnchor());

    Workspace& workspace() { return *m_workspace; }
    QSqlDatabase db() { return m_workspace->db(); }
    QString path() const { return m_path; }
    // The demo's "now": fixed, so tests never depend on the day they run.
    static QDateTime fixedAnchor();

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Workspace> m_workspace;
};

} // namespace riskdesk::test
