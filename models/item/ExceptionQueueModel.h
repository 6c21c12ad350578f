#pragma once

#include "KeysetPager.h"
#include "store/QueueQuery.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace riskdesk {

class DatabaseThread;
struct RiskException;

// The approver's queue over the workspace, for any number of exceptions. Rows arrive in pages of
// kPageSize by key (never OFFSET, never a full count); sorting and filtering re-query SQL on the database
// thread. The model only holds the rows the user has scrolled through.
class ExceptionQueueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { RecordIdRole = Qt::UserRole + 1, StatusRole, ExpiringSoonRole, PastSlaRole, AssigneeRole };
    static constexpr int kPageSize = 200;

    explicit ExceptionQueueModel(DatabaseThread* database, QObject* parent = nullptr);

    // Replaces the rows with the first page of a new query.
    void setQuery(const QueueQuery& query);
    const QueueQuery& query() const { return m_query; }
    // The clock for the age and expiry columns; kept outside so the view can refresh it once a minute.
    void setNow(const QDateTime& now);
    const QDateTime& now() const { return m_now; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    const QueueRow* rowAt(int row) const;
    // Every row loaded so far: a shared copy, taken in constant time, that another thread may read.
    QList<QueueRow> loadedRows() const { return m_pager.rows(); }
    int rowOf(const QString& recordId) const;
    // Shows a decision's result in place, without reloading the page.
    void applyChange(const RiskException& exception);
    // Takes a row out of the list (one that no longer belongs in it, e.g. closed by the system under a filter
    // on pending); the rows after it move up.
    void removeRecord(const QString& recordId);
    // Shows an assignment's change in place (it never changes the exception itself).
    void applyAssignment(const QString& recordId, const QString& assigneeId, bool escalated);

    bool isLoading() const { return m_pager.isLoading(); }
    bool hasMore() const { return m_pager.hasMore(); }

Q_SIGNALS:
    void pageLoaded(int rowsShown, bool more);
    void loadFailed(const QString& message);

private:
    void requestPage();

    DatabaseThread* m_database;
    QueueQuery m_query;
    QDateTime m_now;
    KeysetPager<QueueRow, QueueRowsPage> m_pager;
};

} // namespace riskdesk
