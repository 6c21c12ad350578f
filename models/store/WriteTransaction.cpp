#include "WriteTransaction.h"

#include "SqlProblem.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

WriteTransaction::WriteTransaction(QSqlDatabase db) : m_db(std::move(db)), m_begun(success()) {
    QSqlQuery q(m_db);
    QElapsedTimer waited;
    waited.start();
    const bool begun = q.exec(u"BEGIN IMMEDIATE"_s);
    m_waitedMs = waited.elapsed();
    if (begun) {
        m_open = true;
    } else if ((q.lastError().nativeErrorCode().toInt() & 0xff) == 8) { // SQLITE_READONLY
        m_begun = Problem{u"workspace_read_only"_s,
                          QCoreApplication::translate(
                              "riskdesk::Workspace",
                              "The workspace takes no changes: it is open read-only, or was found damaged."),
                          {}};
    } else {
        // A damaged file, another writer that kept the lock (busy), or anything else: each in its own words.
        m_begun = sqlProblem(q, QCoreApplication::translate("riskdesk::Workspace", "Starting a change"));
    }
}

QDateTime WriteTransaction::afterWait(const QDateTime& now) const {
    constexpr qint64 kNoticeableWaitMs = 50;
    return m_waitedMs >= kNoticeableWaitMs ? now.addMSecs(m_waitedMs) : now;
}

WriteTransaction::~WriteTransaction() {
    if (m_open) {
        QSqlQuery q(m_db);
        q.exec(u"ROLLBACK"_s);
    }
}

Status WriteTransaction::commit() {
    if (!m_open)
        return m_begun.ok() ? Status(Problem{u"not_in_transaction"_s, u"commit without a transaction"_s, {}})
                            : m_begun;
    QSqlQuery q(m_db);
    m_open = false;
    if (!q.exec(u"COMMIT"_s)) {
        const Problem failed =
            sqlProblem(q, QCoreApplication::translate("riskdesk::Workspace", "Saving to the workspace"));
        QSqlQuery rollback(m_db);
        rollback.exec(u"ROLLBACK"_s);
        return failed;
    }
    return success();
}

} // namespace riskdesk
