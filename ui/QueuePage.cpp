#include "QueuePage.h"

#include "BulkDecisionDialog.h"
#include "BulkOutcomeDialog.h"
#include "CommentThreadView.h"
#include "DeadlineDelegate.h"
#include "EmptyResultsOverlay.h"
#include "ExceptionDetailPanel.h"
#include "RejectDialog.h"
#include "WrappingLabel.h"
#include "attach/RequestService.h"
#include "domain/SlaTarget.h"
#include "domain/TextRules.h"
#include "item/ExceptionQueueModel.h"
#include "item/QueueFormatting.h"
#include "store/AssignmentService.h"
#include "store/BulkDecisionPlan.h"
#include "store/BulkDecisionReport.h"
#include "store/CommentService.h"
#include "store/DatabaseThread.h"
#include "store/DecisionService.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"
#include "store/SqlProblem.h"
#include "store/TargetRiskReader.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSplitter>
#include <QSqlQuery>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// How often the queue asks whether the workspace changed outside this window.
constexpr int kOutsideWatchMs = 2000;
// A decision usually takes milliseconds; one still being written after this waits for another writer's lock
// (up to kBusyTimeoutSeconds), and the approver is told rather than left with a window that seems to ignore
// them.
constexpr int kDecisionSlowMs = 400;
constexpr int kSweepRetryMs = 60 * 1000; // after a sweep or a look for the next end failed
constexpr int kSweepBusyTimeoutMs = 200; // a sweep is retried: it never holds the queue's reads for long
constexpr int kSweepLongestWaitMs = 60 * 60 * 1000; // a window ending later is looked for again after this

// What the approver asked for, as a failure names it ("Approving exc-… failed: …").
QString actionOn(DecisionAction action, const QString& recordId) {
    switch (action) {
    case DecisionAction::Approve:
        return QueuePage::tr("Approving %1").arg(recordId);
    case DecisionAction::Reject:
        return QueuePage::tr("Rejecting %1").arg(recordId);
    case DecisionAction::Withdraw:
        break;
    }
    return QueuePage::tr("Withdrawing %1").arg(recordId);
}

// What the queue's watch found changed outside this window among the loaded rows.
struct OutsideChanges {
    struct AssigneeNow {
        QString recordId;
        QString assigneeId; // empty: nobody now
        bool escalated = false;
    };
    QList<RiskException> exceptions;
    QList<AssigneeNow> assignments;
};

struct DetailData {
    Result<RiskException> exception;
    std::optional<Rule> rule;
    Assignment assignment;
    QList<AssignmentEvent> history;
    qint64 slaMinutes = 0;
    bool pastSla = false;
    QList<ExceptionComment> comments;
    QStringList mentionable;
    QList<AttachmentContent> files; // every file of the request, in order (without their bytes)
};

// The exception with its rule and its assignment, read together on the database thread.
DetailData readDetail(Workspace& w, const QString& tenant, const QString& recordId) {
    DetailData data{
        ExceptionRepository(w.db()).get(tenant, recordId), std::nullopt, {}, {}, 0, false, {}, {}, {}};
    if (!data.exception)
        return data;
    const RiskException& e = data.exception.value();
    if (auto rule = DirectoryRepository(w.db()).rule(tenant, e.riskRuleId))
        data.rule = rule.value();
    // A failed read of the assignment is shown like a failed read of the exception: never as "nobody".
    AssignmentService assignments(w.db());
    auto current = assignments.current(tenant, recordId);
    auto history = assignments.history(tenant, recordId);
    const Severity severity = data.rule ? data.rule->severity : Severity::Medium;
    auto minutes = assignments.slaMinutes(tenant, severity);
    for (const Problem* p : {current ? nullptr : &current.problem(), history ? nullptr : &history.problem(),
                             minutes ? nullptr : &minutes.problem()})
        if (p) {
            data.exception = *p;
            return data;
        }
    // The comment thread, likewise: a failed read is shown, never an empty thread.
    CommentService comments(w.db());
    auto thread = comments.thread(tenant, recordId);
    auto mentionable = comments.mentionable(tenant);
    for (const Problem* p :
         {thread ? nullptr : &thread.problem(), mentionable ? nullptr : &mentionable.problem()})
        if (p) {
            data.exception = *p;
            return data;
        }
    // The request's files, likewise: a failed read is shown, never as "no files".
    auto files = RequestService(w.db()).attachmentsOf(tenant, recordId);
    if (!files) {
        data.exception = files.problem();
        return data;
    }
    data.files = files.value();
    data.comments = thread.value();
    data.mentionable = mentionable.value();
    data.assignment = current.value();
    data.history = history.value();
    data.slaMinutes = minutes.value();
    data.pastSla = e.status == ExceptionStatus::Pending &&
                   SlaTarget::isPast(e.applyTime, data.slaMinutes, QDateTime::currentDateTimeUtc());
    return data;
}

struct DirectoryData {
    QList<Rule> rules;
    QList<User> users;
    QStringList approvers;
    QStringList leads;
    QStringList assignable; // with a backend, also the approvers the server named
};

} // namespace

QueuePage::QueuePage(DatabaseThread* database, DatabaseThread* background, QWidget* parent)
    : QWidget(parent), m_database(database), m_background(background ? background : database),
      m_model(new ExceptionQueueModel(database, this)) {
    setObjectName(u"queuePage"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);
    layout->addLayout(createFilterBar());
    layout->addWidget(createSplitter(createTablePane()), 1);
    connectFiltersAndClock();
    connectModelAndDetail();
    installKeyboard();
}

