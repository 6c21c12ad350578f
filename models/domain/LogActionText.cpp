#include "LogActionText.h"

namespace riskdesk {

QString LogActionText::label(const QString& action) {
    if (action == u"approve")
        return tr("Approved");
    if (action == u"reject")
        return tr("Rejected");
    if (action == u"withdraw")
        return tr("Withdrawn");
    if (action == u"auto_reject")
        return tr("Rejected automatically");
    if (action == u"expire")
        return tr("Expired");
    return action;
}

} // namespace riskdesk
