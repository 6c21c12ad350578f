#include "ExceptionQueueModel.h"

#include "QueueFormatting.h"
#include "domain/ExceptionDecision.h"
#include "domain/RiskException.h"
#include "domain/SlaTarget.h"
#include "domain/Timestamps.h"
#include "store/DatabaseThread.h"
#include "store/ExceptionRepository.h"

#include <QBrush>
#include <QColor>
#include <QCoro/QCoroFuture>
#include <QFont>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QColor statusColor(ExceptionStatus status) {
    switch (status) {
    case ExceptionStatus::Pending:
        return QColor(0xb4, 0x53, 0x09);
    case ExceptionStatus::Approved:
        return QColor(0x15, 0x80, 0x3d);
    case ExceptionStatus::Rejected:
        return QColor(0xb9, 0x1c, 0x1c);
    case ExceptionStatus::Expired:
        return QColor(0x64, 0x74, 0x8b);
    case ExceptionStatus::Withdrawn:
        return QColor(0x64, 0x74, 0x8b);
    }
    return {};
}

} // namespace

ExceptionQueueModel::ExceptionQueueModel(DatabaseThread* database, QObject* parent)
    : QAbstractTableModel(parent), m_database(database), m_now(QDateTime::currentDateTimeUtc()),
      m_pager(
          {[this](int first, int last) { beginInsertRows({}, first, last); }, [this] { endInsertRows(); }},
          [this](const QueueRow* last, auto stillWanted, auto done) {
              std::optional<QueueKey> after;
              if (last)
                  after = last->key;
              auto task = m_database->task(
                  [query = m_query, after, stillWanted](Workspace& w) -> Result<QueueRowsPage> {
                      if (!stillWanted())
                          return Problem{u"superseded"_s, {}, {}}; // dropped by the pager anyway
                      return ExceptionRepository(w.db()).page(query, after, kPageSize);
                  });
              QCoro::connect(std::move(task), this, done);
          }) {}

void ExceptionQueueModel::setQuery(const QueueQuery& query) {
    beginResetModel();
    m_query = query;
    m_pager.reset();
    endResetModel();
    requestPage();
}

void ExceptionQueueModel::setNow(const QDateTime& now) {
    m_now = now;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, int(QueueColumn::AppliedAt)),
                           index(rowCount() - 1, int(QueueColumn::ExpiresIn)));
}

void ExceptionQueueModel::requestPage() {
    if (m_query.filter.tenantId.isEmpty())
        return;
    m_pager.requestNext([this](int rows, bool more) { Q_EMIT pageLoaded(rows, more); },
                        [this](const QString& message) { Q_EMIT loadFailed(message); });
}

int ExceptionQueueModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_pager.rows().size());
}

int ExceptionQueueModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(QueueColumn::Count);
}