QBoxLayout* QueuePage::createFilterBar() {
    auto* filters = new QHBoxLayout;
    m_status = new QComboBox;
    m_status->setObjectName(u"statusFilter"_s);
    m_status->setAccessibleName(tr("Status filter"));
    m_status->addItem(tr("All statuses"));
    for (const QString& wire : allStatusWires())
        m_status->addItem(displayName(*statusFromWire(wire)), wire);
    m_rule = new QComboBox;
    m_rule->setObjectName(u"ruleFilter"_s);
    m_rule->setAccessibleName(tr("Rule filter"));
    m_rule->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_rule->setMinimumContentsLength(16);
    m_targetType = new QComboBox;
    m_targetType->setObjectName(u"targetTypeFilter"_s);
    m_targetType->setAccessibleName(tr("Target type filter"));
    m_targetType->addItem(tr("All targets"));
    for (const QString& wire : allTargetTypeWires())
        m_targetType->addItem(displayName(*targetTypeFromWire(wire)), wire);
    m_applicant = new QComboBox;
    m_applicant->setObjectName(u"applicantFilter"_s);
    m_applicant->setAccessibleName(tr("Applicant filter"));
    m_applicant->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_applicant->setMinimumContentsLength(14);
    m_assignmentFilter = new QComboBox;
    m_assignmentFilter->setObjectName(u"assignmentFilter"_s);
    m_assignmentFilter->setAccessibleName(tr("Assignment filter"));
    m_assignmentFilter->addItem(tr("Anyone's"));
    m_assignmentFilter->addItem(tr("Assigned to me"), int(AssignmentFilter::AssignedTo));
    m_assignmentFilter->addItem(tr("Unassigned"), int(AssignmentFilter::Unassigned));
    m_search = new QLineEdit;
    m_search->setObjectName(u"searchField"_s);
    m_search->setAccessibleName(tr("Search"));
    m_search->setPlaceholderText(tr("Search id, target, applicant, justification… (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_badge = new QLabel;
    m_badge->setObjectName(u"pendingBadge"_s);
    m_badge->setStyleSheet(
        u"QLabel { background: #b45309; color: white; border-radius: 9px; padding: 2px 9px; "
        "font-weight: bold; }"_s);
    filters->addWidget(m_status);
    filters->addWidget(m_rule);
    filters->addWidget(m_targetType);
    filters->addWidget(m_applicant);
    filters->addWidget(m_assignmentFilter);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_badge);
    return filters;
}

QWidget* QueuePage::createTablePane() {
    auto* pane = new QWidget;
    auto* paneLayout = new QVBoxLayout(pane);
    paneLayout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableView;
    m_table->setObjectName(u"queueTable"_s);
    m_table->setAccessibleName(tr("Exception queue"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move between rows
    // Shift and Ctrl pick several rows for a bulk decision; the current row is the one in the detail panel.
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    // Fixed row heights and column widths: the view never measures rows it has not shown.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setSortIndicator(int(QueueColumn::ExpiresIn), Qt::AscendingOrder);
    sizeColumns();
    paneLayout->addWidget(m_table, 1);
    // Under the table, so that its showing up with the second selected row moves no row under the pointer
    // (above it, the next Ctrl+click landed one row lower than aimed).
    paneLayout->addWidget(createBulkBar());
    m_empty = new EmptyResultsOverlay(m_table);
    connect(m_empty, &EmptyResultsOverlay::clearFiltersRequested, this, &QueuePage::clearFilters);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this, [this] { m_sortChosen = true; });
    m_loaded = new QLabel;
    m_loaded->setObjectName(u"loadedLabel"_s);
    m_loaded->setStyleSheet(u"color: palette(mid);"_s);
    // Wrapped, and only as wide as the line leaves it: a long message unwrapped widened the window past a
    // 1,024 px screen, and it stayed so (helper-90).
    m_feedback = new WrappingLabel;
    m_feedback->setObjectName(u"queueFeedback"_s);
    m_feedback->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_feedback->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* statusLine = new QHBoxLayout;
    statusLine->addWidget(m_loaded);
    statusLine->addWidget(m_feedback, 1);
    paneLayout->addLayout(statusLine);
    return pane;
}

QWidget* QueuePage::createBulkBar() {
    m_bulkBar = new QWidget;
    m_bulkBar->setObjectName(u"bulkBar"_s);
    auto* bar = new QHBoxLayout(m_bulkBar);
    bar->setContentsMargins(0, 4, 0, 0);
    m_bulkLabel = new QLabel;
    m_bulkLabel->setObjectName(u"bulkSelectionLabel"_s);
    m_selectAllMatching = new QPushButton(tr("Select all matching"));
    m_selectAllMatching->setObjectName(u"selectAllMatching"_s);
    m_selectAllMatching->setFlat(true);
    connect(m_selectAllMatching, &QPushButton::clicked, this, &QueuePage::selectAllMatching);
    auto* approve = new QPushButton(tr("Approve selected…"));
    approve->setObjectName(u"bulkApprove"_s);
    connect(approve, &QPushButton::clicked, this, [this] { startBulk(DecisionAction::Approve); });
    auto* reject = new QPushButton(tr("Reject selected…"));
    reject->setObjectName(u"bulkReject"_s);
    connect(reject, &QPushButton::clicked, this, [this] { startBulk(DecisionAction::Reject); });
    // A click leaves the keyboard with the table, where A and R act on the selection; Tab still reaches them.
    for (QPushButton* button : {m_selectAllMatching, approve, reject})
        button->setFocusPolicy(Qt::TabFocus);
    bar->addWidget(m_bulkLabel);
    bar->addWidget(m_selectAllMatching);
    bar->addStretch(1);
    bar->addWidget(approve);
    bar->addWidget(reject);
    m_bulkBar->setVisible(false);
    return m_bulkBar;
}

QSplitter* QueuePage::createSplitter(QWidget* tablePane) {
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(tablePane);
    m_detail = new ExceptionDetailPanel;
    splitter->addWidget(m_detail);
    // A small window keeps the table's columns; room beyond that is shared, so that on a large screen the
    // panel is wide enough for the rule's diagram to read.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({900, 500});
    return splitter;
}

void QueuePage::connectFiltersAndClock() {
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250); // one query after typing pauses, not one per keystroke
    connect(m_searchDelay, &QTimer::timeout, this, &QueuePage::applyFilters);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchDelay->stop();
        applyFilters();
        m_table->setFocus();
    });
    for (QComboBox* box : {m_status, m_rule, m_targetType, m_applicant, m_assignmentFilter})
        connect(box, &QComboBox::activated, this, &QueuePage::applyFilters);

    m_clock = new QTimer(this);
    m_clock->setInterval(60 * 1000);
    connect(m_clock, &QTimer::timeout, this, [this] {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        m_model->setNow(now);
        m_detail->setNow(now);
        // The sweep's timer runs on a clock that stops while the computer sleeps: by the wall clock, an end
        // passed meanwhile is swept now.
        if (!m_sweeping && m_sweepDueAt.isValid() && now >= m_sweepDueAt)
            startSweep(false);
    });
    m_detail->setNow(m_model->now());
    m_clock->start();

    // SQLite counts the commits other connections make to the file; asking costs one pragma, so it is asked
    // often, and the loaded rows are compared only when it moved.
    m_outsideWatch = new QTimer(this);
    m_outsideWatch->setInterval(kOutsideWatchMs);
    connect(m_outsideWatch, &QTimer::timeout, this, &QueuePage::lookForOutsideChanges);
    m_outsideWatch->start();

    m_decisionSlow = new QTimer(this);
    m_decisionSlow->setSingleShot(true);
    m_decisionSlow->setInterval(kDecisionSlowMs);

    m_sweepTimer = new QTimer(this);
    m_sweepTimer->setSingleShot(true);
    m_sweepTimer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire a second early
    connect(m_sweepTimer, &QTimer::timeout, this, [this] {
        if (!m_sweeping)
            startSweep(false);
    });
}

void QueuePage::lookForOutsideChanges() {
    if (m_looking || m_bulkRunning || m_session.tenantId.isEmpty() || !isVisible())
        return;
    m_looking = true;
    const qint64 seen = m_seenDataVersion;
    auto check = m_database->task([](Workspace& w) { return w.dataVersion(); });
    QCoro::connect(std::move(check), this, [this, seen](const Result<qint64>& version) {
        if (!version || version.value() == seen) {
            m_looking = false; // an unreadable version is asked again at the next tick (reads say why)
            return;
        }
        // Compared against what the rows hold now (a page loaded meanwhile is as new as the file), on the
        // database thread: the GUI thread only takes the shared list, however many rows are loaded.
        const QList<QueueRow> rows = m_model->loadedRows();
        const QString tenant = m_session.tenantId;
        auto read = m_database->task([tenant, rows](Workspace& w) -> Result<OutsideChanges> {
            QHash<QString, qint64> versions;
            QStringList ids;
            versions.reserve(rows.size());
            for (const QueueRow& r : rows) {
                versions.insert(r.recordId, r.version);
                ids << r.recordId;
            }
            OutsideChanges found;
            auto changed = ExceptionRepository(w.db()).changedFrom(tenant, versions);
            if (!changed)
                return changed.problem();
            found.exceptions = changed.value();
            // An assignment is kept beside the exception (its version does not move): compared on its own.
            auto assigned = AssignmentService(w.db()).heldAmong(tenant, ids);
            if (!assigned)
                return assigned.problem();
            for (const QueueRow& r : rows) {
                const Assignment now = assigned.value().value(r.recordId);
                if (now.assigneeId != r.assigneeId || now.escalated != r.escalated)
                    found.assignments.append({r.recordId, now.assigneeId, now.escalated});
            }
            return found;
        });
        const qint64 now = version.value();
        QCoro::connect(std::move(read), this, [this, tenant, now](const Result<OutsideChanges>& changed) {
            m_looking = false;
            if (tenant != m_session.tenantId || !changed)
                return; // another tenant's rows; or asked again at the next tick
            m_seenDataVersion = now;
            scheduleNextSweep(); // a request synced or filed elsewhere may end before the one waited for
            QStringList reassigned;
            for (const OutsideChanges::AssigneeNow& a : changed.value().assignments) {
                m_model->applyAssignment(a.recordId, a.assigneeId, a.escalated);
                reassigned << a.recordId;
            }
            // The file changed though no loaded row did (rows not scrolled to yet): the pending count may
            // have.
            if (changed.value().exceptions.isEmpty() && reassigned.isEmpty())
                refreshBadge();
            else
                showOutsideChanges(changed.value().exceptions, reassigned);
        });
    });
}

