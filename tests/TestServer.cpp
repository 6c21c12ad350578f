#include "TestServer.h"

#include <QDeadlineTimer>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk::test {

std::unique_ptr<PgConnection> connectOrFail(const QString& url) {
    auto c = PgConnection::open(url);
    if (!c)
        qFatal("%s", qPrintable(c.problem().message));
    return std::move(c).value();
}

PgResult must(Result<PgResult> result) {
    if (!result)
        qFatal("%s", qPrintable(result.problem().message));
    return std::move(result).value();
}

Status dropDatabase(PgConnection& admin, const QString& name, int timeoutMs) {
    const QDeadlineTimer deadline(timeoutMs);
    // Client sessions only: autovacuum and other background workers are the DROP's to stop.
    const bool alone = QTest::qWaitFor(
        [&] {
            auto left =
                admin.exec(u"SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = "
                           "'client backend' AND pid <> pg_backend_pid()"_s,
                           {name});
            return left && left.value().integer(0, 0) == 0;
        },
        5000);
    if (!alone)
        qWarning("sessions still connected to %s after 5 s; ending them", qPrintable(name));
    Problem last;
    do {
        for (const QString& sql :
             {u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s, u"DROP DATABASE IF EXISTS %1"_s}) {
            auto dropped = admin.exec(sql.arg(name));
            if (dropped)
                return success();
            last = dropped.problem();
        }
        QTest::qWait(100);
    } while (!deadline.hasExpired());
    last.message = u"could not drop %1 within %2 ms: %3"_s.arg(name).arg(timeoutMs).arg(last.message);
    return last;
}

void mustDropDatabase(PgConnection& admin, const QString& name) {
    if (auto dropped = dropDatabase(admin, name); !dropped)
        qFatal("%s", qPrintable(dropped.problem().message));
}

} // namespace riskdesk::test
