#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSet>
#include <QString>

namespace riskdesk {

// Users and merchants whose transactions are refused outright.
class Blacklist {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::Blacklist)

public:
    void addUser(const QString& id) { m_users.insert(id); }
    void addMerchant(const QString& id) { m_merchants.insert(id); }
    // Hashing a string costs more than the rest of an assessment's checks, so empty lists are not asked.
    bool contains(const QString& userId, const QString& merchantId) const {
        return (!m_users.isEmpty() && m_users.contains(userId)) ||
               (!m_merchants.isEmpty() && m_merchants.contains(merchantId));
    }
    qsizetype size() const { return m_users.size() + m_merchants.size(); }
    const QSet<QString>& users() const { return m_users; }
    const QSet<QString>& merchants() const { return m_merchants; }

    // Rows "user,ID" or "merchant,ID"; blank lines and lines starting with # are skipped. A problem names the
    // line that is wrong.
    Status addCsv(const QString& text);

private:
    QSet<QString> m_users;
    QSet<QString> m_merchants;
};

} // namespace riskdesk