void QueuePage::showOutsideChanges(const QList<RiskException>& found, const QStringList& reassigned) {
    // Only what is newer than the row: this window's own decision may have reached the row meanwhile.
    QList<RiskException> changed;
    for (const RiskException& e : found)
        if (const int row = m_model->rowOf(e.recordId); row >= 0 && m_model->rowAt(row)->version < e.version)
            changed << e;
    if (changed.isEmpty() && reassigned.isEmpty())
        return;
    // In place, even under a filter they no longer match: rows vanishing under the approver's pointer would
    // move the next click onto another request. The filters' next run leaves them out.
    for (const RiskException& e : changed) {
        m_model->applyChange(e);
        if (e.status == ExceptionStatus::Pending)
            continue;
        dropRejectDraft(e.recordId,
                        tr("%1 was %2 outside this window meanwhile; it can no longer be rejected "
                           "here. Your text stays here to be copied.")
                            .arg(e.recordId, displayName(e.status).toLower()));
    }
    // The panel reads its exception again (its assignment included) when it is among them.
    QSet<QString> ids(reassigned.cbegin(), reassigned.cend());
    for (const RiskException& e : changed)
        ids.insert(e.recordId);
    if (const QString shown = m_detail->recordId(); ids.contains(shown))
        loadDetail(shown);
    say(tr("%n request(s) in the list changed outside this window (another desktop or the command line); "
           "their rows show it now.",
           nullptr, int(ids.size())));
    refreshBadge();
    Q_EMIT outsideChangesShown(int(ids.size()));
}

void QueuePage::connectModelAndDetail() {
    connect(m_model, &ExceptionQueueModel::pageLoaded, this, &QueuePage::onPageLoaded);
    connect(m_model, &ExceptionQueueModel::loadFailed, this, [this](const QString& message) {
        m_loaded->setText(tr("Could not read the queue: %1").arg(message));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                updateAssignmentActions();
                if (const QueueRow* row = m_model->rowAt(current.row()))
                    loadDetail(row->recordId);
            });
    // The current row's assignee or status changed (here, by a sync or by another desktop on this file).
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                const int current = m_table->currentIndex().row();
                if (current >= topLeft.row() && current <= bottomRight.row())
                    updateAssignmentActions();
            });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_selectingAll)
            m_allMatching = false; // the approver picked rows by hand again
        updateBulkBar();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueuePage::forgetMatchingCount);
    // Rows scrolled into view while every matching row is selected are selected too.
    connect(
        m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
            if (!m_allMatching)
                return;
            m_selectingAll = true;
            m_table->selectionModel()->select(
                QItemSelection(m_model->index(first, 0), m_model->index(last, m_model->columnCount() - 1)),
                QItemSelectionModel::Select);
            m_selectingAll = false;
        });
    connect(m_model, &QAbstractItemModel::modelReset, m_detail, &ExceptionDetailPanel::clear);

    connect(m_detail, &ExceptionDetailPanel::approveRequested, this,
            [this] { decideFromPanel(DecisionAction::Approve); });
    connect(m_detail, &ExceptionDetailPanel::rejectRequested, this,
            [this] { decideFromPanel(DecisionAction::Reject); });
    connect(m_detail->commentThread(), &CommentThreadView::sendRequested, this, &QueuePage::addComment);
    connect(m_detail, &ExceptionDetailPanel::withdrawRequested, this, &QueuePage::requestWithdraw);
}

void QueuePage::installKeyboard() {
    // Keyboard: arrows move through the queue; A and R act on the selected row while the table has focus
    // (an event filter, since the view would take letters for its type-ahead search, and so they never fire
    // while typing in the search field); the Ctrl+Return variants work anywhere on the page. With several
    // rows selected they open the bulk confirmation.
    m_table->installEventFilter(this);
    auto shortcut = [this](const QKeySequence& keys, QWidget* scope, Qt::ShortcutContext context, auto slot) {
        auto* s = new QShortcut(keys, scope);
        s->setContext(context);
        s->setAutoRepeat(false);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this, Qt::WidgetWithChildrenShortcut,
             &QueuePage::approveSelected);
    shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), this, Qt::WidgetWithChildrenShortcut,
             &QueuePage::rejectSelected);
    createAssignmentActions();
    shortcut(QKeySequence::Find, this, Qt::WidgetWithChildrenShortcut, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    shortcut(QKeySequence(Qt::Key_Escape), m_search, Qt::WidgetShortcut, [this] {
        m_search->clear();
        m_table->setFocus();
    });
}

void QueuePage::sizeColumns() {
    // The rule's name is what an approver reads first: it takes the room the window has. The durations get
    // the width of their longest text, and a narrower column cuts them on the left, keeping the unit.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(int(QueueColumn::Rule), QHeaderView::Stretch);
    header->setStretchLastSection(false);
    const QFontMetrics text = m_table->fontMetrics();
    const QFontMetrics head = header->fontMetrics();
    // Room for the header's words and its sort arrow: a cut header ("Decides ne…") hides what a column is.
    auto headerWidth = [&](QueueColumn column) {
        return head.horizontalAdvance(m_model->headerData(int(column), Qt::Horizontal).toString()) + 28;
    };
    auto fits = [&](const QStringList& samples, QueueColumn column) {
        return std::max(DeadlineDelegate::widthFor(text, samples), headerWidth(column));
    };
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList expiries{QueueFormatting::tr("ended")}, ages;
    // The last minute's text too (in a column sized without it, "in under 1 min" read "…der 1 min").
    for (const qint64 ms : {0LL, 59LL * 60000, 47LL * 3600000, 999LL * 86400000}) {
        expiries << QueueFormatting::timeToExpiry(now.addMSecs(ms + 30000), now);
        ages << QueueFormatting::age(now.addMSecs(-ms - 30000), now);
    }
    auto* durations = new DeadlineDelegate(m_table);
    m_table->setItemDelegateForColumn(int(QueueColumn::ExpiresIn), durations);
    m_table->setItemDelegateForColumn(int(QueueColumn::AppliedAt), durations);
    m_table->setColumnWidth(int(QueueColumn::ExpiresIn), fits(expiries, QueueColumn::ExpiresIn));
    m_table->setColumnWidth(int(QueueColumn::AppliedAt), fits(ages, QueueColumn::AppliedAt));
    const int ch = text.averageCharWidth();
    m_table->setColumnWidth(int(QueueColumn::RecordId), text.horizontalAdvance(u"exc-0123456789ab"_s) + 16);
    QStringList statuses{
        ExceptionQueueModel::tr("%1 · step %2/2").arg(displayName(ExceptionStatus::Pending)).arg(2)};
    for (const QString& wire : allStatusWires())
        statuses << displayName(*statusFromWire(wire));
    m_table->setColumnWidth(int(QueueColumn::CurrentStatus), DeadlineDelegate::widthFor(text, statuses));
    // The rule's name, which takes what is left, matters more than the whole target: a long target is cut
    // (its tooltip has it whole) rather than squeeze the rule to nothing in a small window.
    m_table->setColumnWidth(int(QueueColumn::Target), std::max(20 * ch, headerWidth(QueueColumn::Target)));
    m_table->setColumnWidth(int(QueueColumn::Applicant),
                            std::max(12 * ch, headerWidth(QueueColumn::Applicant)));
    m_table->setColumnWidth(int(QueueColumn::CurrentApprover),
                            std::max(12 * ch, headerWidth(QueueColumn::CurrentApprover)));
    header->setMinimumSectionSize(3 * ch);
    // How long is left comes right after the status: in a 1024 px window the list shows about five columns,
    // and the deadline, the last but one, was off to the right behind a scroll bar (helper-88).
    header->moveSection(header->visualIndex(int(QueueColumn::ExpiresIn)),
                        header->visualIndex(int(QueueColumn::CurrentStatus)) + 1);
}

