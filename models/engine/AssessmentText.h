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
};

} // namespace riskdesk
