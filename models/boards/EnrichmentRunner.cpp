#include "EnrichmentRunner.h"

#include "BoardFaults.h"
#include "store/SqliteDeadline.h"

#include <QElapsedTimer>
#include <exception>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

EnrichmentRunner::EnrichmentRunner(const QString& section, int timeoutMs, Clock clock)
    : m_section(section), m_timeoutMs(timeoutMs), m_clock(std::move(clock)), m_outcome(section) {
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
}

std::optional<std::pair<QString, bool>> EnrichmentRunner::run(const QString& name, const Step& step) {
    const QString qualified = m_section + u'.' + name;
    if (BoardFaults::shouldFail(qualified))
        return std::pair{tr("injected fault in %1").arg(qualified), false};
    const Deadline deadline(m_clock() + m_timeoutMs, m_clock);
    Status status = success();
    try {
        const SqliteDeadline interrupt(m_db, [&deadline] { return deadline.passed(); });
        status = step(deadline);
    } catch (const std::exception& e) {
        status = Problem{u"step_failed"_s, QString::fromLocal8Bit(e.what()), {}};
    } catch (...) {
        status = Problem{u"step_failed"_s, tr("unexpected failure"), {}};
    }
    if (deadline.passed())
        return std::pair{tr("no answer within %1 s").arg(m_timeoutMs / 1000.0, 0, 'f', 1), true};
    if (!status)
        return std::pair{status.problem().message, false};
    return std::nullopt;
}

bool EnrichmentRunner::runCore(const QString& name, const Step& step) {
    if (m_outcome.coreError())
        return false;
    const auto failure = run(name, step);
    if (failure)
        m_outcome.failCore(failure->first);
    return !failure;
}

bool EnrichmentRunner::runEnrichment(const QString& name, const QStringList& fields, const Step& step) {
    if (m_outcome.coreError())
        return false;
    const auto failure = run(name, step);
    if (failure)
        m_outcome.failEnrichment({name, fields, failure->first, failure->second});
    return !failure;
}

} // namespace riskdesk