bool QueuePage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool decisionKey =
            key->modifiers() == Qt::NoModifier && (key->key() == Qt::Key_A || key->key() == Qt::Key_R);
        if (decisionKey && key->isAutoRepeat())
            return true; // a held key decides once, never the rows that come up after it
        if (key->modifiers() == Qt::NoModifier && key->key() == Qt::Key_A) {
            approveSelected();
            return true;
        }
        if (key->modifiers() == Qt::NoModifier && key->key() == Qt::Key_R) {
            rejectSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void QueuePage::approveSelected() {
    if (bulkSelected())
        startBulk(DecisionAction::Approve);
    else if (m_deciding)
        sayStillRecording();
    else if (m_detail->canDecide())
        decide(int(DecisionAction::Approve), {});
    else
        m_detail->explainNoDecision();
}

void QueuePage::sayStillRecording() {
    // The key is for the row chosen meanwhile, which opens once the decision is done (helper-96: it was
    // dropped without a word, and R opened a rejection of the request still being approved).
    sayWaiting(tr("The decision on %1 is still being recorded: the key was not taken. Press it again when it "
                  "is done.")
                   .arg(m_decidingId));
}

void QueuePage::decideFromPanel(DecisionAction action) {
    // With several rows selected that include the one shown, the buttons act on the selection as A and R do
    // (helper-82: the button decided the shown row alone, at once, and dropped the selection). A row shown
    // but not among them (Ctrl+click takes the current row out of the selection) is decided alone: the
    // button never acts on rows the panel does not show without the shown one (helper-83).
    const int shown = m_model->rowOf(m_detail->recordId());
    if (bulkSelected() && shown >= 0 && m_table->selectionModel()->isRowSelected(shown, {}))
        startBulk(action);
    else if (action == DecisionAction::Approve)
        decide(int(DecisionAction::Approve), {});
    else
        requestReject();
}

void QueuePage::rejectSelected() {
    if (bulkSelected())
        startBulk(DecisionAction::Reject);
    else if (m_deciding)
        sayStillRecording();
    else if (m_detail->canDecide())
        requestReject();
    else
        m_detail->explainNoDecision();
}

void QueuePage::refuseWrites(const QString& reason) {
    m_session.writeRefusal = reason;
    m_detail->setSession(m_session);
}

int QueuePage::unsentTexts() const {
    return m_detail->commentThread()->unsentCount() + m_rejectDrafts.count();
}

void QueuePage::setSession(const Session& session) {
    // Unsent reasons are the signed-in person's: whoever signs in next is never shown them.
    if (session.userId != m_session.userId || session.workspacePath != m_session.workspacePath)
        m_rejectDrafts.clear();
    m_session = session;
    m_readySent = false;
    m_sortChosen = false;
    m_seenDataVersion = -1; // the loaded rows are compared at the next look, whatever the file's count
    m_detail->setSession(session);
    // The queue loads at once with the role's default filters; the directory (rules and applicants for the
    // filter lists) follows and never re-queries, so a record asked for meanwhile (showRecord) stays shown.
    m_rule->clear();
    m_rule->addItem(tr("All rules"));
    m_applicant->clear();
    m_applicant->addItem(tr("All applicants"));
    m_search->clear(); // a search, like a board's rows, belongs to the session that made it
    m_searchDelay->stop();
    m_recordIds.reset();
    m_feedback->clear(); // what was said belongs to the previous session or tenant
    m_leads.clear();     // the tenant's leads arrive with its directory
    m_approvers.clear();
    // Approvers start on their work: pending, soonest to expire first. Others see everything.
    m_status->setCurrentIndex(m_session.role == UserRole::Approver ? 1 : 0);
    applyFilters();
    const quint64 generation = ++m_sessionGeneration;
    const QString tenant = session.tenantId;
    auto task = m_database->task([tenant](Workspace& w) {
        DirectoryRepository directory(w.db());
        DirectoryData found;
        if (auto rules = directory.rules(tenant))
            found.rules = rules.value();
        if (auto users = directory.users(tenant))
            found.users = users.value();
        if (auto approvers = directory.approverIds(tenant))
            found.approvers = approvers.value();
        if (auto leads = AssignmentService(w.db()).leads(tenant))
            found.leads = leads.value();
        if (auto assignable = AssignmentService(w.db()).approvers(tenant))
            found.assignable = assignable.value();
        return found;
    });
    QCoro::connect(std::move(task), this, [this, generation](const DirectoryData& loaded) {
        if (generation != m_sessionGeneration)
            return; // a later sign-in's directory is on its way (and fills the lists once)
        m_rules = loaded.rules;
        m_approvers = loaded.assignable;
        m_leads = loaded.leads;
        updateAssignmentActions(); // a lead's Release on the row already selected
        m_detail->setApproverPool(loaded.approvers);
        // Appended after "All …", which is still the choice: nothing could be chosen from an empty list.
        for (const Rule& r : loaded.rules)
            m_rule->addItem(u"%1 · %2"_s.arg(r.name, displayName(r.severity)), r.ruleId);
        for (const User& u : loaded.users)
            if (u.role == UserRole::Applicant)
                m_applicant->addItem(u"%1 (%2)"_s.arg(u.displayName, u.userId), u.userId);
        startSweep(true); // queued behind the first page, so the queue shows at once
    });
}

void QueuePage::startSweep(bool atSignIn) {
    ++m_sweepGeneration; // an earlier session's sweep still running is not followed up
    m_sweeping = true;
    m_sweepOwed = false;
    m_sweepDueAt = {};
    m_sweepKeepsShown = !atSignIn;
    m_lastSwept.clear();
    m_sweptTotal = 0;
    m_sweepTimer->stop();
    sweepEndedWindows();
}

void QueuePage::sweepEndedWindows() {
    // Requests whose window ended while nobody decided them are closed automatically, in small batches so
    // that the approver's own queries never wait long behind them; each batch shows in the rows in place.
    // Only an approver's session closes them, as the server's sweep acts only where its login approves: an
    // auditor or a finance reader opening a workspace must not change the log they came to read (helper-86).
    if (m_session.role != UserRole::Approver) {
        m_sweeping = false;
        Q_EMIT endedWindowsSwept(0);
        return;
    }
    constexpr int kBatch = 500;
    const QString tenant = m_session.tenantId;
    const quint64 generation = m_sweepGeneration;
    auto sweep = m_database->task([tenant](Workspace& w) -> Result<QList<RiskException>> {
        if (w.writeRefusal()) // read-only or damaged: nothing is closed here (the banner says why)
            return QList<RiskException>{};
        // Behind another writer's lock the sweep gives up at once and is tried again (helper-94): waiting the
        // full busy timeout would hold the queue's own reads behind it every minute.
        QSqlQuery pragma(w.db());
        pragma.exec(u"PRAGMA busy_timeout = %1"_s.arg(kSweepBusyTimeoutMs));
        auto closed = DecisionService(w.db()).expireDue(tenant, QDateTime::currentDateTimeUtc(), kBatch);
        pragma.exec(u"PRAGMA busy_timeout = %1"_s.arg(kBusyTimeoutSeconds * 1000));
        return closed;
    });
    QCoro::connect(
        std::move(sweep), this, [this, tenant, generation](const Result<QList<RiskException>>& swept) {
            if (tenant != m_session.tenantId || generation != m_sweepGeneration)
                return; // the user switched tenant or user; that session's sweep runs on its own
            if (!swept) {
                // Nobody asked for this: say what it was and that it is tried again, not "try again".
                sayProblem(swept.problem().code == u"workspace_busy"
                               ? tr("Requests whose validity window ended could not be closed yet: another "
                                    "Riskdesk window or command is writing to the workspace. Riskdesk tries "
                                    "again in a minute.")
                               : tr("Requests whose validity window ended could not be closed: %1 Riskdesk "
                                    "tries again in a minute.")
                                     .arg(swept.problem().message));
                m_sweeping = false;
                m_sweepOwed = true; // an outside change's look for the next end does not cancel the retry
                armSweep(kSweepRetryMs);
                if (m_sweptTotal > 0) { // earlier batches closed some: the counts follow
                    refreshBadge();
                    Q_EMIT decisionStored();
                }
                return;
            }
            showSwept(swept.value());
            m_sweptTotal += int(swept.value().size());
            if (!swept.value().isEmpty())
                forgetMatchingCount();
            if (swept.value().size() == kBatch) {
                sweepEndedWindows();
                return;
            }
            m_sweeping = false;
            m_sweepOwed = false;
            if (m_sweptTotal == 1 && !m_lastSwept.isEmpty()) {
                say(tr("The validity window of %1 ended, so it was closed automatically.").arg(m_lastSwept));
                refreshBadge();
                Q_EMIT decisionStored();
            } else if (m_sweptTotal > 0) {
                say(tr("%n request(s) whose validity window ended were closed automatically.", nullptr,
                       m_sweptTotal));
                refreshBadge();
                Q_EMIT decisionStored();
            }
            Q_EMIT endedWindowsSwept(m_sweptTotal);
            scheduleNextSweep();
        });
}

void QueuePage::dropRejectDraft(const QString& recordId, const QString& why) {
    // A reason for a request that can no longer be rejected is not kept (nor counted as unsent); an open
    // Reject dialog on it says what happened instead of failing on confirmation, and keeps the text to copy.
    m_rejectDrafts.remove(UnsentDrafts::key(m_session.tenantId, recordId));
    if (m_rejectDialog && m_rejectDialog->recordId() == recordId)
        m_rejectDialog->showDecidedElsewhere(why);
}

void QueuePage::showSwept(const QList<RiskException>& swept) {
    // Closed before anyone acted on them: under a filter they no longer match (pending, the approver's
    // default) they leave the list, instead of heading it as rejected and selected.
    // One that ends while the approver reads it (a sweep after sign-in) stays in place, closed, rather than
    // the panel switching to another request under their pointer (helper-95).
    const std::optional<ExceptionStatus> shown = m_model->query().filter.status;
    for (const RiskException& e : swept) {
        m_lastSwept = e.recordId;
        dropRejectDraft(
            e.recordId,
            tr("The validity window of %1 ended before it was decided, so it was closed "
               "automatically (%2); it can no longer be rejected here. Your text stays here to be "
               "copied.")
                .arg(e.recordId, displayName(e.status).toLower()));
        const bool beingRead = m_sweepKeepsShown && m_detail->recordId() == e.recordId;
        if (shown && *shown != e.status && !beingRead) {
            dropRow(e.recordId);
            continue;
        }
        m_model->applyChange(e);
        if (m_detail->recordId() == e.recordId)
            loadDetail(e.recordId);
    }
}

void QueuePage::armSweep(qint64 waitMs) {
    m_sweepDueAt = QDateTime::currentDateTimeUtc().addMSecs(waitMs);
    m_sweepTimer->start(int(waitMs));
}

void QueuePage::scheduleNextSweep() {
    if (m_session.role != UserRole::Approver || m_sweeping || m_sweepOwed)
        return; // a failed sweep's retry is armed already, and it schedules the next when it succeeds
    const QString tenant = m_session.tenantId;
    const quint64 generation = m_sweepGeneration;
    auto next = m_database->task([tenant](Workspace& w) {
        return ExceptionRepository(w.db()).nextWindowEnd(tenant, QDateTime::currentDateTimeUtc());
    });
    QCoro::connect(
        std::move(next), this, [this, tenant, generation](const Result<std::optional<QDateTime>>& end) {
            if (tenant != m_session.tenantId || generation != m_sweepGeneration || m_sweeping || m_sweepOwed)
                return;
            if (!end) {
                armSweep(kSweepRetryMs);
                return;
            }
            if (!end.value()) {
                m_sweepTimer->stop(); // no open window left: a new one is seen as an outside change
                m_sweepDueAt = {};
                return;
            }
            // Just after the end, so the sweep finds it due; a far end is looked at again hourly.
            const qint64 wait = QDateTime::currentDateTimeUtc().msecsTo(*end.value()) + 250;
            armSweep(std::clamp<qint64>(wait, 0, kSweepLongestWaitMs));
        });
}

void QueuePage::dropRow(const QString& recordId) {
    const int row = m_model->rowOf(recordId);
    m_model->removeRecord(recordId);
    if (m_detailRequested != recordId) // (it may still be on its way to the panel)
        return;
    if (m_model->rowCount() > 0)
        selectRow(std::min(row, m_model->rowCount() - 1));
    else
        m_detail->clear();
}

void QueuePage::applyFilters() {
    QueueQuery query = m_model->query();
    query.filter = QueueFilter{};
    query.filter.tenantId = m_session.tenantId;
    if (m_status->currentIndex() > 0)
        query.filter.status = statusFromWire(m_status->currentData().toString());
    query.filter.ruleId = m_rule->currentData().toString();
    if (m_targetType->currentIndex() > 0)
        query.filter.targetType = targetTypeFromWire(m_targetType->currentData().toString());
    query.filter.applicantId = m_applicant->currentData().toString();
    query.filter.text = m_search->text().trimmed();
    query.filter.recordIds = m_recordIds;
    if (m_assignmentFilter->currentIndex() > 0) {
        query.filter.assignment = AssignmentFilter(m_assignmentFilter->currentData().toInt());
        query.filter.assigneeId = m_session.userId;
    }
    if (!m_sortChosen)
        applyDefaultSort();
    const QHeaderView* header = m_table->horizontalHeader();
    query.sortColumn = QueueColumn(header->sortIndicatorSection());
    query.descending = header->sortIndicatorOrder() == Qt::DescendingOrder;
    m_loaded->setText(tr("Loading…"));
    m_model->setQuery(query);
    refreshBadge();
}

void QueuePage::applyDefaultSort() {
    // Pending requests are worked soonest deadline first. Any other selection reads newest request first: its
    // deadlines are mostly past or beside the point, and ordered by them the rows look shuffled.
    const bool onlyPending = m_status->currentData().toString() == u"pending";
    QHeaderView* header = m_table->horizontalHeader();
    const QSignalBlocker quiet(header); // applyFilters queries once, with this order
    if (onlyPending)
        header->setSortIndicator(int(QueueColumn::ExpiresIn), Qt::AscendingOrder);
    else
        header->setSortIndicator(int(QueueColumn::AppliedAt), Qt::DescendingOrder);
}

void QueuePage::setBackendSet(bool set) {
    m_detail->setBackendSet(set);
}

void QueuePage::refresh() {
    applyFilters();
}

bool QueuePage::filtersSet() const {
    for (const QComboBox* box : {m_status, m_rule, m_targetType, m_applicant, m_assignmentFilter})
        if (box->currentIndex() > 0)
            return true;
    return m_recordIds || !m_search->text().trimmed().isEmpty();
}

void QueuePage::clearFilters() {
    for (QComboBox* box : {m_status, m_rule, m_targetType, m_applicant, m_assignmentFilter})
        box->setCurrentIndex(0);
    if (m_recordIds) {
        m_recordIds.reset();
        m_feedback->clear();
    }
    m_search->clear();
    m_searchDelay->stop();
    applyFilters();
    m_table->setFocus();
}

void QueuePage::showRecords(const QStringList& recordIds, const QString& label) {
    for (QComboBox* box : {m_status, m_rule, m_targetType, m_applicant, m_assignmentFilter})
        box->setCurrentIndex(0);
    m_search->clear();
    m_searchDelay->stop();
    m_recordIds = recordIds;
    say(tr("Showing %1 from the board. Clear the filters to see the whole queue.").arg(label));
    m_table->setCurrentIndex({});
    applyFilters();
    m_table->setFocus();
}

void QueuePage::showRecord(const QString& recordId) {
    for (QComboBox* box : {m_status, m_rule, m_targetType, m_applicant, m_assignmentFilter})
        box->setCurrentIndex(0);
    m_recordIds.reset();
    m_search->setText(recordId);
    m_searchDelay->stop();
    m_selectWhenLoaded = recordId;
    m_table->setCurrentIndex({});
    applyFilters();
    m_table->setFocus();
}

void QueuePage::onPageLoaded() {
    const int rows = m_model->rowCount();
    m_loaded->setText(rows == 0            ? QString()
                      : m_model->hasMore() ? tr("%n exception(s) shown; scroll for more", nullptr, rows)
                                           : tr("%n exception(s)", nullptr, rows));
    if (rows == 0)
        m_empty->showMessage(filtersSet()
                                 ? tr("No exception matches these filters.")
                                 : tr("There are no exceptions in %1 yet.").arg(m_session.tenantName),
                             filtersSet());
    else
        m_empty->hide();
    if (!m_selectWhenLoaded.isEmpty()) {
        const int row = m_model->rowOf(m_selectWhenLoaded);
        if (row >= 0)
            selectRow(row);
        m_selectWhenLoaded.clear();
    }
    if (!m_table->currentIndex().isValid() && rows > 0)
        selectRow(0);
    if (rows == 0 && !m_readySent) {
        m_readySent = true;
        Q_EMIT ready();
    }
}

void QueuePage::selectRow(int row) {
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void QueuePage::refreshBadge() {
    const QString tenant = m_session.tenantId;
    auto task = m_database->task([tenant](Workspace& w) {
        return ExceptionRepository(w.db()).countByStatus(tenant, ExceptionStatus::Pending);
    });
    QCoro::connect(std::move(task), this, [this](const Result<qint64>& count) {
        if (count) {
            m_badge->setText(tr("%n pending", nullptr, int(count.value())));
            m_badge->setToolTip(tr("Pending exceptions in %1").arg(m_session.tenantName));
        }
    });
}

void QueuePage::loadDetail(const QString& recordId) {
    m_detailRequested = recordId;
    const QString tenant = m_session.tenantId;
    auto task =
        m_database->task([tenant, recordId](Workspace& w) { return readDetail(w, tenant, recordId); });
    QCoro::connect(std::move(task), this, [this, recordId](const DetailData& detail) {
        if (recordId != m_detailRequested)
            return;
        if (!detail.exception) {
            m_detail->clear();
            m_detail->showMessage(detail.exception.problem().message, true);
            return;
        }
        const bool changed = m_detail->recordId() != recordId;
        // The row says what the panel says, whoever changed the exception since the row was read.
        if (const int row = m_model->rowOf(recordId);
            row >= 0 && m_model->rowAt(row)->version < detail.exception.value().version)
            m_model->applyChange(detail.exception.value());
        m_detail->showException(detail.exception.value(), detail.rule);
        m_detail->showAttachments(detail.files);
        m_detail->showAssignment(detail.assignment, detail.history, detail.pastSla, detail.slaMinutes);
        m_detail->showComments(detail.comments, detail.mentionable);
        if (changed)
            loadRisk(detail.exception.value(), detail.rule);
        if (!m_readySent) {
            m_readySent = true;
            Q_EMIT ready();
        }
    });
}

void QueuePage::loadRisk(const RiskException& exception, const std::optional<Rule>& rule) {
    m_detail->showRiskLoading();
    auto task = m_background->task(
        [exception, rule](Workspace& w) { return TargetRiskReader::read(w.db(), exception, rule); });
    QCoro::connect(std::move(task), this, [this, exception](const TargetRisk& risk) {
        if (m_detail->recordId() == exception.recordId)
            m_detail->showRisk(exception, risk);
    });
}

void QueuePage::requestReject() {
    const QString recordId = m_detail->recordId();
    if (recordId.isEmpty())
        return;
    if (m_deciding) {
        sayStillRecording();
        return;
    }
    auto* dialog = new RejectDialog(recordId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // A reason is kept until the rejection is stored: a cancelled dialog or a refused rejection loses
    // nothing.
    const QString draftKey = UnsentDrafts::key(m_session.tenantId, recordId);
    dialog->restoreDraft(m_rejectDrafts.value(draftKey));
    m_rejectDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog, draftKey] {
        if (dialog->decidedElsewhere())
            m_rejectDrafts.remove(draftKey);
        else
            m_rejectDrafts.keep(draftKey, dialog->typedText());
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog, recordId] {
        if (m_detail->recordId() == recordId)
            decide(int(DecisionAction::Reject), dialog->reason());
    });
    dialog->open();
}

void QueuePage::requestWithdraw() {
    // A withdrawal ends the request for good, so it is confirmed; Cancel is the default, so a stray Return
    // withdraws nothing.
    const QString recordId = m_detail->recordId();
    if (recordId.isEmpty())
        return;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Withdraw the request"),
                                tr("Withdraw %1? Nobody can decide it after that, and the withdrawal is kept "
                                   "in the approval log.")
                                    .arg(recordId),
                                QMessageBox::Cancel, this);
    box->setObjectName(u"withdrawConfirmation"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* withdraw = box->addButton(tr("&Withdraw"), QMessageBox::DestructiveRole);
    withdraw->setObjectName(u"confirmWithdraw"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, withdraw, recordId] {
        if (box->clickedButton() == withdraw && m_detail->recordId() == recordId)
            decide(int(DecisionAction::Withdraw), {});
    });
    box->open();
}

