#include "SyncEngine.h"

#include "AssignmentSync.h"
#include "AttachmentBlobSync.h"
#include "BoardPartitionPull.h"
#include "CommentSync.h"
#include "CopyStream.h"
#include "CopyTextRow.h"
#include "CrashPoint.h"
#include "PullHorizon.h"
#include "StopRequest.h"
#include "domain/ExceptionColumns.h"
#include "domain/ExceptionDecision.h"
#include "domain/Timestamps.h"
#include "store/BatchedInsert.h"
#include "store/ExceptionBulkLoad.h"
#include "store/QueueFactsRederive.h"
#include "store/RowBlock.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kPullBatch = 5000;

// The server's exception columns in the workspace's order and forms (ExceptionColumns). Times are epoch
// milliseconds, rounded half up from their exact microseconds and computed through float8 microseconds (exact
// below 2^53): extract() returns numeric, whose arithmetic made the first pull's query a fifth slower on the
// server. Each time is first held within 1900..9999: a row written before the server refused them may say
// 'infinity' or year 294276, whose microseconds overflow a bigint and would stop every pull at that row.
QByteArray serverColumns() {
    QByteArray out;
    for (const ExceptionColumn& c : ExceptionColumns::kAll) {
        const QByteArray name = "e." + QByteArray(c.name.data(), qsizetype(c.name.size()));
        if (!out.isEmpty())
            out += ", ";
        switch (c.kind) {
        case ExceptionColumnKind::Time:
            out += "((date_part('epoch', least(greatest(" + name +
                   ", '1900-01-01Z'), '9999-12-31Z')) * 1000000)::bigint + 500) / 1000";
            break;
        case ExceptionColumnKind::Chain:
            out += name + "::text";
            break;
        case ExceptionColumnKind::Flag:
            out += name + "::int";
            break;
        default:
            out += name;
        }
    }
    return out;
}

const QByteArray kServerColumns = serverColumns();
constexpr int kColumnCount = ExceptionColumns::kCount;
// The columns bound as integers rather than as text (looked up per field of a first pull).
constexpr auto kIntegerColumn = [] {
    std::array<bool, kColumnCount> integer{};
    for (int c = 0; c < kColumnCount; ++c)
        integer.at(size_t(c)) = ExceptionColumns::storedAsInteger(c);
    return integer;
}();

// Takes the server's row unless this desktop has a decision on it still waiting to be pushed.
const QByteArray kUpsert =
    "INSERT INTO exceptions (" + ExceptionColumns::names() + ") VALUES (" + ExceptionColumns::placeholders() +
    ") ON CONFLICT (tenant_id, record_id) DO UPDATE SET " + ExceptionColumns::setFromExcluded() +
    " WHERE (excluded.version >= exceptions.version OR ?) AND NOT EXISTS (SELECT 1 FROM outbox o "
    "WHERE o.tenant_id = excluded.tenant_id AND o.record_id = excluded.record_id AND o.state = 'waiting' "
    "AND o.kind IN ('decision', 'create'))";

// The columns a decision changes, from a set's answer, unless this desktop has a decision on the exception
// still waiting to be pushed (as kUpsert).
const QByteArray kTakeState =
    "UPDATE exceptions SET " + ExceptionColumns::decidedAssignments() +
    " WHERE tenant_id = ? AND record_id = ? AND NOT EXISTS (SELECT 1 FROM outbox o"
    " WHERE o.tenant_id = exceptions.tenant_id AND o.record_id = exceptions.record_id"
    " AND o.state = 'waiting' AND o.kind IN ('decision', 'create'))";

} // namespace

QString SyncEngine::cursor() const {
    QSqlQuery q(m_db);
    if (q.exec(u"SELECT value FROM workspace_meta WHERE key = 'sync_cursor'"_s) && q.next()) {
        // "server-id/xid:change": a cursor of another server (or of this one rebuilt) means start afresh.
        const QString value = q.value(0).toString();
        if (m_serverId.isEmpty()) {
            auto id = m_server.exec(u"SELECT server_id::text FROM riskdesk.server_identity"_s);
            if (id && id.value().rows() > 0)
                m_serverId = id.value().text(0, 0);
        }
        if (value.section(u'/', 0, 0) == m_serverId)
            return value.section(u'/', 1);
    }
    return {};
}

QString SyncEngine::cursorValue(const QString& position) const {
    return m_serverId + u'/' + position;
}

Status SyncEngine::applyServerRow(QSqlQuery& q, const QJsonObject& e) {
    if (e.isEmpty())
        return success();
    // The server's JSON form of each column, as the workspace stores it.
    QVariantList values;
    for (const ExceptionColumn& c : ExceptionColumns::kAll) {
        const QJsonValue v = e.value(QLatin1StringView(c.name.data(), qsizetype(c.name.size())));
        switch (c.kind) {
        case ExceptionColumnKind::Time: {
            const auto t = timestamps::fromIso(v.toString());
            values << (t ? QVariant(t->toMSecsSinceEpoch()) : QVariant());
            break;
        }
        case ExceptionColumnKind::Chain:
            values << QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
            break;
        case ExceptionColumnKind::Flag:
            values << (v.toBool() ? 1 : 0);
            break;
        case ExceptionColumnKind::Version:
            values << v.toInteger();
            break;
        case ExceptionColumnKind::Text:
        case ExceptionColumnKind::OptionalText:
            values << (v.isNull() || v.isUndefined() ? QVariant() : QVariant(v.toString()));
            break;
        }
    }
    values << true; // the server's answer wins, whatever the local version
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (!q.exec())
        return sqlProblem(q, tr("Taking the server's state"));
    return success();
}

