#pragma once

#include <QObject>

class QSocketNotifier;

namespace riskdesk {

// Ends the window's event loop on SIGTERM, SIGINT or SIGHUP (a desktop session logging out, Ctrl+C in a
// terminal) as closing the window does: the window keeps its geometry, the sync stops between batches and
// the database thread closes the workspace, which folds SQLite's write-ahead journal into the file. Without
// it the process died where it stood and left the journal beside the file (a copy of the file alone then
// missed the last decisions). A second signal while quitting ends the process at once.
class QuitOnSignal : public QObject {
    Q_OBJECT

public:
    explicit QuitOnSignal(QObject* parent = nullptr);

private:
    static void onSignal(int signal);
    void quit();

    QSocketNotifier* m_notifier = nullptr;
};

} // namespace riskdesk
