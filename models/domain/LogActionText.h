#pragma once

#include <QCoreApplication>
#include <QString>

namespace riskdesk {

// An approval-log action (approve, reject, withdraw, auto_reject, expire) as the reader's language says it:
// the log page's column and the verifier's report of an altered entry use the same words.
class LogActionText {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::LogActionText)

public:
    // "Approved", "已通过"; an action this version does not know is shown as stored.
    static QString label(const QString& action);
};

} // namespace riskdesk