Status SyncEngine::applyServerState(QSqlQuery& q, const OutboxEntry& entry, const PushAnswer& a) {
    // Each value bound at its column's place in kTakeState (ExceptionColumns::kDecided), then the key.
    auto column = [&q](std::string_view name, const QVariant& value) {
        q.bindValue(ExceptionColumns::decidedIndexOf(name), value);
    };
    column("status", a.status);
    column("rejection_reason", a.rejectionReasonNull ? QVariant() : QVariant(a.rejectionReason));
    column("current_approver_id", a.currentApprover);
    column("last_status_at", a.lastStatusAt);
    column("auto_rejected", a.autoRejected ? 1 : 0);
    column("approval_chain_log", a.chain);
    column("version", a.version);
    const int key = int(ExceptionColumns::kDecided.size());
    q.bindValue(key, entry.tenant);
    q.bindValue(key + 1, entry.record);
    if (!q.exec())
        return sqlProblem(q, tr("Taking the server's state"));
    return success();
}

Result<SyncReport> SyncEngine::push(SyncLogin* shared) {
    SyncReport report;
    std::optional<SyncLogin> own;
    auto loginOf = SyncLogin::sharedOrRead(shared, own, m_server);
    if (!loginOf)
        return loginOf.problem();
    SyncLogin& login = *loginOf.value();
    auto entries = waitingEntries();
    if (!entries)
        return entries.problem();
    // Sets of decisions go to the server in one call each (one statement and one commit, not one per
    // decision) and are recorded here in one local transaction each. While this desktop records a set, the
    // server already decides the next one: the two sides work at once instead of in turn. A crash in between
    // is harmless: the keys make a retry return what the server already decided. A stop is obeyed between
    // sets, never inside one; a set already sent is answered and recorded first.
    const QList<OutboxEntry>& all = entries.value();
    if (all.isEmpty())
        return report;
    if (stopRequested())
        return stopped();
    auto first = startSet(all.mid(0, m_pushSetSize), login);
    if (!first)
        return first.problem();
    SetInFlight current = std::move(first.value());
    qsizetype sent = current.chunk.size();
    for (;;) {
        if (Status s = finishSet(current); !s)
            return s.problem();
        crashPoint("push-after-decide"); // the server has them; this desktop does not know yet
        std::optional<SetInFlight> next;
        if (sent < all.size() && !stopRequested()) {
            auto started = startSet(all.mid(sent, m_pushSetSize), login);
            if (!started) {
                // Nothing is in flight then: this set's answers are kept all the same, and the rest wait.
                (void)recordAnswers(current.chunk, current.answers, false);
                return started.problem();
            }
            next = std::move(started.value());
            sent += next->chunk.size();
        }
        if (Status s = recordAnswers(current.chunk, current.answers, next && !next->awaited.isEmpty()); !s) {
            if (next && !next->awaited.isEmpty())
                (void)m_server.collect(); // frees the connection; a retry replays that set by its keys
            return s.problem();
        }
        crashPoint("push-after-mark");
        countAnswers(current.answers, report);
        if (!next)
            break;
        current = std::move(*next);
    }
    if (sent < all.size())
        return stopped();
    return report;
}

Result<QList<OutboxEntry>> SyncEngine::waitingEntries() {
    QSqlQuery q(m_db);
    if (!q.exec(
            u"SELECT outbox_id, tenant_id, idempotency_key, record_id, payload FROM outbox "
            "WHERE state = 'waiting' AND kind IN ('decision', 'create') ORDER BY outbox_id"_s)) // comments:
                                                                                                // CommentSync
        return sqlProblem(q, tr("Reading the outbox"));
    QList<OutboxEntry> entries;
    while (q.next())
        entries.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                        q.value(3).toString(),
                        QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object()});
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the outbox"));
    return entries;
}

Result<SyncEngine::SetInFlight> SyncEngine::startSet(QList<OutboxEntry> chunk, SyncLogin& login) {
    SetInFlight set{std::move(chunk), {}, {}};
    const QList<OutboxEntry>& entries = set.chunk;
    set.answers.resize(entries.size());
    // A call decides one tenant's decisions, in outbox order; what this desktop can tell is refused is never
    // sent.
    QStringList tenants;
    QHash<QString, QList<qsizetype>> byTenant;
    // Requests filed here go first, one create_exception each: a decision behind one in the outbox (its
    // applicant withdrawing it) needs it on the server.
    for (qsizetype i = 0; i < entries.size(); ++i)
        if (isCreation(entries.at(i)) && goesToServer(entries.at(i), login, set.answers[i]))
            if (Status one = createOne(entries.at(i), set.answers[i]); !one)
                return one.problem();
    for (qsizetype i = 0; i < entries.size(); ++i)
        if (!isCreation(entries.at(i)) && goesToServer(entries.at(i), login, set.answers[i])) {
            if (!byTenant.contains(entries.at(i).tenant))
                tenants << entries.at(i).tenant;
            byTenant[entries.at(i).tenant].append(i);
        }
    for (const QString& tenant : std::as_const(tenants)) {
        const QList<qsizetype>& items = byTenant.value(tenant);
        if (m_pushSetSize > 1 && tenant == tenants.last()) {
            // The last call of the set is left running: finishSet reads its answer.
            auto sent = sendDecisionSet(tenant, entries, items);
            if (!sent)
                return sent.problem();
            if (sent.value()) {
                set.awaited = items;
                break;
            }
        } else if (m_pushSetSize > 1) {
            auto together = decideSet(tenant, entries, items, set.answers);
            if (!together)
                return together.problem();
            if (together.value())
                continue;
        }
        // One at a time, or the set raised an error and applied nothing.
        for (qsizetype i : items)
            if (Status one = decideOne(entries.at(i), set.answers[i]); !one)
                return one.problem();
    }
    return set;
}

