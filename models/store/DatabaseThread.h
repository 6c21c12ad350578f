#pragma once

#include "Workspace.h"

#include <QCoro/QCoroFuture>
#include <QCoro/QCoroTask>
#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QThread>
#include <memory>
#include <mutex>
#include <type_traits>

struct sqlite3;

namespace riskdesk {

// A thread that owns the workspace connection. Work is queued to it in order and its result comes back as a
// QFuture, which the GUI awaits (QCoro::connect) without ever blocking on the database. Its end is bounded:
// the destructor lets the work under way run for kPoliteStopMs, then interrupts the workspace's statements
// (the work sees a failed query) until the connection is closed, so a quit does not wait for a long export or
// check.
class DatabaseThread : public QObject {
    Q_OBJECT
public:
    static constexpr int kPoliteStopMs = 1000;

    // settings: the desktop's settings, for the workspace and for whoever is handed this thread (the pages
    // read theirs through settings()); it must outlive the thread.
    explicit DatabaseThread(AppSettings& settings, QObject* parent = nullptr);
    ~DatabaseThread() override;

    AppSettings& settings() const { return *m_settings; }

    // Opens an existing workspace on the database thread.
    QFuture<Status> open(const QString& path);

    // The same as run(), as a QCoro task: co_await it, or hand it to QCoro::connect(task, context, callback),
    // which drops the result if the context object is gone by then. When the work is already done by the time
    // the task is created, the callback runs at once, before task() returns: callers set their state first.
    template <typename Fn> auto task(Fn fn) -> QCoro::Task<std::invoke_result_t<Fn, Workspace&>> {
        return awaitFuture(run(std::move(fn)));
    }

    // Runs fn(Workspace&) on the database thread, after everything queued before it.
    template <typename Fn> auto run(Fn fn) -> QFuture<std::invoke_result_t<Fn, Workspace&>> {
        using R = std::invoke_result_t<Fn, Workspace&>;
        auto promise = std::make_shared<QPromise<R>>();
        QFuture<R> future = promise->future();
        promise->start();
        QMetaObject::invokeMethod(
            m_context,
            [this, promise, fn = std::move(fn), workspace = m_workspace.get()]() mutable {
                noteHandle(); // the job may open the workspace: known before and after, for interrupting
                promise->addResult(fn(*workspace));
                noteHandle();
                promise->finish();
            },
            Qt::QueuedConnection);
        return future;
    }

private:
    // A free coroutine holding the future by value: nothing it needs can die while it is suspended.
    template <typename T> static QCoro::Task<T> awaitFuture(QFuture<T> future) { co_return co_await future; }

    // On the database thread: remembers the open connection's SQLite handle (or none), for interrupt().
    void noteHandle();
    // Any thread: stops the statement running on the workspace connection, if any.
    void interrupt();

    QThread m_thread;
    QObject* m_context = nullptr; // lives on m_thread; queued work runs in its thread
    AppSettings* m_settings;
    std::unique_ptr<Workspace> m_workspace;
    std::mutex m_handleMutex; // held while the handle is changed or interrupted: never one being closed
    sqlite3* m_handle = nullptr;
};

} // namespace riskdesk
