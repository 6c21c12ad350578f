#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace riskdesk {

// Short human durations for the queue's age and time-to-expiry columns ("3 d", "in 5 h", "ended").
class QueueFormatting {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::QueueFormatting)

public:
    static QString age(const QDateTime& since, const QDateTime& now);
    static QString timeToExpiry(const QDateTime& end, const QDateTime& now);
    static QString duration(qint64 ms);
    // Pending and closing within this many hours: shown in the warning colour.
    static constexpr int kExpiringSoonHours = 24;
    static bool expiringSoon(const QDateTime& end, const QDateTime& now);
    static QString shortHash(const QByteArray& hexHash);

private:
    static QString unbroken(QString text);
};

} // namespace riskdesk