Status SyncEngine::finishSet(SetInFlight& set) {
    if (set.awaited.isEmpty())
        return success();
    const QList<qsizetype> items = std::exchange(set.awaited, {});
    auto together = readDecisionSet(set.chunk, items, set.answers);
    if (!together)
        return together.problem();
    if (!together.value()) // the set raised an error and applied nothing: one at a time
        for (qsizetype i : items)
            if (Status one = decideOne(set.chunk.at(i), set.answers[i]); !one)
                return one.problem();
    return success();
}

Status SyncEngine::recordAnswers(const QList<OutboxEntry>& chunk, const QList<PushAnswer>& answers,
                                 bool readAhead) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    QSqlQuery mark(m_db);
    mark.prepare(u"UPDATE outbox SET state = ?, last_error = ? WHERE outbox_id = ?"_s);
    QSqlQuery upsert(m_db); // prepared once per set: the statement is long, the rows many
    if (!upsert.prepare(QString::fromLatin1(kUpsert)))
        return sqlProblem(upsert, tr("Taking the server's state"));
    QSqlQuery update(m_db);
    if (!update.prepare(QString::fromLatin1(kTakeState)))
        return sqlProblem(update, tr("Taking the server's state"));
    for (qsizetype i = 0; i < chunk.size(); ++i) {
        if (readAhead && i % 256 == 0)
            m_server.readAhead();
        const PushAnswer& a = answers.at(i);
        mark.addBindValue(a.kind == PushAnswer::Applied || a.kind == PushAnswer::ServersOwn ? u"sent"_s
                          : a.kind == PushAnswer::Waiting                                   ? u"waiting"_s
                                                                                            : u"refused"_s);
        mark.addBindValue(a.message.isEmpty() ? QVariant() : QVariant(a.message));
        mark.addBindValue(chunk.at(i).id);
        if (!mark.exec())
            return sqlProblem(mark, tr("Recording the server's answer"));
        if (Status s =
                a.hasState ? applyServerState(update, chunk.at(i), a) : applyServerRow(upsert, a.serverRow);
            !s)
            return s.problem();
    }
    crashPoint("push-before-mark-commit");
    return tx.commit();
}

void SyncEngine::countAnswers(const QList<PushAnswer>& answers, SyncReport& report) {
    for (const PushAnswer& a : answers) {
        if (a.kind == PushAnswer::ServersOwn)
            continue;
        ++(a.kind == PushAnswer::Applied    ? report.pushed
           : a.kind == PushAnswer::Conflict ? report.conflicts
           : a.kind == PushAnswer::Waiting  ? report.waiting
                                            : report.refused);
        if (!a.message.isEmpty())
            report.messages << a.message;
    }
}

bool SyncEngine::goesToServer(const OutboxEntry& entry, SyncLogin& login, PushAnswer& a) {
    const QString actor = entry.payload.value(u"actor_id"_s).toString();
    ApprovalStep step;
    step.approverId = actor;
    step.action = entry.payload.value(u"action"_s).toString();
    if (ExceptionDecision::isTimeDriven(step)) {
        a.kind = PushAnswer::ServersOwn;
        a.message =
            tr("%1: not sent; the server applies the end of a validity window itself.").arg(entry.record);
        return false;
    }
    if (QString why = login.whyWaiting(entry.tenant, entry.record, actor); !why.isEmpty()) {
        a.kind = PushAnswer::Waiting;
        a.message = std::move(why);
        return false;
    }
    return true;
}

Result<bool> SyncEngine::decideSet(const QString& tenant, const QList<OutboxEntry>& chunk,
                                   const QList<qsizetype>& items, QList<PushAnswer>& answers) {
    auto sent = sendDecisionSet(tenant, chunk, items);
    if (!sent || !sent.value())
        return sent;
    return readDecisionSet(chunk, items, answers);
}

