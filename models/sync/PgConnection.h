#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

struct pg_conn;
struct pg_result;

namespace riskdesk {

class StopRequest;

// How a connection is made. Every connection sends TCP keepalives (a peer that vanished is noticed within
// about 25 s instead of the system's two hours) and gives up sending after 30 s without an acknowledgement.
struct PgConnectOptions {
    int connectTimeoutSeconds = 5;
    int statementTimeoutMs = 0; // SET statement_timeout once connected; 0 keeps the login's default
    // Connecting gives up as soon as a stop is requested; while open, the connection's socket is the one the
    // request's interrupt() cuts.
    StopRequest* stop = nullptr;
};

// One query's rows, as text (the server's own text forms); freed with the object.
class PgResult {
public:
    explicit PgResult(pg_result* result) : m_result(result) {}
    PgResult(PgResult&& other) noexcept : m_result(std::exchange(other.m_result, nullptr)) {}
    PgResult& operator=(PgResult&& other) noexcept;
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    ~PgResult();

    int rows() const;
    int columns() const;
    bool isNull(int row, int column) const;
    QString text(int row, int column) const; // a null reads as an empty string
    qint64 integer(int row, int column) const;

private:
    pg_result* m_result = nullptr;
};

// A libpq connection for the sync engine, the server commands and the tests. libpq rather than QPSQL because
// sync needs what QPSQL does not offer: protocol-level parameters (QPSQL inlines escaped literals), COPY for
// bulk transfer, and notifications read from the socket. Blocking: use it on a worker thread, never the
// GUI's.
class PgConnection {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::PgConnection)

public:
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // url: postgresql://user:password@host:port/database (or any libpq connection string).
    static Result<std::unique_ptr<PgConnection>> open(const QString& url, int connectTimeoutSeconds = 5);
    static Result<std::unique_ptr<PgConnection>> open(const QString& url, const PgConnectOptions& options);

    // Parameters travel separately from the statement ($1, $2, …); a null QString is SQL NULL.
    Result<PgResult> exec(const QString& sql, const QStringList& parameters = {});
    // exec in two halves, so that this thread works while the server does: send returns once the query is
    // sent, collect waits for its answer. Between the two, nothing else may use the connection.
    Status send(const QString& sql, const QStringList& parameters = {});
    Result<PgResult> collect();
    // Between the two: reads what has arrived of the answer without waiting. The server commits only once
    // its answer is sent; a caller busy elsewhere calls this now and then, so that a large answer does not
    // fill the socket and keep the server's transaction, and its row locks, open meanwhile.
    void readAhead();
    // Several statements in one go (migrations); no parameters.
    Status execScript(const QString& sql);
    // COPY … TO STDOUT: each row's bytes (without the newline) go to the callback.
    Result<qint64> copyOut(const QString& copySql, const std::function<void(QByteArrayView row)>& onRow);
    // COPY … FROM STDIN with the given rows (text format, newline-terminated).
    Status copyIn(const QString& copySql, const QByteArray& rows);

    bool isOk() const;
    // Shuts the connection's socket down: a call blocked on it (a COPY being read on another thread too)
    // returns at once as a lost connection, and so does every later one. For giving up on the connection.
    void abort();
    QString sqlState() const { return m_lastState; } // SQLSTATE of the last failure, e.g. 42501

    // LISTEN and notifications: the socket becomes readable when one may have arrived.
    Status listen(const QString& channel);
    int socket() const;
    // Reads what arrived and returns the channels notified since the last call.
    QStringList takeNotifications();
    // Blocks up to timeoutMs for a notification. Notifications that came in while earlier queries ran are
    // already buffered by libpq and never make the socket readable again, so those are returned at once.
    QStringList waitForNotifications(int timeoutMs);

    static QString quoteIdentifier(const QString& name);

private:
    PgConnection(pg_conn* conn, StopRequest* stop) : m_conn(conn), m_stop(stop) {}
    // Drives a connection started with PQconnectStartParams to its end, looking at the stop request and the
    // deadline at least every 100 ms; false (and the connection left to the caller to finish) when either
    // ends it first, with `why` saying which.
    static bool finishConnecting(pg_conn* conn, int timeoutSeconds, const StopRequest* stop, QString& why);
    Problem problem(const QString& doing, pg_result* result = nullptr);
    Problem nulRefused(int parameter); // 0: the statement itself

    pg_conn* m_conn = nullptr;
    StopRequest* m_stop = nullptr;
    int m_socket = -1; // a duplicate of libpq's socket, ours to shut down and close (attached to m_stop)
    QString m_lastState;
};

} // namespace riskdesk