void QueuePage::decide(int actionValue, const QString& comment) {
    const auto& shown = m_detail->exception();
    if (!shown || m_deciding)
        return;
    m_deciding = true;
    const auto action = DecisionAction(actionValue);
    const QString tenant = m_session.tenantId, actor = m_session.userId, recordId = shown->recordId;
    m_decidingId = recordId;
    // The keyboard goes back to the queue: a button about to be turned off would hand it on down the focus
    // chain, to the tenant switcher.
    if (const QWidget* focus = QApplication::focusWidget(); focus && m_detail->isAncestorOf(focus))
        m_table->setFocus();
    m_detail->setRecording(true);
    m_decisionSlow->disconnect();
    connect(m_decisionSlow, &QTimer::timeout, this, [this, recordId] {
        if (m_deciding)
            sayWaiting(tr("Recording the decision on %1…").arg(recordId));
    });
    m_decisionSlow->start();
    const QString identity = m_session.identityMark();
    auto task = m_database->task([=](Workspace& w) {
        auto applied = DecisionService(w.db(), identity)
                           .decide(tenant, recordId, actor, action, comment, QDateTime::currentDateTimeUtc());
        // After a refusal the stored row may still have changed (an automatic rejection), so read it again.
        DetailData after = readDetail(w, tenant, recordId);
        return std::make_pair(applied, after);
    });
    QCoro::connect(
        std::move(task), this,
        [this, recordId, action](const std::pair<Result<AppliedDecision>, DetailData>& r) {
            m_deciding = false;
            m_decisionSlow->stop();
            m_detail->setRecording(false);
            forgetMatchingCount(); // the decision may have taken the row out of the filtered set
            const auto& [applied, after] = r;
            // The approver may have chosen another row while this one waited for a lock (the panel loads it
            // once the decision is done: both go through this connection): the outcome is then told on the
            // message line, naming the request, and nothing moves under them.
            const bool stillShown = m_detail->recordId() == recordId && m_detailRequested == recordId;
            if (after.exception) {
                m_model->applyChange(after.exception.value());
                // An assignee's first step of two ends their hold (DecisionService).
                m_model->applyAssignment(recordId, after.assignment.assigneeId, after.assignment.escalated);
                if (stillShown) {
                    m_detail->showException(after.exception.value(), after.rule);
                    m_detail->showAttachments(after.files);
                    m_detail->showAssignment(after.assignment, after.history, after.pastSla,
                                             after.slaMinutes);
                }
            }
            refreshBadge();
            if (!applied) {
                // Another writer's lock is named by what was asked, not by the step that waited.
                const bool busy = applied.problem().code == u"workspace_busy";
                const QString why =
                    busy ? busyProblem(actionOn(action, recordId)).message : applied.problem().message;
                if (stillShown) {
                    m_detail->showMessage(why, true);
                    if (m_feedback->text() == m_waitingText)
                        m_feedback->clear();
                } else {
                    sayProblem(busy ? why : tr("%1 was not decided: %2").arg(recordId, why));
                }
                Q_EMIT decisionStored();
                return;
            }
            const AppliedDecision& d = applied.value();
            // Any decision stored ends the reason kept for a rejection: a withdrawal or an approval too.
            m_rejectDrafts.remove(UnsentDrafts::key(m_session.tenantId, recordId));
            const QString message =
                d.finalDecision ? tr("%1 is now %2.").arg(recordId, displayName(d.exception.status).toLower())
                                : tr("Step %1 recorded; %2 now goes to %3.")
                                      .arg(d.logEntry.step)
                                      .arg(recordId, d.exception.currentApproverId.isEmpty()
                                                         ? tr("another approver")
                                                         : d.exception.currentApproverId);
            Q_EMIT decisionStored();
            say(message);
            // Keep the approver moving: a final decision moves on to the next row; a first step stays put.
            if (!stillShown)
                return;
            const int row = m_model->rowOf(recordId);
            if (d.finalDecision && row >= 0 && row + 1 < m_model->rowCount())
                selectRow(row + 1);
            else
                m_detail->showMessage(message, false);
        });
}