Result<bool> SyncEngine::sendDecisionSet(const QString& tenant, const QList<OutboxEntry>& chunk,
                                         const QList<qsizetype>& items) {
    QJsonArray set;
    for (qsizetype i : items) {
        const OutboxEntry& entry = chunk.at(i);
        set.append(
            QJsonObject{{u"record_id"_s, entry.record},
                        {u"action"_s, entry.payload.value(u"action"_s).toString()},
                        {u"comment"_s, entry.payload.value(u"comment"_s).toString()},
                        {u"expected_version"_s, entry.payload.value(u"expected_version"_s).toInteger()},
                        {u"idempotency_key"_s, entry.key}});
    }
    crashPoint("push-before-decide");
    // The decisions travel as one JSON parameter and become riskdesk.decision[] in their order. The answers
    // come as columns: what each decision changed of its exception (times as epoch milliseconds, as
    // kServerColumns), not the whole exception as JSON.
    auto sent = m_server.send(
        u"SELECT s.o_item, s.o_kind, s.o_message, s.o_found, s.o_status, s.o_rejection_reason, "
        "s.o_current_approver, "
        "((date_part('epoch', least(greatest(s.o_last_status_at, '1900-01-01Z'), '9999-12-31Z')) * "
        "1000000)::bigint "
        "+ 500) / 1000, s.o_auto_rejected::int, s.o_chain::text, s.o_version "
        "FROM riskdesk.decide_set_rows($1, ARRAY("
        "SELECT ROW(d.record_id, d.action, d.comment, d.expected_version, "
        "d.idempotency_key)::riskdesk.decision "
        "FROM ROWS FROM (pg_catalog.jsonb_to_recordset($2::jsonb) AS (record_id text, action text, comment "
        "text, "
        "expected_version bigint, idempotency_key text)) WITH ORDINALITY "
        "AS d(record_id, action, comment, expected_version, idempotency_key, i) ORDER BY d.i)) s "
        "ORDER BY s.o_item"_s,
        {tenant, QString::fromUtf8(QJsonDocument(set).toJson(QJsonDocument::Compact))});
    if (!sent) {
        if (sent.problem().code == u"nul_character")
            return false;      // refused before sending: one at a time names the decision at fault
        return sent.problem(); // stays waiting; the next attempt retries with the same keys
    }
    return true;
}

Result<bool> SyncEngine::readDecisionSet(const QList<OutboxEntry>& chunk, const QList<qsizetype>& items,
                                         QList<PushAnswer>& answers) {
    auto answer = m_server.collect();
    if (!answer) {
        if (answer.problem().code == u"server_unreachable")
            return answer.problem(); // stays waiting; the next attempt retries with the same keys
        return false; // one of them is at fault (or the server predates sets): nothing was applied
    }
    const PgResult& rows = answer.value();
    if (rows.rows() != items.size())
        return Problem{
            u"server_error"_s,
            tr("The server answered %1 of %2 decisions sent together.").arg(rows.rows()).arg(items.size()),
            {}};
    for (int row = 0; row < rows.rows(); ++row) {
        PushAnswer& a = answers[items.at(row)];
        const QString& record = chunk.at(items.at(row)).record;
        a.hasState = rows.text(row, 3) == u"t";
        if (a.hasState) {
            a.status = rows.text(row, 4);
            a.rejectionReasonNull = rows.isNull(row, 5);
            a.rejectionReason = rows.text(row, 5);
            a.currentApprover = rows.text(row, 6);
            a.lastStatusAt = rows.integer(row, 7);
            a.autoRejected = rows.integer(row, 8) != 0;
            a.chain = rows.text(row, 9);
            a.version = rows.integer(row, 10);
        }
        const QString kind = rows.text(row, 1);
        if (kind == u"conflict") {
            a.kind = PushAnswer::Conflict;
            const QJsonArray chain = QJsonDocument::fromJson(a.chain.toUtf8()).array();
            const QJsonObject winner = chain.isEmpty() ? QJsonObject() : chain.last().toObject();
            a.message =
                tr("%1: conflict, %2 decided first (%3 at %4); yours was not applied.")
                    .arg(record, winner.value(u"approver_id"_s).toString(),
                         winner.value(u"action"_s).toString(), winner.value(u"timestamp"_s).toString());
        } else if (kind == u"refused") {
            a.kind = PushAnswer::Refused;
            a.message = tr("%1: the server refused it: %2").arg(record, rows.text(row, 2));
        } else {
            a.kind = PushAnswer::Applied;
        }
    }
    return true;
}

Status SyncEngine::decideOne(const OutboxEntry& entry, PushAnswer& a) {
    crashPoint("push-before-decide");
    auto answer =
        m_server.exec(u"SELECT riskdesk.decide($1, $2, $3, $4, $5, $6)::text"_s,
                      {entry.tenant, entry.record, entry.payload.value(u"action"_s).toString(),
                       entry.payload.value(u"comment"_s).toString(),
                       QString::number(entry.payload.value(u"expected_version"_s).toInteger()), entry.key});
    if (!answer) {
        if (answer.problem().code == u"server_unreachable")
            return answer.problem();
        a.kind = PushAnswer::Refused;
        a.message = tr("%1: %2").arg(entry.record, answer.problem().message);
        return success();
    }
    readOutcome(entry.record, answer.value().text(0, 0), a);
    return success();
}

bool SyncEngine::isCreation(const OutboxEntry& entry) {
    return entry.payload.value(u"action"_s).toString() == u"create";
}

