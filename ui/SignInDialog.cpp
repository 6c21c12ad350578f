#include "SignInDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

SignInDialog::SignInDialog(const QList<User>& memberships, const QList<Tenant>& tenants, QWidget* parent)
    : QDialog(parent), m_memberships(memberships) {
    setObjectName(u"signInDialog"_s);
    setWindowTitle(tr("Sign in to Riskdesk"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Who is working? Pick yourself and the tenant to work in.")));
    m_list = new QListWidget;
    m_list->setObjectName(u"signInList"_s);
    m_list->setAccessibleName(tr("Users"));
    for (const User& u : memberships) {
        QString tenantName = u.tenantId;
        for (const Tenant& t : tenants)
            if (t.tenantId == u.tenantId)
                tenantName = t.name;
        m_list->addItem(
            tr("%1 (%2) — %3 in %4").arg(u.displayName, u.userId, displayName(u.role), tenantName));
    }
    m_list->setCurrentRow(0);
    layout->addWidget(m_list);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemActivated, this, &QDialog::accept);
    layout->addWidget(buttons);
    resize(480, 380);
}

void SignInDialog::preselect(const QString& userId, const QString& tenantId) {
    for (qsizetype i = 0; i < m_memberships.size(); ++i)
        if (m_memberships.at(i).userId == userId && m_memberships.at(i).tenantId == tenantId)
            m_list->setCurrentRow(int(i));
}

User SignInDialog::selected() const {
    return m_memberships.value(m_list->currentRow());
}

} // namespace riskdesk