int QueuePage::selectedRowCount() const {
    return int(m_table->selectionModel()->selectedRows().size());
}

bool QueuePage::bulkSelected() const {
    return m_session.role == UserRole::Approver && (m_allMatching || selectedRowCount() >= 2);
}

void QueuePage::updateBulkBar() {
    const bool show = bulkSelected();
    m_bulkBar->setVisible(show);
    if (!show)
        return;
    if (m_allMatching) {
        m_bulkLabel->setText(
            tr("All %n exception(s) matching the filters are selected.", nullptr, int(m_matchingCount)));
        m_selectAllMatching->setVisible(false);
        return;
    }
    m_bulkLabel->setText(tr("%n selected.", nullptr, selectedRowCount()));
    m_selectAllMatching->setVisible(true);
    m_selectAllMatching->setEnabled(m_matchingCount >= 0);
    if (m_matchingCount < 0) {
        m_selectAllMatching->setText(tr("Select all matching"));
        countMatching();
    } else {
        m_selectAllMatching->setText(tr("Select all %n matching", nullptr, int(m_matchingCount)));
    }
}

void QueuePage::forgetMatchingCount() {
    m_matchingCount = -1;
    ++m_filterGeneration; // a count still on its way is of the old state
    m_allMatching = false;
    updateBulkBar();
}