Status SyncEngine::createOne(const OutboxEntry& entry, PushAnswer& a) {
    crashPoint("push-before-decide");
    // The request's fields exactly as queued: the server fingerprints them with the key, so a retry after a
    // crash or an outage returns the first answer and creates nothing twice.
    auto answer = m_server.exec(
        u"SELECT riskdesk.create_exception($1, $2::jsonb, $3)::text"_s,
        {entry.tenant,
         QString::fromUtf8(
             QJsonDocument(entry.payload.value(u"exception"_s).toObject()).toJson(QJsonDocument::Compact)),
         entry.key});
    if (!answer) {
        if (answer.problem().code == u"server_unreachable")
            return answer.problem();
        a.kind = PushAnswer::Refused;
        a.message = tr("%1: the server refused the request: %2").arg(entry.record, answer.problem().message);
        return success();
    }
    readOutcome(entry.record, answer.value().text(0, 0), a);
    return success();
}

void SyncEngine::readOutcome(const QString& record, const QString& json, PushAnswer& a) {
    const QJsonObject outcome = QJsonDocument::fromJson(json.toUtf8()).object();
    a.serverRow = outcome.value(u"exception"_s).toObject();
    const QString kind = outcome.value(u"outcome"_s).toString();
    if (kind == u"conflict") {
        a.kind = PushAnswer::Conflict;
        const QJsonObject winner = outcome.value(u"latest_step"_s).toObject();
        a.message = tr("%1: conflict, %2 decided first (%3 at %4); yours was not applied.")
                        .arg(record, winner.value(u"approver_id"_s).toString(),
                             winner.value(u"action"_s).toString(), winner.value(u"timestamp"_s).toString());
    } else if (kind == u"refused") {
        a.kind = PushAnswer::Refused;
        a.message = tr("%1: the server refused it: %2").arg(record, outcome.value(u"message"_s).toString());
    }
}

Result<qint64> SyncEngine::firstPull(const std::function<void(qint64)>& progress) {
    // One snapshot for everything: the rows, and the cursor below its oldest open transaction.
    if (Status s = m_server.execScript(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s); !s)
        return s.problem();
    auto fail = [&](const Problem& p) -> Result<qint64> {
        m_server.execScript(u"ROLLBACK"_s);
        return p;
    };
    auto directory = readDirectory();
    if (!directory)
        return fail(directory.problem());

    // Not at this commit: copying the new pages from the log into the file would double its time. The next
    // write on this connection does it (DeferredIndexBuild's first step, for a first pull).
    QSqlQuery checkpoints(m_db);
    checkpoints.exec(u"PRAGMA wal_autocheckpoint = 0"_s);
    auto restoreCheckpoints = qScopeGuard([&] { checkpoints.exec(u"PRAGMA wal_autocheckpoint = 1000"_s); });
    // The directory, every row and the cursor commit together: a first pull stopped or failed half-way leaves
    // nothing behind, and the next one starts afresh.
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return fail(tx.begun().problem());
    if (Status s = storeDirectory(directory.value()); !s)
        return fail(s.problem());
    // Into an empty workspace (a fresh desktop) the rows go in bulk: plain inserts on the connection's own
    // handle, indexes and search built after the commit. Otherwise each row is merged.
    QSqlQuery probe(m_db);
    if (!probe.exec(u"SELECT NOT EXISTS (SELECT 1 FROM exceptions)"_s) || !probe.next())
        return fail(sqlProblem(probe, tr("Reading the workspace")));
    const bool empty = probe.value(0).toBool();
    probe.finish();
    auto rows = empty ? copyIntoEmptyWorkspace(progress) : mergeServerRows(progress);
    if (!rows)
        return fail(rows.problem());
    if (Status s = storeCursor(directory.value().cursor); !s)
        return fail(s.problem());
    if (Status c = tx.commit(); !c)
        return fail(c.problem());
    m_server.execScript(u"COMMIT"_s);
    if (progress)
        progress(rows.value());
    return rows;
}

Result<SyncEngine::ServerDirectory> SyncEngine::readDirectory() {
    auto identity = m_server.exec(u"SELECT server_id::text FROM riskdesk.server_identity"_s);
    if (!identity || identity.value().rows() == 0)
        return identity ? Problem{u"server_error"_s,
                                  tr("The server has no identity; run riskdesk db migrate."),
                                  {}}
                        : identity.problem();
    m_serverId = identity.value().text(0, 0);
    const auto horizon = PullHorizon::expression(m_server);
    if (!horizon)
        return horizon.problem();
    auto cursorRow =
        m_server.exec(u"SELECT change_xid::text, change_id FROM riskdesk.changes WHERE change_xid < %1 "
                      "ORDER BY change_xid DESC, change_id DESC LIMIT 1"_s.arg(horizon.value()));
    if (!cursorRow)
        return cursorRow.problem();
    auto tenants = m_server.exec(u"SELECT tenant_id, name FROM riskdesk.tenants"_s);
    auto rules = m_server.exec(
        u"SELECT tenant_id, rule_id, name, domain, severity, payload::text, version FROM riskdesk.rules"_s);
    auto members =
        m_server.exec(u"SELECT tenant_id, user_id, display_name, role FROM riskdesk.memberships"_s);
    for (const auto* r : {&tenants, &rules, &members})
        if (!*r)
            return r->problem();
    return ServerDirectory{cursorRow.value().rows() > 0
                               ? cursorRow.value().text(0, 0) + u':' + cursorRow.value().text(0, 1)
                               : u"0:0"_s,
                           std::move(tenants).value(), std::move(rules).value(), std::move(members).value()};
}

