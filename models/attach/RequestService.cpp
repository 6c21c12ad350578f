#include "RequestService.h"

#include "AttachmentCache.h"
#include "AttachmentIntake.h"
#include "domain/ExceptionValidator.h"
#include "domain/RecordId.h"
#include "domain/Timestamps.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"
#include "store/Outbox.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

bool RequestService::mayFile(UserRole role) {
    return role == UserRole::Applicant || role == UserRole::Approver;
}

RequestOutcome RequestService::file(const ExceptionRequest& request,
                                    const QList<AttachmentContent>& attachments, const QDateTime& now,
                                    qint64 maxBytes) {
    RequestOutcome outcome;
    auto failed = [&](const Problem& p) {
        outcome.problems = {p};
        return outcome;
    };
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return failed(tx.begun().problem());

    DirectoryRepository directory(m_db);
    auto user = directory.user(request.tenantId, request.applicantId);
    if (!user) {
        if (user.problem().code != u"unknown_user")
            return failed(user.problem());
        outcome.problems.append(Problem{u"unknown_user"_s, user.problem().message, u"applicant_id"_s});
    } else if (!mayFile(user.value().role)) {
        outcome.problems.append(
            Problem{u"not_an_applicant"_s,
                    tr("%1 is %2 in tenant %3; only applicants and approvers file "
                       "requests.")
                        .arg(request.applicantId, displayName(user.value().role).toLower(), request.tenantId),
                    u"applicant_id"_s});
    }
    std::optional<Rule> rule;
    if (!request.riskRuleId.isEmpty()) {
        auto found = directory.rule(request.tenantId, request.riskRuleId);
        if (found)
            rule = found.value();
        else if (found.problem().code != u"unknown_rule")
            return failed(found.problem());
    }
    outcome.problems.append(ExceptionValidator::validateRequest(request, rule, now));
    if (!attachments.isEmpty() && !request.attachmentUrl.isEmpty())
        outcome.problems.append(Problem{u"two_attachment_kinds"_s,
                                        tr("Give attachment_url or attach files, not both."),
                                        u"attachment_url"_s});
    if (attachments.size() > AttachmentIntake::kMaxFiles)
        outcome.problems.append(
            Problem{u"too_many_attachments"_s,
                    tr("%n file(s) attached; a request takes at most %1.", nullptr, int(attachments.size()))
                        .arg(AttachmentIntake::kMaxFiles),
                    u"attachments"_s});
    QList<AttachmentContent> checked;
    for (const AttachmentContent& a : attachments) {
        auto accepted = AttachmentIntake::fromBytes(a.fileName, a.bytes, maxBytes);
        if (accepted)
            checked.append(accepted.value());
        else
            outcome.problems.append(accepted.problem());
    }
    if (!outcome.problems.isEmpty())
        return outcome;

    RiskException e = request.toException(RecordId::newExceptionId(), now);
    if (!checked.isEmpty())
        e.attachmentUrl = checked.first().url.toString();
    if (Status s = ExceptionRepository(m_db).insert(e); !s)
        return failed(s.problem());
    AttachmentCache cache(m_db);
    const QString what = tr("Keeping the request's attachments");
    for (qsizetype i = 0; i < checked.size(); ++i) {
        const AttachmentContent& a = checked.at(i);
        if (Status s = cache.keepIn(a.url.toString(), a, timestamps::toMs(now)); !s)
            return failed(s.problem());
        QSqlQuery q(m_db);
        q.prepare(u"INSERT INTO exception_attachments (tenant_id, record_id, position, sha256, file_name, "
                  "mime_type, size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
        q.addBindValue(e.tenantId);
        q.addBindValue(e.recordId);
        q.addBindValue(int(i + 1));
        q.addBindValue(QString::fromLatin1(a.sha256));
        q.addBindValue(a.fileName);
        q.addBindValue(a.mimeType);
        q.addBindValue(qint64(a.bytes.size()));
        if (!q.exec())
            return failed(sqlProblem(q, what));
    }
    QJsonArray files; // the list the server keeps (migration 012)
    for (const AttachmentContent& a : std::as_const(checked))
        files.append(QJsonObject{{u"sha256"_s, QString::fromLatin1(a.sha256)}, {u"file_name"_s, a.fileName}});
    if (Status s = Outbox(m_db).enqueueCreation(e, files); !s)
        return failed(s.problem());
    if (Status s = tx.commit(); !s)
        return failed(s.problem());
    outcome.exception = e;
    return outcome;
}

Result<QList<AttachmentContent>> RequestService::attachmentsOf(const QString& tenantId,
                                                               const QString& recordId) const {
    const QString what = tr("Reading the request's attachments");
    QSqlQuery q(m_db);
    q.prepare(u"SELECT sha256, file_name, mime_type, size_bytes FROM exception_attachments "
              "WHERE tenant_id = ? AND record_id = ? ORDER BY position"_s);
    q.addBindValue(tenantId);
    q.addBindValue(recordId);
    if (!q.exec())
        return sqlProblem(q, what);
    QList<AttachmentContent> out;
    while (q.next()) {
        AttachmentContent c;
        c.sha256 = q.value(0).toString().toLatin1();
        c.url = QUrl(AttachmentIntake::addressOf(c.sha256));
        c.fileName = q.value(1).toString();
        c.mimeType = q.value(2).toString();
        c.sizeBytes = q.value(3).toLongLong();
        c.fromCache = true;
        out.append(c);
    }
    if (rowsFailed(q))
        return sqlProblem(q, what);
    return out;
}

} // namespace riskdesk