void QueuePage::countMatching() {
    if (m_counting)
        return;
    m_counting = true;
    const QueueFilter filter = m_model->query().filter;
    const quint64 generation = m_filterGeneration;
    auto task = m_database->task([filter](Workspace& w) { return BulkDecisionPlan::count(w.db(), filter); });
    QCoro::connect(std::move(task), this, [this, generation](const Result<qint64>& count) {
        m_counting = false;
        if (generation != m_filterGeneration) { // the filters changed meanwhile: count those
            updateBulkBar();
            return;
        }
        if (!count) {
            sayProblem(count.problem().message);
            return;
        }
        m_matchingCount = count.value();
        updateBulkBar();
    });
}

void QueuePage::selectAllMatching() {
    if (m_matchingCount < 0)
        return;
    m_allMatching = true;
    m_selectingAll = true; // the loaded rows are shown selected; the decision takes the whole filtered set
    m_table->selectAll();
    m_selectingAll = false;
    updateBulkBar();
    m_table->setFocus(); // the button just hid itself; A and R go on acting on the selection
}

void QueuePage::startBulk(DecisionAction action) {
    if (m_bulkRunning || !bulkSelected())
        return;
    if (!m_session.writeRefusal.isEmpty()) {
        sayProblem(m_session.writeRefusal);
        return;
    }
    // "All matching" is resolved in SQL with the queue's own filter, never from the rows loaded in the view.
    QueueFilter filter;
    if (m_allMatching) {
        filter = m_model->query().filter;
    } else {
        filter.tenantId = m_session.tenantId;
        QStringList ids;
        for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
            if (const QueueRow* row = m_model->rowAt(index.row()))
                ids << row->recordId;
        filter.recordIds = ids;
    }
    m_bulkRunning = true;
    say(tr("Reading the selected exceptions…"));
    const BulkDecider decider{Actor{m_session.userId, m_session.role}, action,
                              QDateTime::currentDateTimeUtc()};
    auto task = m_database->task(
        [filter, decider](Workspace& w) { return BulkDecisionPlan::read(w.db(), filter, decider); });
    QCoro::connect(std::move(task), this, [this, action](const Result<BulkDecisionPlan>& plan) {
        m_bulkRunning = false;
        if (!plan) {
            sayProblem(plan.problem().message);
            return;
        }
        m_feedback->clear();
        confirmBulk(action, plan.value());
    });
}

