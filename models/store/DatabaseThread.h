#pragma once

#include "Workspace.h"

#include <QCoro/QCoroFuture>
#include <QCoro/QCoroTask>
#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QThread>
#include <memory>
#include <type_traits>

namespace riskdesk {

// A thread that owns the workspace connection. Work is queued to it in order and its result comes back as a
// QFuture, which the GUI awaits (QCoro::connect) without ever blocking on the database.
class DatabaseThread : public QObject {
    Q_OBJECT
public:
    explicit DatabaseThread(QObject* parent = nullptr);
    ~DatabaseThread() override;

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
            [promise, fn = std::move(fn), workspace = m_workspace.get()]() mutable {
                promise->addResult(fn(*workspace));
                promise->finish();
            },
            Qt::QueuedConnection);
        return future;
    }

private:
    // A free coroutine holding the future by value: nothing it needs can die while it is suspended.
    template <typename T> static QCoro::Task<T> awaitFuture(QFuture<T> future) { co_return co_await future; }

    QThread m_thread;
    QObject* m_context = nullptr; // lives on m_thread; queued work runs in its thread
    std::unique_ptr<Workspace> m_workspace;
};

} // namespace riskdesk
