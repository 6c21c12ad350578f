#pragma once

#include "KeysetPager.h"
#include "store/ApprovalLogRepository.h"

#include <QAbstractTableModel>
#include <QHash>

namespace riskdesk {

class DatabaseThread;

// The tenant's approval log, newest first, paged by sequence number on the database thread.
class ApprovalLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Identity: how the actor was known (IdentityMark), beside the actor it qualifies.
    enum class Column {
        Seq,
        At,
        Exception,
        Actor,
        Identity,
        Action,
        Step,
        StatusAfter,
        Comment,
        Hash,
        Count
    };
    static constexpr int kPageSize = 200;

    explicit ApprovalLogModel(DatabaseThread* database, QObject* parent = nullptr);

    void setFilter(const LogFilter& filter);
    const LogFilter& filter() const { return m_filter; }
    // Display names by user id: the By column shows the name, its tooltip the id.
    void setNames(const QHash<QString, QString>& names);
    // The time as the Time column shows it: the reader's date format, seconds always.
    static QString timeText(const QDateTime& at);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    const ApprovalLogEntry* entryAt(int row) const;
    static QString actionLabel(const QString& action);
    // Every action the log holds, as stored, in the order filters list them.
    static const QStringList& actions();

Q_SIGNALS:
    void pageLoaded(int rowsShown, bool more);
    void loadFailed(const QString& message);

private:
    void requestPage();

    DatabaseThread* m_database;
    LogFilter m_filter;
    QHash<QString, QString> m_names;
    KeysetPager<ApprovalLogEntry, LogPage> m_pager;
};

} // namespace riskdesk
