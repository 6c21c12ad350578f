#pragma once

#include "Session.h"
#include "domain/DirectoryTypes.h"
#include "sync/ServerLogCheck.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace riskdesk {

class DateField;
struct LogFilter;

class ApprovalLogModel;
class DatabaseThread;
class EmptyResultsOverlay;

// For auditors: the tenant's approval log with filters, the hash-chain verification, and CSV export.
class ApprovalLogPage : public QWidget {
    Q_OBJECT
public:
    // Long reads (verifying the whole chain, exporting it) run on `background`, a second connection, so they
    // never hold up the queue's queries on `database`.
    ApprovalLogPage(DatabaseThread* database, DatabaseThread* background, QWidget* parent = nullptr);

    void setSession(const Session& session, const QList<User>& memberships, const QList<Tenant>& tenants);
    // Reads the log again and verifies it, so the table and the verdict above it speak of the same log.
    void refresh();
    void verifyChain();
    void clearFilters();
    // Writes the filtered log to a CSV file on the database thread; the result shows on the page.
    void exportTo(const QString& path);

    ApprovalLogModel* model() const { return m_model; }
    QLabel* verification() const { return m_verification; }
    QLabel* serverVerification() const { return m_serverVerification; }
    QLabel* matchCount() const { return m_count; }
    QTableView* table() const { return m_table; }

    // With a backend the server's log of the tenant is verified too (by the sync service, on its thread):
    // verifyChain() asks for it through serverVerificationRequested, and the answer comes back here.
    void setServerAvailable(bool available);
    void showServerVerification(const riskdesk::ServerLogCheck& check);

Q_SIGNALS:
    void verified(bool intact);
    void serverVerificationRequested(const QString& tenantId);
    void exported(bool ok, const QString& message);
    // The user opened an entry (Enter or double-click): show its exception in the queue, in its tenant (the
    // page may show another tenant's log than the window's).
    void openExceptionRequested(const QString& tenantId, const QString& recordId);

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyFilters();
    LogFilter chosenFilter() const; // what the filter controls say, applied or not
    QString currentTenant() const;
    LogSource currentSource() const;
    void verifyOnServer();
    void setExportable(bool exportable);
    void countMatches();
    void loadNames();
    bool filtersSet() const;
    void fitCommentColumn();
    void fitIdentityColumn(int first, int last);
    void selectKeptEntry();

    DatabaseThread* m_database;
    DatabaseThread* m_background;
    Session m_session;
    QString m_verifiedTenant; // the chain is verified when the page is first shown for a tenant
    ApprovalLogModel* m_model;
    QComboBox* m_source; // this desktop's log or the server's (shown with a backend)
    QComboBox* m_tenant;
    QLineEdit* m_actor;
    QComboBox* m_action;
    QCheckBox* m_useFrom;
    DateField* m_from;
    QCheckBox* m_useTo;
    DateField* m_to;
    QLabel* m_verification;
    QPushButton* m_verify;
    bool m_serverAvailable = false;
    QLabel* m_serverVerification;
    QPushButton* m_verifyServer;
    QPushButton* m_export;
    QTableView* m_table;
    int m_commentMinimum = 0; // the comment column is never narrower: the table scrolls instead
    int m_identityWidest = 0; // the identity column at its widest mark
    qint64 m_keepSeq = 0;     // the entry chosen before a refresh, chosen again once the log is read
    EmptyResultsOverlay* m_empty;
    QLabel* m_count;
    QTimer* m_typingDelay;
    QLabel* m_exportResult;
};

} // namespace riskdesk
