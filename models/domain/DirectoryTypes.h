#pragma once

#include "DomainTypes.h"

#include <QJsonObject>
#include <QString>

namespace riskdesk {

struct Tenant {
    QString tenantId;
    QString name;
};

// A user's membership of one tenant, with the role they have there.
struct User {
    QString tenantId;
    QString userId;
    QString displayName;
    UserRole role = UserRole::Applicant;
};

// A risk rule as the workspace keeps it: the whole payload plus the columns the queue filters and sorts by.
struct Rule {
    QString tenantId;
    QString ruleId;
    QString name;
    QString domain;
    Severity severity = Severity::Medium;
    QJsonObject payload;
    qint64 version = 1;
};

} // namespace riskdesk
