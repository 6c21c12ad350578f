#pragma once

#include <QCoreApplication>
#include <QString>

namespace riskdesk {

// Words for the reason and recommendation codes of a policy, in the current language (in Chinese, the
// reference's own words). A code a custom policy invents is shown as it is.
class AssessmentText {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssessmentText)

public:
    static QString reason(const QString& code);
    static QString recommendation(const QString& code);
    // HIGH … MINIMAL and REJECT … APPROVE for people; the JSON keeps the codes.
    static QString level(const QString& code);
    static QString decision(const QString& code);
};

} // namespace riskdesk
