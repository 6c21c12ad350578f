#include "ApprovalLogModel.h"

#include "QueueFormatting.h"
#include "domain/DomainTypes.h"
#include "domain/IdentityMark.h"
#include "domain/LogActionText.h"
#include "domain/SystemComment.h"
#include "domain/TimeText.h"
#include "store/DatabaseThread.h"

#include <QCoro/QCoroFuture>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

ApprovalLogModel::ApprovalLogModel(DatabaseThread* database, QObject* parent)
    : QAbstractTableModel(parent), m_database(database),
      m_pager(
          {[this](int first, int last) { beginInsertRows({}, first, last); }, [this] { endInsertRows(); }},
          [this](const ApprovalLogEntry* last, auto stillWanted, auto done) {
              std::optional<qint64> before;
              if (last)
                  before = last->seq;
              auto task =
                  m_database->task([filter = m_filter, before, stillWanted](Workspace& w) -> Result<LogPage> {
                      if (!stillWanted())
                          return Problem{u"superseded"_s, {}, {}}; // dropped by the pager anyway
                      return ApprovalLogRepository(w.db()).page(filter, before, kPageSize);
                  });
              QCoro::connect(std::move(task), this, done);
          }) {}

const QStringList& ApprovalLogModel::actions() {
    static const QStringList all{u"approve"_s, u"reject"_s, u"withdraw"_s, u"auto_reject"_s, u"expire"_s};
    return all;
}

QString ApprovalLogModel::actionLabel(const QString& action) {
    return LogActionText::label(action);
}

void ApprovalLogModel::setNames(const QHash<QString, QString>& names) {
    m_names = names;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, int(Column::Actor)), index(rowCount() - 1, int(Column::Actor)));
}

QString ApprovalLogModel::timeText(const QDateTime& at) {
    // An auditor matches entries to other records by the second; the short format stops at minutes.
    return TimeText::seconds(at);
}

void ApprovalLogModel::setFilter(const LogFilter& filter) {
    beginResetModel();
    m_filter = filter;
    m_pager.reset();
    endResetModel();
    requestPage();
}

void ApprovalLogModel::requestPage() {
    if (m_filter.tenantId.isEmpty())
        return;
    m_pager.requestNext([this](int rows, bool more) { Q_EMIT pageLoaded(rows, more); },
                        [this](const QString& message) { Q_EMIT loadFailed(message); });
}

int ApprovalLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_pager.rows().size());
}

int ApprovalLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ApprovalLogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ApprovalLogEntry& e = m_pager.rows().at(index.row());
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Column::Seq:
            return e.seq;
        case Column::At:
            return timeText(e.at);
        case Column::Exception:
            return e.recordId;
        case Column::Actor:
            if (e.actorId == SystemComment::actorId())
                return SystemComment::actorName(e.actorId);
            return m_names.value(e.actorId, e.actorId);
        case Column::Identity:
            // The server's copy carries no mark: the server decided each entry as the login itself.
            if (m_filter.source == LogSource::ServerCopy)
                return tr("Server login");
            return IdentityMark::label(e.identity);
        case Column::Action:
            return actionLabel(e.action);
        case Column::Step:
            return e.step > 0 ? QVariant(e.step) : QVariant(QString());
        case Column::StatusAfter:
            if (const auto s = statusFromWire(e.statusAfter))
                return displayName(*s);
            return e.statusAfter;
        case Column::Comment:
            return SystemComment::display(e.actorId, e.action, e.comment);
        case Column::Hash:
            return QueueFormatting::shortHash(e.hash);
        case Column::Count:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        if (column == Column::Hash)
            return tr("Hash %1\nPrevious %2")
                .arg(QString::fromLatin1(e.hash), QString::fromLatin1(e.prevHash));
        if (column == Column::Comment) {
            const QString shown = SystemComment::display(e.actorId, e.action, e.comment);
            // The hash covers the words as stored; an auditor sees those too when they differ.
            return shown == e.comment ? e.comment : tr("%1\n\nAs stored: %2").arg(shown, e.comment);
        }
        if (column == Column::Actor)
            return e.actorId;
        if (column == Column::Identity)
            return m_filter.source == LogSource::ServerCopy
                       ? tr("The server recorded this decision as the login that sent it.")
                       : IdentityMark::explanation(e.identity);
        if (column == Column::At)
            return QLocale().toString(e.at.toLocalTime(), QLocale::LongFormat);
    }
    return {};
}

QVariant ApprovalLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Seq:
        return tr("#");
    case Column::At:
        return tr("Time");
    case Column::Exception:
        return tr("Exception");
    case Column::Actor:
        return tr("By");
    case Column::Identity:
        return tr("Identity");
    case Column::Action:
        return tr("Action");
    case Column::Step:
        return tr("Step");
    case Column::StatusAfter:
        return tr("Status after");
    case Column::Comment:
        return tr("Comment");
    case Column::Hash:
        return tr("Hash");
    case Column::Count:
        break;
    }
    return {};
}

bool ApprovalLogModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_pager.canFetchMore();
}

void ApprovalLogModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent))
        requestPage();
}

const ApprovalLogEntry* ApprovalLogModel::entryAt(int row) const {
    return row >= 0 && row < m_pager.rows().size() ? &m_pager.rows().at(row) : nullptr;
}

} // namespace riskdesk
