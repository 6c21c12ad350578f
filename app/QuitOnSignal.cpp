#include "QuitOnSignal.h"

#include <QApplication>
#include <QSocketNotifier>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace riskdesk {

namespace {

// A signal handler may do almost nothing: it writes a byte to this pair, whose other end the GUI thread
// reads.
int g_pair[2] = {-1, -1};
constexpr int kSignals[] = {SIGTERM, SIGINT, SIGHUP};

} // namespace

QuitOnSignal::QuitOnSignal(QObject* parent) : QObject(parent) {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_pair) != 0)
        return; // the signals keep their default action
    m_notifier = new QSocketNotifier(g_pair[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &QuitOnSignal::quit);
    struct sigaction action {};
    action.sa_handler = &QuitOnSignal::onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : kSignals)
        ::sigaction(signal, &action, nullptr);
}

void QuitOnSignal::onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_pair[0], &byte, 1);
}

void QuitOnSignal::quit() {
    char byte = 0;
    [[maybe_unused]] const ssize_t read = ::read(g_pair[1], &byte, 1);
    m_notifier->setEnabled(false);
    struct sigaction standard {};
    standard.sa_handler = SIG_DFL;
    sigemptyset(&standard.sa_mask);
    for (const int signal : kSignals)
        ::sigaction(signal, &standard, nullptr);
    QApplication::closeAllWindows();
    QCoreApplication::quit();
}

} // namespace riskdesk