Status SyncEngine::storeDirectory(const ServerDirectory& directory) {
    QSqlQuery q(m_db);
    auto run = [&](const QString& sql, const PgResult& rows) -> Status {
        q.prepare(sql);
        for (int row = 0; row < rows.rows(); ++row) {
            for (int c = 0; c < rows.columns(); ++c)
                q.bindValue(c, rows.text(row, c));
            if (!q.exec())
                return sqlProblem(q, tr("Storing the server's directory"));
        }
        return success();
    };
    for (const Status& s :
         {run(u"INSERT INTO tenants (tenant_id, name) VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE "
              "SET name = excluded.name"_s,
              directory.tenants),
          run(u"INSERT INTO rules (tenant_id, rule_id, name, domain, severity, payload, version) "
              "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, rule_id) DO UPDATE SET "
              "name = excluded.name, domain = excluded.domain, severity = excluded.severity, "
              "payload = excluded.payload, version = excluded.version"_s,
              directory.rules),
          run(u"INSERT INTO users (tenant_id, user_id, display_name, role) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (tenant_id, user_id) DO UPDATE SET display_name = excluded.display_name, "
              "role = excluded.role"_s,
              directory.members)})
        if (!s)
            return s;
    return success();
}

QString SyncEngine::exceptionsCopySql() {
    return u"COPY (SELECT %1 FROM riskdesk.exceptions e) TO STDOUT"_s.arg(QLatin1StringView(kServerColumns));
}

Result<qint64> SyncEngine::copyIntoEmptyWorkspace(const std::function<void(qint64)>& progress) {
    ExceptionBulkLoad bulk(m_db);
    if (Status s = bulk.begin(); !s)
        return s.problem();
    // Straight from the server's bytes into SQLite, no QString or QVariant per field; the next block is
    // received and split on the stream's thread while this one is written.
    BatchedInsert insert(m_db, "INSERT INTO exceptions (" + ExceptionColumns::names() + ")", kColumnCount);
    if (!insert.prepared())
        return insert.prepared().problem();
    CopyStream stream(m_server, exceptionsCopySql(),
                      [fields = CopyTextRow()](QByteArrayView line, RowBlock& block) mutable {
                          if (!fields.split(line, kColumnCount))
                              return false;
                          for (int c = 0; c < kColumnCount; ++c) {
                              qint64 number = 0;
                              if (fields.isNull(c))
                                  block.addNull();
                              else if (kIntegerColumn.at(size_t(c)) && fields.toInt64(c, number))
                                  block.addInteger(number);
                              else
                                  block.addText(fields.bytes(c));
                          }
                          block.endRow();
                          return true;
                      });
    qint64 rows = 0;
    Status written = success();
    while (auto block = stream.next()) {
        // Asked to stop: the rest of the COPY is not worth reading (the whole pull rolls back), so the
        // connection is cut and the stream's reader ends at once.
        if (stopRequested()) {
            m_server.abort();
            written = stopped();
            break;
        }
        if (written = insert.insert(*block); !written)
            break;
        const qint64 before = rows;
        rows += block->rows();
        if (progress && rows / 50000 != before / 50000)
            progress(rows);
    }
    auto streamed = stream.finish();
    if (!written)
        return written.problem();
    if (!streamed)
        return streamed.problem();
    // Their indexes and search index are built after the commit (DeferredIndexBuild).
    if (Status s = bulk.finishLater(); !s)
        return s.problem();
    return rows;
}

Result<qint64> SyncEngine::mergeServerRows(const std::function<void(qint64)>& progress) {
    QSqlQuery upsert(m_db);
    upsert.prepare(QString::fromLatin1(kUpsert));
    qint64 rows = 0;
    Status rowProblem = success();
    CopyTextRow fields;
    auto copied = m_server.copyOut(exceptionsCopySql(), [&](QByteArrayView line) {
        if (!rowProblem)
            return;
        if (stopRequested()) { // as in copyIntoEmptyWorkspace: the connection is cut, the COPY ends
            rowProblem = stopped();
            m_server.abort();
            return;
        }
        if (!fields.split(line, kColumnCount)) {
            rowProblem = Problem{
                u"server_error"_s, tr("The server sent an exception row this version cannot read."), {}};
            return;
        }
        for (int c = 0; c < kColumnCount; ++c)
            upsert.bindValue(c, fields.toVariant(c));
        upsert.bindValue(kColumnCount, false);
        if (!upsert.exec())
            rowProblem = sqlProblem(upsert, tr("Storing the server's exceptions"));
        if (++rows % 50000 == 0 && progress)
            progress(rows);
    });
    if (!rowProblem)
        return rowProblem.problem();
    if (!copied)
        return copied.problem();
    return rows;
}

