#pragma once

#include "domain/DirectoryTypes.h"

#include <QDialog>

class QListWidget;

namespace riskdesk {

// Picks who works in an embedded workspace: one row per membership (tenant, user, role).
class SignInDialog : public QDialog {
    Q_OBJECT
public:
    SignInDialog(const QList<User>& memberships, const QList<Tenant>& tenants, QWidget* parent = nullptr);
    // Selects this membership, when it is in the list (the first row is selected otherwise).
    void preselect(const QString& userId, const QString& tenantId);
    User selected() const;

private:
    QListWidget* m_list;
    QList<User> m_memberships;
};

} // namespace riskdesk
