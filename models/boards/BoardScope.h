#pragma once

#include "SiteClock.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

// The boards of spec §2.10.
enum class BoardKind { Skills, Coach, Customer, Finance, RiskOps };

// Who is reading boards in a workspace, and what they may see (spec §2.10, §7.5): the workspace's owner (no
// user: every site, every board, as the other subcommands read) or a signed-in user, who sees only the sites
// bd_user_sites grants them and only the boards their role opens (finance: all four; approver and auditor:
// BOARD-4; applicant: none). SQLite has no row-level security, so every board query asks the scope first.
class BoardScope {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardScope)

public:
    // Refused when the tenant is not in the workspace, or the user has no role in it.
    static Result<BoardScope> open(QSqlDatabase db, const QString& tenant, const QString& userId = {});

    const QString& tenant() const { return m_tenant; }
    const QString& userId() const { return m_userId; }
    bool isOwner() const { return m_userId.isEmpty(); }
    const QString& role() const { return m_role; }
    // The sites this reader may open, sorted.
    const QStringList& sites() const { return m_sites; }

    bool mayOpen(BoardKind board) const;
    // Refused (with the board's name) when the role may not open the board.
    Status checkBoard(BoardKind board) const;
    // Refused when the site is not one this reader may see; the message lists the ones they may.
    Status checkSite(const QString& site) const;
    // The site's clock from its settings (refused when the site has none).
    Result<SiteClock> clockOf(const QString& site) const;
    // 数据截至 (spec §2.9): the latest business day loaded for the site, or an invalid date.
    Result<QDate> watermarkOf(const QString& site) const;

    static QString boardName(BoardKind board);

private:
    QSqlDatabase m_db;
    QString m_tenant;
    QString m_userId;
    QString m_role;
    QStringList m_sites;
};

} // namespace riskdesk