Status SyncEngine::storeCursor(const QString& position) {
    QSqlQuery meta(m_db);
    meta.prepare(u"INSERT INTO workspace_meta (key, value) VALUES ('sync_cursor', ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s);
    meta.addBindValue(cursorValue(position));
    if (!meta.exec())
        return sqlProblem(meta, tr("Keeping the sync cursor"));
    return success();
}

bool SyncEngine::stopRequested() const {
    return m_stop && m_stop->requested();
}

Problem SyncEngine::stopped() {
    return Problem{
        u"stopped"_s, tr("The sync was stopped before it finished; it goes on at the next start."), {}};
}

Result<qint64> SyncEngine::pull(const std::function<void(qint64)>& progress) {
    m_serverId.clear(); // read the server's identity afresh each time
    const QString start = cursor();
    if (start.isEmpty())
        return firstPull(progress);
    QString xid = start.section(u':', 0, 0), change = start.section(u':', 1, 1);
    const auto horizon = PullHorizon::expression(m_server);
    if (!horizon)
        return horizon.problem();
    qint64 total = 0;
    for (;;) {
        if (stopRequested()) // between batches: each one committed with its cursor
            return stopped();
        auto batch = m_server.exec(
            u"SELECT c.change_xid::text, c.change_id, %1 FROM riskdesk.changes c "
            "JOIN riskdesk.exceptions e ON e.tenant_id = c.tenant_id AND e.record_id = c.record_id "
            "WHERE (c.change_xid, c.change_id) > ($1::xid8, $2::bigint) "
            "AND c.change_xid < %3 "
            "ORDER BY c.change_xid, c.change_id LIMIT %2"_s.arg(QLatin1StringView(kServerColumns))
                .arg(kPullBatch)
                .arg(horizon.value()),
            {xid, change});
        if (!batch)
            return batch.problem();
        const PgResult& rows = batch.value();
        if (rows.rows() == 0)
            return total;
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun().problem();
        QSqlQuery upsert(m_db);
        upsert.prepare(QString::fromLatin1(kUpsert));
        for (int row = 0; row < rows.rows(); ++row) {
            for (int c = 0; c < kColumnCount; ++c)
                upsert.bindValue(c, rows.isNull(row, c + 2) ? QVariant() : QVariant(rows.text(row, c + 2)));
            upsert.bindValue(kColumnCount, false);
            if (!upsert.exec())
                return sqlProblem(upsert, tr("Storing the server's exceptions"));
        }
        xid = rows.text(rows.rows() - 1, 0);
        change = rows.text(rows.rows() - 1, 1);
        if (Status s = storeCursor(xid + u':' + change); !s)
            return s.problem();
        crashPoint("pull-before-commit");
        if (Status c = tx.commit(); !c)
            return c.problem();
        crashPoint("pull-after-commit");
        total += rows.rows();
        if (progress)
            progress(total);
        if (rows.rows() < kPullBatch)
            return total;
    }
}

Result<SyncReport> SyncEngine::syncOnce(const std::function<void(qint64)>& progress) {
    m_serverId.clear();
    const bool first = cursor().isEmpty();
    // The files of the requests to push go first (server migration 011; an older server keeps none, and the
    // requests still name them).
    AttachmentBlobSync blobs(m_db, m_server);
    auto keepsBlobs = blobs.serverKeepsThem();
    if (!keepsBlobs)
        return keepsBlobs.problem();
    // Who this login is in each tenant, read once for every stream of this sync (SyncLogin).
    auto login = SyncLogin::read(m_server);
    if (!login)
        return login.problem();
    AttachmentBlobSyncReport blobReport;
    if (keepsBlobs.value())
        if (Status s = blobs.uploadWaiting(blobReport, login.value()); !s)
            return s.problem();
    auto pushed = push(&login.value());
    if (!pushed)
        return pushed.problem();
    SyncReport report = pushed.value();
    if (stopRequested())
        return stopped();
    // Windows that ended are applied by the server (in the tenants where this login approves), then pulled
    // like any change. A server from before migration 003 has no sweep: its decide still applies them.
    if (auto swept = m_server.exec(u"SELECT riskdesk.sweep_expired()"_s)) {
        report.swept = swept.value().integer(0, 0);
    } else if (swept.problem().code == u"server_unreachable") {
        return swept.problem();
    } else if (m_server.sqlState() != u"42883") { // undefined_function
        return swept.problem();
    }
    auto pulled = pull(progress);
    if (!pulled)
        return pulled.problem();
    report.pulled = pulled.value();
    report.firstPull = first;
    if (stopRequested())
        return stopped();
    auto logged = pullLog(first);
    if (!logged)
        return logged.problem();
    report.logEntries = logged.value();
    if (stopRequested())
        return stopped();
    // Assignments (migration 007): pushed and pulled on their own feed; a server without them is skipped.
    AssignmentSync assignments(m_db, m_server);
    assignments.shareLogin(&login.value());
    auto assigned = assignments.syncOnce();
    if (!assigned)
        return assigned.problem();
    report.assignmentsPushed = assigned.value().pushed;
    report.refused += assigned.value().refused;
    report.waiting += assigned.value().waiting;
    report.assignmentsPulled = assigned.value().pulled;
    report.messages += assigned.value().messages;
    if (stopRequested())
        return stopped();
    // Comments (migration 008): pushed from the outbox and pulled on their own feed, like the assignments.
    CommentSync comments(m_db, m_server);
    comments.shareLogin(&login.value());
    auto commented = comments.syncOnce();
    if (!commented)
        return commented.problem();
    report.commentsPushed = commented.value().pushed;
    report.refused += commented.value().refused;
    report.waiting += commented.value().waiting;
    report.commentsPulled = commented.value().pulled;
    report.messages += commented.value().messages;
    if (stopRequested())
        return stopped();
    if (keepsBlobs.value()) {
        if (Status s = blobs.pullFileLists(blobReport); !s)
            return s.problem();
        if (Status s = blobs.downloadMissing(blobReport, QDateTime::currentMSecsSinceEpoch()); !s)
            return s.problem();
    }
    report.attachmentsUploaded = blobReport.uploaded;
    report.attachmentsDownloaded = blobReport.downloaded;
    if (stopRequested())
        return stopped();
    // Board data for finance logins. A server from before migration 005 keeps no partitions: nothing to pull.
    auto boards = BoardPartitionPull::pull(m_db, m_server);
    if (boards) {
        report.boardPartitions = boards.value().partitions;
        report.boardTenantSlices = boards.value().tenantSlices;
        report.boardRows = boards.value().rows;
        report.messages += boards.value().problems;
    } else if (boards.problem().code == u"server_unreachable" || boards.problem().field != u"42P01") {
        return boards.problem(); // 42P01 (undefined_table, the SQLSTATE a server problem carries): before 005
    }
    return report;
}

Result<qint64> SyncEngine::pullLog(bool fromScratch) {
    // Each tenant's log is appended under a lock held to the commit, so its seq order is its commit order:
    // "after the last seq copied" never skips an entry.
    constexpr auto kLogColumns =
        "l.tenant_id, l.seq, l.record_id, l.actor_id, l.action, coalesce(l.comment, ''), l.step, "
        "l.status_after, ((date_part('epoch', l.at) * 1000000)::bigint) / 1000, l.prev_hash, l.hash";
    // Milliseconds truncated, as the server's hash input (riskdesk.iso_ms) has them.
    constexpr int kLogColumnCount = 11;
    constexpr bool kLogInteger[kLogColumnCount] = {false, true,  false, false, false, false,
                                                   true,  false, true,  false, false};
    // What this desktop has: the last seq per tenant (read in no transaction: only sync writes here).
    QSqlQuery q(m_db);
    QJsonObject after; // tenant → last seq copied
    if (!fromScratch) {
        if (!q.exec(u"SELECT tenant_id, max(seq) FROM server_log GROUP BY tenant_id"_s))
            return sqlProblem(q, tr("Reading the copy of the server's log"));
        while (q.next())
            after[q.value(0).toString()] = QString::number(q.value(1).toLongLong());
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the copy of the server's log"));
    }
    BatchedInsert insert(
        m_db,
        "INSERT INTO server_log (tenant_id, seq, record_id, actor_id, action, comment, step, "
        "status_after, at, prev_hash, hash)",
        kLogColumnCount);
    if (!insert.prepared())
        return insert.prepared().problem();
    qint64 copied = 0;
    for (bool first = true;; first = false) {
        if (stopRequested())
            return stopped();
        auto batch = m_server.exec(
            u"SELECT %1 FROM riskdesk.approval_log l LEFT JOIN jsonb_each_text($1::jsonb) c (tenant_id, seq) "
            "USING (tenant_id) WHERE l.seq > coalesce(c.seq::bigint, 0) ORDER BY l.tenant_id, l.seq LIMIT %2"_s
                .arg(QLatin1StringView(kLogColumns))
                .arg(kPullBatch),
            {QString::fromUtf8(QJsonDocument(after).toJson(QJsonDocument::Compact))});
        if (!batch)
            return batch.problem();
        const PgResult& rows = batch.value();
        QHash<QString, qint64> lastSeqBefore; // the batch's tenants, and where their copies ended before it
        RowBlock block;
        for (int row = 0; row < rows.rows(); ++row) {
            const QString tenant = rows.text(row, 0);
            if (!lastSeqBefore.contains(tenant))
                lastSeqBefore.insert(tenant, after.value(tenant).toString().toLongLong());
            for (int c = 0; c < kLogColumnCount; ++c) {
                if (kLogInteger[c])
                    block.addInteger(rows.integer(row, c));
                else
                    block.addText(rows.text(row, c).toUtf8());
            }
            block.endRow();
            after[tenant] = QString::number(rows.integer(row, 1));
        }
        // One short transaction per batch, so the window's decisions never wait long; the copy itself is
        // the cursor, so an interrupted copy goes on from where it stopped.
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun().problem();
        // BOARD-4's facts of the exceptions this batch adds to (and, when the copy starts again, of those the
        // old copy spoke of) are derived again from both logs, in the same transaction.
        QueueFactsRederive facts(m_db);
        if (Status s = facts.begin(); !s)
            return s.problem();
        if (first && fromScratch) {
            if (Status s = facts.addEveryCopiedException(); !s)
                return s.problem();
            if (!q.exec(u"DELETE FROM server_log"_s))
                return sqlProblem(q, tr("Clearing the copy of the server's log"));
        }
        if (Status s = insert.insert(block); !s)
            return s.problem();
        if (Status s = facts.addCopiedAfter(lastSeqBefore); !s)
            return s.problem();
        if (Status s = facts.run(); !s)
            return s.problem();
        if (Status c = tx.commit(); !c)
            return c.problem();
        copied += rows.rows();
        if (rows.rows() < kPullBatch)
            break;
    }
    return copied;
}

} // namespace riskdesk
