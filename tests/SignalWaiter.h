#pragma once

#include <QSignalSpy>
#include <QTest>

namespace riskdesk::test {

// A QSignalSpy whose next() also counts signals that came before it was called. Work on the database thread
// can finish before the call that started it returns, and its result is then delivered at once;
// QSignalSpy::wait() only sees signals emitted while it waits and would miss those.
class SignalWaiter : public QSignalSpy {
public:
    using QSignalSpy::QSignalSpy;

    bool next(int timeoutMs = 10000) {
        const bool arrived = QTest::qWaitFor([this] { return size() > m_seen; }, timeoutMs);
        m_seen = size();
        return arrived;
    }

private:
    qsizetype m_seen = 0;
};

} // namespace riskdesk::test
