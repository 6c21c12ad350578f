#include "ReadSnapshot.h"

#include "SqlProblem.h"

#include <QCoreApplication>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

ReadSnapshot::ReadSnapshot(QSqlDatabase db) : m_db(std::move(db)), m_begun(success()) {
    QSqlQuery q(m_db);
    if (q.exec(u"BEGIN"_s))
        m_open = true;
    else
        m_begun = sqlProblem(q, QCoreApplication::translate("riskdesk::Workspace", "Starting a read"));
}

ReadSnapshot::~ReadSnapshot() {
    if (m_open) {
        // Nothing is meant to be written here; COMMIT rather than ROLLBACK so that a write made inside by
        // mistake is never silently undone.
        QSqlQuery q(m_db);
        if (!q.exec(u"COMMIT"_s))
            q.exec(u"ROLLBACK"_s);
    }
}

} // namespace riskdesk