void QueuePage::confirmBulk(DecisionAction action, const BulkDecisionPlan& plan) {
    auto* dialog = new BulkDecisionDialog(action, plan, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // One reason for a bulk rejection is kept when the dialog is cancelled, whatever the selection
    // (helper-68: Esc lost it), and counted with the other unsent text.
    const QString draftKey = UnsentDrafts::key(m_session.tenantId, u"(bulk)"_s);
    if (dialog->asksReason()) {
        dialog->restoreDraft(m_rejectDrafts.value(draftKey));
        connect(dialog, &QDialog::rejected, this,
                [this, dialog, draftKey] { m_rejectDrafts.keep(draftKey, dialog->typedText()); });
    }
    // The keyboard comes back to the queue: after Esc, an approver goes on with the keys (helper-77: with no
    // window manager to hand the focus back, Ctrl+Q and every other key went nowhere).
    connect(dialog, &QDialog::finished, this, [this] {
        activateWindow();
        m_table->setFocus(Qt::OtherFocusReason);
    });
    const QStringList ids = plan.recordIds; // what the approver confirms is exactly what is decided
    connect(dialog, &QDialog::accepted, this, [this, dialog, action, ids, draftKey] {
        if (m_bulkRunning)
            return;
        m_bulkRunning = true;
        if (action == DecisionAction::Reject) // an approval leaves a kept rejection reason alone
            m_rejectDrafts.remove(draftKey);
        runBulkBatch(action, dialog->reason(), ids, 0, std::make_shared<BulkDecisionReport>());
    });
    dialog->open();
}

void QueuePage::runBulkBatch(DecisionAction action, const QString& comment, const QStringList& recordIds,
                             qint64 offset, const std::shared_ptr<BulkDecisionReport>& report) {
    // One transaction per batch: the queue's own reads never wait behind more than one.
    constexpr qsizetype kBatch = 1000;
    const QStringList batch = recordIds.mid(offset, kBatch);
    const QString tenant = m_session.tenantId, actor = m_session.userId, identity = m_session.identityMark();
    say(tr("Deciding %1 of %2…").arg(offset + batch.size()).arg(recordIds.size()));
    auto task = m_database->task([=](Workspace& w) -> Result<BulkDecisionReport> {
        if (const auto refusal = w.writeRefusal())
            return *refusal;
        return DecisionService(w.db(), identity)
            .decideMany(tenant, batch, actor, action, comment, QDateTime::currentDateTimeUtc());
    });
    QCoro::connect(std::move(task), this, [=, this](const Result<BulkDecisionReport>& result) {
        if (!result) {
            finishBulk(*report, recordIds.size() - offset, result.problem().message);
            return;
        }
        report->append(result.value());
        if (tenant == m_session.tenantId)
            for (const RiskException& e : result.value().changed)
                m_model->applyChange(e);
        const qint64 next = offset + batch.size();
        if (next < recordIds.size())
            runBulkBatch(action, comment, recordIds, next, report);
        else
            finishBulk(*report, 0, {});
    });
}

void QueuePage::finishBulk(const BulkDecisionReport& report, qint64 notTried, const QString& failure) {
    m_bulkRunning = false;
    forgetMatchingCount();
    say(BulkOutcomeDialog::summary(report, notTried));
    refreshBadge();
    if (!report.changed.isEmpty())
        Q_EMIT decisionStored();
    if (!m_detail->recordId().isEmpty())
        loadDetail(m_detail->recordId());
    auto* dialog = new BulkOutcomeDialog(report, notTried, failure, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void QueuePage::createAssignmentActions() {
    auto action = [this](const QString& text, const QString& name, const QKeySequence& keys) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a); // the shortcut works anywhere on the page
        return a;
    };
    m_claimAction =
        action(tr("Claim (assign to me)"), u"claimAction"_s, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_assignAction =
        action(tr("Assign to…"), u"assignAction"_s, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_releaseAction =
        action(tr("Release"), u"releaseAction"_s, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    m_escalateAction = action(tr("Escalate to a lead…"), u"escalateAction"_s,
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_assignMenu = new QMenu(tr("Assign to"), this);
    m_assignMenu->setObjectName(u"assignMenu"_s);
    m_escalateMenu = new QMenu(tr("Escalate to"), this);
    m_escalateMenu->setObjectName(u"escalateMenu"_s);
    connect(m_claimAction, &QAction::triggered, this,
            [this] { changeAssignment(AssignmentAction::Claim, {}); });
    connect(m_releaseAction, &QAction::triggered, this,
            [this] { changeAssignment(AssignmentAction::Release, {}); });
    // A key whose menu would offer nothing says why instead of opening a menu of greyed names.
    connect(m_assignAction, &QAction::triggered, this, [this] {
        fillAssignmentMenus();
        if (!m_assignMenu->isEnabled()) {
            sayProblem(tr("Only pending exceptions are assigned, and only by approvers."));
            return;
        }
        popUpAtCurrentRow(m_assignMenu);
    });
    connect(m_escalateAction, &QAction::triggered, this, [this] {
        fillAssignmentMenus();
        if (!m_escalateMenu->isEnabled()) {
            sayProblem(m_escalateMenu->toolTip());
            return;
        }
        popUpAtCurrentRow(m_escalateMenu);
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, &QueuePage::showContextMenu);
}

void QueuePage::fillAssignmentMenus() {
    const QueueRow* row = m_model->rowAt(m_table->currentIndex().row());
    const bool pending =
        row && row->status == ExceptionStatus::Pending && m_session.role == UserRole::Approver;
    m_assignMenu->clear();
    m_escalateMenu->clear();
    for (const QString& approver : std::as_const(m_approvers)) {
        QAction* a = m_assignMenu->addAction(
            approver, this, [this, approver] { changeAssignment(AssignmentAction::Assign, approver); });
        a->setData(approver);
        // A routed exception goes to its routed approver only (AssignmentRules refuses anyone else).
        a->setEnabled(pending && row->assigneeId != approver && row->applicantId != approver &&
                      (row->currentApproverId.isEmpty() || row->currentApproverId == approver));
    }
    if (pending && !row->currentApproverId.isEmpty())
        m_assignMenu->addAction(tr("Routed to %1: only they can decide it").arg(row->currentApproverId))
            ->setEnabled(false);
    const bool overdue =
        pending &&
        m_model->data(m_model->index(m_table->currentIndex().row(), 0), ExceptionQueueModel::PastSlaRole)
            .toBool();
    for (const QString& lead : std::as_const(m_leads)) {
        QAction* a = m_escalateMenu->addAction(
            lead, this, [this, lead] { changeAssignment(AssignmentAction::Escalate, lead); });
        a->setData(lead);
        a->setEnabled(overdue && row->applicantId != lead &&
                      (row->currentApproverId.isEmpty() || row->currentApproverId == lead));
    }
    if (m_leads.isEmpty())
        m_escalateMenu->addAction(tr("No lead in this tenant"))->setEnabled(false);
    m_escalateMenu->setToolTip(!pending  ? tr("Only pending exceptions are escalated, and only by approvers.")
                               : overdue ? QString()
                                         : tr("Only exceptions past their SLA are escalated."));
    m_assignMenu->setEnabled(pending);
    m_escalateMenu->setEnabled(overdue);
    updateAssignmentActions();
}

void QueuePage::updateAssignmentActions() {
    if (!m_claimAction) // before installKeyboard made them
        return;
    const QueueRow* row = m_model->rowAt(m_table->currentIndex().row());
    const bool pending =
        row && row->status == ExceptionStatus::Pending && m_session.role == UserRole::Approver;
    // A routed exception is its routed approver's alone (AssignmentRules): nobody else may take it.
    m_claimAction->setEnabled(
        pending && row->assigneeId != m_session.userId &&
        (row->currentApproverId.isEmpty() || row->currentApproverId == m_session.userId));
    // Releasing is the holder's or a lead's (AssignmentRules): offered to them only.
    m_releaseAction->setEnabled(pending && !row->assigneeId.isEmpty() &&
                                (row->assigneeId == m_session.userId || m_leads.contains(m_session.userId)));
}

void QueuePage::popUpAtCurrentRow(QMenu* menu) {
    const QRect cell = m_table->visualRect(m_table->currentIndex());
    menu->popup(m_table->viewport()->mapToGlobal(cell.isValid() ? cell.bottomLeft() : QPoint()));
}

void QueuePage::showContextMenu(const QPoint& position) {
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid())
        return;
    if (index.row() != m_table->currentIndex().row())
        selectRow(index.row());
    fillAssignmentMenus();
    auto* menu = new QMenu(this);
    menu->setObjectName(u"queueContextMenu"_s);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_claimAction);
    menu->addMenu(m_assignMenu);
    menu->addAction(m_releaseAction);
    menu->addMenu(m_escalateMenu);
    menu->popup(m_table->viewport()->mapToGlobal(position));
}

void QueuePage::changeAssignment(AssignmentAction action, const QString& assigneeId) {
    const QueueRow* row = m_model->rowAt(m_table->currentIndex().row());
    if (!row || m_assigning)
        return;
    if (!m_session.writeRefusal.isEmpty()) {
        sayProblem(m_session.writeRefusal);
        return;
    }
    m_assigning = true;
    const QString tenant = m_session.tenantId, actor = m_session.userId, recordId = row->recordId;
    auto task = m_database->task([=](Workspace& w) {
        return AssignmentService(w.db()).change(tenant, recordId, actor, action, assigneeId,
                                                QDateTime::currentDateTimeUtc());
    });
    QCoro::connect(std::move(task), this, [this, recordId](const Result<AppliedAssignment>& applied) {
        m_assigning = false;
        if (!applied) {
            const QString why = applied.problem().code == u"workspace_busy"
                                    ? busyProblem(tr("Changing who is assigned %1").arg(recordId)).message
                                    : applied.problem().message;
            sayProblem(why);
            if (m_detail->recordId() == recordId)
                m_detail->showMessage(why, true);
            return;
        }
        const Assignment& a = applied.value().assignment;
        m_model->applyAssignment(recordId, a.assigneeId, a.escalated);
        say(a.assigneeId.isEmpty() ? tr("%1 is released; nobody is assigned.").arg(recordId)
            : a.escalated          ? tr("%1 is escalated to %2.").arg(recordId, a.assigneeId)
                                   : tr("%1 is assigned to %2.").arg(recordId, a.assigneeId));
        if (m_detail->recordId() == recordId)
            loadDetail(recordId);
        forgetMatchingCount();   // "assigned to me" and "unassigned" may no longer match it
        Q_EMIT decisionStored(); // the sync pushes it
    });
}

void QueuePage::say(const QString& text) {
    m_feedback->setStyleSheet(u"color: #15803d;"_s);
    m_feedback->setText(text);
}

void QueuePage::sayWaiting(const QString& text) {
    m_waitingText = text; // cleared by the outcome when it is told elsewhere
    m_feedback->setStyleSheet(QString());
    m_feedback->setText(text);
}

void QueuePage::sayProblem(const QString& text) {
    m_feedback->setStyleSheet(u"color: #b91c1c;"_s);
    m_feedback->setText(text);
}

void QueuePage::addComment(const QString& text) {
    const QString recordId = m_detail->recordId();
    if (recordId.isEmpty() || m_commenting)
        return;
    if (!m_session.writeRefusal.isEmpty()) {
        m_detail->commentThread()->showError(m_session.writeRefusal);
        return;
    }
    m_commenting = true;
    m_detail->commentThread()->setBusy(true);
    const QString tenant = m_session.tenantId, author = m_session.userId;
    auto task = m_database->task([=](Workspace& w) {
        return CommentService(w.db()).add(tenant, recordId, author, text, QDateTime::currentDateTimeUtc());
    });
    QCoro::connect(std::move(task), this, [this, recordId, text](const Result<ExceptionComment>& added) {
        m_commenting = false;
        m_detail->commentThread()->setBusy(false);
        if (m_detail->recordId() != recordId) {
            // Another exception is shown now. A stored comment's draft goes; a refused one stays as the
            // draft of its exception, and the refusal is said here, since its own panel is gone.
            if (added)
                m_detail->forgetCommentDraft(recordId, text);
            else if (added.problem().code == u"workspace_busy")
                sayProblem(
                    tr("%1 It is kept as a draft on %2.")
                        .arg(busyProblem(tr("Saving your comment on %1").arg(recordId)).message, recordId));
            else
                sayProblem(tr("Your comment on %1 was not saved: %2 It is kept as a draft there.")
                               .arg(recordId, added.problem().message));
            return;
        }
        if (!added) {
            m_detail->commentThread()->showError(added.problem().code == u"workspace_busy"
                                                     ? busyProblem(tr("Saving your comment")).message
                                                     : added.problem().message);
            return;
        }
        m_detail->commentThread()->clearInput();
        loadDetail(recordId);
        Q_EMIT decisionStored(); // the sync pushes it
    });
}

} // namespace riskdesk