QVariant ExceptionQueueModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueueRow& r = m_pager.rows().at(index.row());
    const auto column = QueueColumn(index.column());
    const bool soon =
        r.status == ExceptionStatus::Pending && QueueFormatting::expiringSoon(r.validEndTime, m_now);
    const qint64 slaMinutes = SlaTarget::minutesOr(r.slaMinutes, r.severity);
    const bool overdue =
        r.status == ExceptionStatus::Pending && SlaTarget::isPast(r.applyTime, slaMinutes, m_now);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case QueueColumn::RecordId:
            return r.recordId;
        case QueueColumn::CurrentStatus:
            if (r.status == ExceptionStatus::Pending && r.approvals > 0)
                return tr("%1 · step %2/2").arg(displayName(r.status)).arg(r.approvals + 1);
            return displayName(r.status);
        case QueueColumn::Rule:
            return r.ruleName;
        case QueueColumn::Target:
            return displayName(r.targetType) + u" · "_s + r.targetId;
        case QueueColumn::Applicant:
            return r.applicantId;
        case QueueColumn::AppliedAt:
            // A mark, not colour alone: the row is past its SLA target. The words are in the tooltip, the
            // accessible text and the detail panel; beside the age they made the column too wide for the
            // rule's name (or, narrower, elided the age itself away).
            if (overdue)
                return tr("\u23F0 %1").arg(QueueFormatting::age(r.applyTime, m_now));
            return QueueFormatting::age(r.applyTime, m_now);
        case QueueColumn::ExpiresIn:
            return r.status == ExceptionStatus::Pending ? QueueFormatting::timeToExpiry(r.validEndTime, m_now)
                                                        : QString(QChar(0x2014));
        case QueueColumn::CurrentApprover:
            if (r.status != ExceptionStatus::Pending)
                return QString(QChar(0x2014)); // nobody, whatever assignment is left
            if (const QString next =
                    ExceptionDecision::nextDecider(r.status, r.currentApproverId, r.assigneeId);
                next != r.assigneeId)
                return next;
            return r.escalated ? tr("%1 (escalated)").arg(r.assigneeId) : r.assigneeId;
        case QueueColumn::Count:
            break;
        }
        break;
    case Qt::AccessibleTextRole:
        if (column == QueueColumn::AppliedAt && overdue)
            return tr("%1 · %2").arg(QueueFormatting::age(r.applyTime, m_now),
                                     SlaTarget::pastText(slaMinutes));
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        switch (column) {
        case QueueColumn::AppliedAt:
            if (overdue)
                return tr("Applied %1; the SLA for %2 severity is %3, and this exception is past it.")
                    .arg(QLocale().toString(r.applyTime.toLocalTime(), QLocale::LongFormat),
                         displayName(r.severity).toLower(), SlaTarget::durationText(slaMinutes));
            return QLocale().toString(r.applyTime.toLocalTime(), QLocale::LongFormat);
        case QueueColumn::CurrentApprover:
            if (r.status != ExceptionStatus::Pending)
                return tr("Decided: nobody decides it next");
            if (r.assigneeId.isEmpty())
                return r.currentApproverId.isEmpty()
                           ? tr("Unassigned")
                           : tr("Next step's approver: %1").arg(r.currentApproverId);
            if (!r.currentApproverId.isEmpty() && r.currentApproverId != r.assigneeId)
                return tr("Next step's approver: %1 (the assignment to %2 no longer decides it)")
                    .arg(r.currentApproverId, r.assigneeId);
            return r.escalated ? tr("Escalated to %1").arg(r.assigneeId)
                               : tr("Assigned to %1").arg(r.assigneeId);
        case QueueColumn::ExpiresIn:
            return tr("Valid until %1")
                .arg(QLocale().toString(r.validEndTime.toLocalTime(), QLocale::LongFormat));
        case QueueColumn::Rule:
            return u"%1 · %2 · %3"_s.arg(r.ruleId, r.ruleName, displayName(r.severity));
        case QueueColumn::Target: // whole, when the column cuts it
        case QueueColumn::Applicant:
            return data(index, Qt::DisplayRole);
        default:
            break;
        }
        break;
    case Qt::ForegroundRole:
        if (column == QueueColumn::CurrentStatus)
            return QBrush(statusColor(r.status));
        if (column == QueueColumn::ExpiresIn && soon)
            return QBrush(QColor(0xdc, 0x26, 0x26));
        if (column == QueueColumn::AppliedAt && overdue)
            return QBrush(QColor(0xb9, 0x1c, 0x1c));
        break;
    case Qt::FontRole:
        if (column == QueueColumn::ExpiresIn && soon) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::TextAlignmentRole:
        if (column == QueueColumn::AppliedAt || column == QueueColumn::ExpiresIn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case RecordIdRole:
        return r.recordId;
    case StatusRole:
        return toWire(r.status);
    case ExpiringSoonRole:
        return soon;
    case PastSlaRole:
        return overdue;
    case AssigneeRole:
        return r.assigneeId;
    default:
        break;
    }
    return {};
}

QVariant ExceptionQueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (QueueColumn(section)) {
    case QueueColumn::RecordId:
        return tr("Exception");
    case QueueColumn::CurrentStatus:
        return tr("Status");
    case QueueColumn::Rule:
        return tr("Rule");
    case QueueColumn::Target:
        return tr("Target");
    case QueueColumn::Applicant:
        return tr("Applicant");
    case QueueColumn::AppliedAt:
        return tr("Age");
    case QueueColumn::ExpiresIn:
        return tr("Expires");
    case QueueColumn::CurrentApprover:
        return tr("Decides next");
    case QueueColumn::Count:
        break;
    }
    return {};
}

bool ExceptionQueueModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_pager.canFetchMore();
}

void ExceptionQueueModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent))
        requestPage();
}

void ExceptionQueueModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= int(QueueColumn::Count))
        return;
    QueueQuery next = m_query;
    next.sortColumn = QueueColumn(column);
    next.descending = order == Qt::DescendingOrder;
    if (next.sortColumn == m_query.sortColumn && next.descending == m_query.descending && rowCount() > 0)
        return;
    setQuery(next);
}

const QueueRow* ExceptionQueueModel::rowAt(int row) const {
    return row >= 0 && row < m_pager.rows().size() ? &m_pager.rows().at(row) : nullptr;
}

int ExceptionQueueModel::rowOf(const QString& recordId) const {
    for (int i = 0; i < m_pager.rows().size(); ++i)
        if (m_pager.rows().at(i).recordId == recordId)
            return i;
    return -1;
}

void ExceptionQueueModel::applyChange(const RiskException& e) {
    const int row = rowOf(e.recordId);
    if (row < 0)
        return;
    QueueRow& r = m_pager.rows()[row];
    r.status = e.status;
    r.currentApproverId = e.currentApproverId;
    r.version = e.version;
    r.approvals = e.status == ExceptionStatus::Pending ? e.approvalsRecorded() : 0;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void ExceptionQueueModel::removeRecord(const QString& recordId) {
    const int row = rowOf(recordId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_pager.rows().removeAt(row);
    endRemoveRows();
}

void ExceptionQueueModel::applyAssignment(const QString& recordId, const QString& assigneeId,
                                          bool escalated) {
    const int row = rowOf(recordId);
    if (row < 0)
        return;
    QueueRow& r = m_pager.rows()[row];
    r.assigneeId = assigneeId;
    r.escalated = escalated;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

} // namespace riskdesk
