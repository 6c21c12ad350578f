#include "TestWorkspace.h"

#include "TestSettings.h"
#include "demo/DemoWorkspaceBuilder.h"

#include <QTimeZone>
#include <atomic>
#include <stdexcept>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk::test {

QDateTime TestWorkspace::fixedAnchor() {
    return QDateTime(QDate(2026, 11, 1), QTime(9, 0), QTimeZone::utc());
}

TestWorkspace::TestWorkspace(qint64 demoExceptions, quint64 seed, const QDateTime& anchor)
    : m_path(m_dir.filePath(u"test.riskdesk"_s)),
      m_workspace(std::make_unique<Workspace>(riskdesk::test::settings())) {
    static std::atomic<int> counter{0};
    if (Status s = m_workspace->open(m_path, u"test-%1"_s.arg(counter++)); !s)
        throw std::runtime_error(s.problem().message.toStdString());
    if (demoExceptions >= 0) {
        DemoOptions options;
        options.exceptions = demoExceptions;
        options.seed = seed;
        options.anchor = anchor;
        auto built = DemoWorkspaceBuilder::build(*m_workspace, options);
        if (!built)
            throw std::runtime_error(built.problem().message.toStdString());
    }
}

} // namespace riskdesk::test
