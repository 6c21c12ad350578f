#include "PgConnection.h"

#include "StopRequest.h"
#include "domain/TextRules.h"

#include <QDeadlineTimer>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

PgResult& PgResult::operator=(PgResult&& other) noexcept {
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

PgResult::~PgResult() {
    if (m_result)
        PQclear(m_result);
}

int PgResult::rows() const {
    return m_result ? PQntuples(m_result) : 0;
}

int PgResult::columns() const {
    return m_result ? PQnfields(m_result) : 0;
}

bool PgResult::isNull(int row, int column) const {
    return !m_result || PQgetisnull(m_result, row, column);
}

QString PgResult::text(int row, int column) const {
    if (isNull(row, column))
        return {};
    const int length = PQgetlength(m_result, row, column);
    // An empty value is '' (not NULL): a null QString would bind as NULL.
    return length == 0 ? QString(u""_s) : QString::fromUtf8(PQgetvalue(m_result, row, column), length);
}

qint64 PgResult::integer(int row, int column) const {
    return isNull(row, column) ? 0 : QByteArray(PQgetvalue(m_result, row, column)).toLongLong();
}

PgConnection::~PgConnection() {
    if (m_stop)
        m_stop->detachSocket(m_socket);
    if (m_conn)
        PQfinish(m_conn);
    if (m_socket >= 0)
        ::close(m_socket);
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const QString& url, int connectTimeoutSeconds) {
    PgConnectOptions options;
    options.connectTimeoutSeconds = connectTimeoutSeconds;
    return open(url, options);
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const QString& url,
                                                         const PgConnectOptions& options) {
    // The settings go in as keywords after the URL, so they apply whatever it says. Keepalives: idle 10 s,
    // then 3 probes 5 s apart; a peer that vanished while this side waits for an answer is noticed in about
    // 25 s.
    const QByteArray dbname = url.toUtf8();
    const QByteArray timeout = QByteArray::number(std::max(1, options.connectTimeoutSeconds));
    const char* keywords[] = {
        "dbname",          "connect_timeout",     "application_name", "client_encoding",  "keepalives",
        "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", nullptr};
    const char* values[] = {
        dbname.constData(), timeout.constData(), "riskdesk", "UTF8", "1", "10", "5", "3", "30000", nullptr};
    // Started, then driven here rather than by PQconnectdbParams: that one blocks up to the whole timeout,
    // deaf to a stop request (a quit would wait for it).
    pg_conn* conn = PQconnectStartParams(keywords, values, 1);
    if (!conn)
        return Problem{u"server_unreachable"_s, tr("Cannot reach the server: out of memory."), {}};
    QString why;
    if (!finishConnecting(conn, std::max(1, options.connectTimeoutSeconds), options.stop, why)) {
        // A refused password is told apart from an unreachable server (sign-in says which): libpq knows
        // whether the server asked for a password that was not given, or was given one and refused the login.
        QString code = u"server_unreachable"_s;
        if (options.stop && options.stop->requested())
            code = u"stopped"_s;
        else if (PQconnectionNeedsPassword(conn))
            code = u"password_needed"_s;
        else if (PQconnectionUsedPassword(conn) && why.contains(u"password authentication failed"_s))
            code = u"password_refused"_s;
        PQfinish(conn);
        return Problem{code, tr("Cannot connect to the server: %1").arg(why), {}};
    }
    // Server notices ("already exists, skipping") are not for the user's terminal.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    std::unique_ptr<PgConnection> connection(new PgConnection(conn, options.stop));
    // A descriptor of our own for the same socket, for abort(): libpq closes its own when it sees the
    // connection fail, and the number may then be reused for another file, which must never be cut.
    connection->m_socket = ::fcntl(PQsocket(conn), F_DUPFD_CLOEXEC, 0);
    if (options.stop)
        options.stop->attachSocket(connection->m_socket);
    if (options.statementTimeoutMs > 0)
        if (auto set = connection->exec(u"SELECT pg_catalog.set_config('statement_timeout', $1, false)"_s,
                                        {QString::number(options.statementTimeoutMs)});
            !set)
            return set.problem();
    return connection;
}

bool PgConnection::finishConnecting(pg_conn* conn, int timeoutSeconds, const StopRequest* stop,
                                    QString& why) {
    const QDeadlineTimer deadline{std::chrono::seconds(timeoutSeconds)};
    // Before the first poll libpq wants the socket writable (the TCP connect under way).
    PostgresPollingStatusType state =
        PQstatus(conn) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
    while (state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
        if (stop && stop->requested()) {
            why = tr("stopped before the server answered.");
            return false;
        }
        if (deadline.hasExpired()) {
            why = tr("no answer within %1 s.").arg(timeoutSeconds);
            return false;
        }
        // The socket can change between polls (another address, a retry without SSL): asked afresh each time.
        pollfd fd{PQsocket(conn), short(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
        const int ready = ::poll(&fd, 1, int(std::min<qint64>(100, deadline.remainingTime())));
        if (ready < 0 && errno != EINTR) {
            why = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        if (ready > 0)
            state = PQconnectPoll(conn);
    }
    if (state == PGRES_POLLING_FAILED || PQstatus(conn) != CONNECTION_OK) {
        why = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        return false;
    }
    return true;
}

Problem PgConnection::problem(const QString& doing, pg_result* result) {
    QString why = result ? QString::fromUtf8(PQresultErrorMessage(result)).trimmed() : QString();
    if (why.isEmpty())
        why = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    m_lastState = result ? QString::fromLatin1(PQresultErrorField(result, PG_DIAG_SQLSTATE)) : QString();
    const bool lost = PQstatus(m_conn) != CONNECTION_OK;
    return Problem{lost ? u"server_unreachable"_s : u"server_error"_s, tr("%1 failed: %2").arg(doing, why),
                   m_lastState};
}

Problem PgConnection::nulRefused(int parameter) {
    m_lastState = u"22021"_s; // character_not_in_repertoire, as the server says of U+0000
    return Problem{
        u"nul_character"_s,
        parameter > 0
            ? tr("Value %1 contains a NUL character (U+0000), which the server cannot store; it was "
                 "not sent.")
                  .arg(parameter)
            : tr("The statement contains a NUL character (U+0000); it was not sent."),
        m_lastState};
}

Result<PgResult> PgConnection::exec(const QString& sql, const QStringList& parameters) {
    if (Status sent = send(sql, parameters); !sent)
        return sent.problem();
    return collect();
}

Status PgConnection::send(const QString& sql, const QStringList& parameters) {
    // libpq takes C strings: a NUL would silently cut the text. Refused instead, before anything is sent.
    if (TextRules::containsNul(sql))
        return nulRefused(0);
    for (qsizetype i = 0; i < parameters.size(); ++i)
        if (TextRules::containsNul(parameters.at(i)))
            return nulRefused(int(i + 1));
    const QByteArray statement = sql.toUtf8();
    std::vector<QByteArray> storage;
    std::vector<const char*> values;
    storage.reserve(size_t(parameters.size()));
    for (const QString& p : parameters) {
        storage.push_back(p.toUtf8());
        values.push_back(p.isNull() ? nullptr : storage.back().constData());
    }
    if (!PQsendQueryParams(m_conn, statement.constData(), int(values.size()), nullptr, values.data(), nullptr,
                           nullptr, 0))
        return problem(tr("A server query"));
    return success();
}

void PgConnection::readAhead() {
    // Never blocks: takes what the socket holds into libpq's buffer. A failure shows in collect().
    (void)PQconsumeInput(m_conn);
}

Result<PgResult> PgConnection::collect() {
    // A statement's result, then nothing: read to the end, so the connection is free for the next query. The
    // answer is the first failure if there is one, else the last result (a single statement gives one;
    // PQexecParams would join several failures' messages).
    pg_result* result = nullptr;
    auto failed = [](pg_result* r) {
        const ExecStatusType s = PQresultStatus(r);
        return s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK;
    };
    while (pg_result* next = PQgetResult(m_conn)) {
        const ExecStatusType s = PQresultStatus(next);
        if (result && failed(result)) {
            PQclear(next);
        } else {
            if (result)
                PQclear(result);
            result = next;
        }
        if (s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH)
            break; // not a query of exec's: copyIn and copyOut read those
    }
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        Problem p = problem(tr("A server query"), result);
        if (result)
            PQclear(result);
        return p;
    }
    m_lastState.clear();
    return PgResult(result);
}

Status PgConnection::execScript(const QString& sql) {
    if (TextRules::containsNul(sql))
        return nulRefused(0);
    pg_result* result = PQexec(m_conn, sql.toUtf8().constData());
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        Problem p = problem(tr("A server script"), result);
        if (result)
            PQclear(result);
        return p;
    }
    PQclear(result);
    // A script's later statements report through further results.
    while (pg_result* more = PQgetResult(m_conn))
        PQclear(more);
    return success();
}

Result<qint64> PgConnection::copyOut(const QString& copySql,
                                     const std::function<void(QByteArrayView)>& onRow) {
    pg_result* start = PQexec(m_conn, copySql.toUtf8().constData());
    if (!start || PQresultStatus(start) != PGRES_COPY_OUT) {
        Problem p = problem(tr("Reading rows from the server"), start);
        if (start)
            PQclear(start);
        return p;
    }
    PQclear(start);
    qint64 rows = 0;
    char* buffer = nullptr;
    int length = 0;
    while ((length = PQgetCopyData(m_conn, &buffer, 0)) > 0) {
        onRow(QByteArrayView(buffer, length > 0 && buffer[length - 1] == '\n' ? length - 1 : length));
        PQfreemem(buffer);
        ++rows;
    }
    pg_result* end = PQgetResult(m_conn);
    const bool ok = length == -1 && end && PQresultStatus(end) == PGRES_COMMAND_OK;
    if (!ok) {
        Problem p = problem(tr("Reading rows from the server"), end);
        if (end)
            PQclear(end);
        while (pg_result* more = PQgetResult(m_conn))
            PQclear(more);
        return p;
    }
    PQclear(end);
    while (pg_result* more = PQgetResult(m_conn))
        PQclear(more);
    return rows;
}

Status PgConnection::copyIn(const QString& copySql, const QByteArray& rows) {
    pg_result* start = PQexec(m_conn, copySql.toUtf8().constData());
    if (!start || PQresultStatus(start) != PGRES_COPY_IN) {
        Problem p = problem(tr("Writing rows to the server"), start);
        if (start)
            PQclear(start);
        return p;
    }
    PQclear(start);
    constexpr qsizetype kChunk = 1 << 20;
    for (qsizetype at = 0; at < rows.size(); at += kChunk)
        if (PQputCopyData(m_conn, rows.constData() + at, int(std::min(kChunk, rows.size() - at))) != 1)
            return problem(tr("Writing rows to the server"));
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        return problem(tr("Writing rows to the server"));
    pg_result* end = PQgetResult(m_conn);
    const bool ok = end && PQresultStatus(end) == PGRES_COMMAND_OK;
    Status s = ok ? success() : Status(problem(tr("Writing rows to the server"), end));
    if (end)
        PQclear(end);
    while (pg_result* more = PQgetResult(m_conn))
        PQclear(more);
    return s;
}

bool PgConnection::isOk() const {
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}

void PgConnection::abort() {
    StopRequest::cut(m_socket); // our descriptor: another thread may be inside libpq on this connection
}

Status PgConnection::listen(const QString& channel) {
    auto r = exec(u"LISTEN "_s + quoteIdentifier(channel));
    if (!r)
        return r.problem();
    return success();
}

int PgConnection::socket() const {
    return m_conn ? PQsocket(m_conn) : -1;
}

QStringList PgConnection::takeNotifications() {
    QStringList channels;
    if (!m_conn || !PQconsumeInput(m_conn))
        return channels;
    while (PGnotify* n = PQnotifies(m_conn)) {
        channels << QString::fromUtf8(n->relname);
        PQfreemem(n);
    }
    return channels;
}

QStringList PgConnection::waitForNotifications(int timeoutMs) {
    QStringList channels = takeNotifications();
    if (channels.isEmpty() && isOk()) {
        pollfd fd{socket(), POLLIN, 0};
        ::poll(&fd, 1, timeoutMs);
        channels = takeNotifications();
    }
    return channels;
}

QString PgConnection::quoteIdentifier(const QString& name) {
    QString quoted = name;
    quoted.replace(u'"', u"\"\""_s);
    return u'"' + quoted + u'"';
}

} // namespace riskdesk
