#include "SlaTarget.h"

namespace riskdesk {

qint64 SlaTarget::defaultMinutes(Severity severity) {
    switch (severity) {
    case Severity::Critical:
        return 240;
    case Severity::High:
        return 480;
    case Severity::Medium:
        return 1440;
    case Severity::Low:
        return 4320;
    }
    return 1440;
}

qint64 SlaTarget::minutesOr(qint64 minutes, Severity severity) {
    return minutes > 0 ? minutes : defaultMinutes(severity);
}

bool SlaTarget::isPast(const QDateTime& applyTime, qint64 minutes, const QDateTime& now) {
    if (!applyTime.isValid() || !now.isValid() || minutes <= 0)
        return false;
    return applyTime.msecsTo(now) > minutes * 60 * 1000;
}

QString SlaTarget::durationText(qint64 minutes) {
    if (minutes % (24 * 60) == 0)
        return tr("%n d", nullptr, int(minutes / (24 * 60)));
    if (minutes % 60 == 0)
        return tr("%n h", nullptr, int(minutes / 60));
    return tr("%n min", nullptr, int(minutes));
}

QString SlaTarget::pastText(qint64 minutes) {
    return tr("past SLA (%1)").arg(durationText(minutes));
}

} // namespace riskdesk
