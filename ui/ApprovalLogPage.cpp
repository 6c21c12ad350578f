#include "ApprovalLogPage.h"

#include "DateField.h"
#include "EmptyResultsOverlay.h"
#include "SaveFileDialog.h"
#include "domain/IdentityMark.h"
#include "domain/Sentences.h"
#include "domain/SystemComment.h"
#include "item/ApprovalLogModel.h"
#include "settings/AppSettings.h"
#include "store/ChainCheckLog.h"
#include "store/ChainHeadMemory.h"
#include "store/DatabaseThread.h"
#include "store/DirectoryRepository.h"
#include "store/OverwriteGuard.h"
#include "store/ReadSnapshot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QTableView>
#include <QTime>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// A chain's verdict on its label: intact (message, head) in green, broken (first bad entry, why) in red.
// The verdict with the time it was reached: a check that ends as it began ("intact") looked as if the button
// had done nothing (helper-80).
void showVerdict(QLabel* label, const ChainVerification& v, const QString& intact, const QString& broken) {
    const QString checked =
        ApprovalLogPage::tr("Checked at %1.").arg(QTime::currentTime().toString(u"HH:mm:ss"_s));
    if (v.intact) {
        label->setText(Sentences::append(
            intact.arg(v.message).arg(v.head.seq).arg(QString::fromLatin1(v.head.hash.left(16))), checked));
        label->setStyleSheet(u"color: #15803d;"_s);
    } else {
        label->setText(Sentences::append(broken.arg(v.firstBrokenSeq).arg(v.message), checked));
        label->setStyleSheet(u"color: #b91c1c; font-weight: bold;"_s);
    }
}

} // namespace

ApprovalLogPage::ApprovalLogPage(DatabaseThread* database, DatabaseThread* background, QWidget* parent)
    : QWidget(parent), m_database(database), m_background(background),
      m_model(new ApprovalLogModel(database, this)) {
    setObjectName(u"approvalLogPage"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);

    auto* filters = new QHBoxLayout;
    m_source = new QComboBox;
    m_source->setObjectName(u"logSource"_s);
    m_source->setAccessibleName(tr("Which log"));
    m_source->addItem(tr("This desktop's log"), int(LogSource::Workspace));
    m_source->addItem(tr("Server's log (as of the last sync)"), int(LogSource::ServerCopy));
    m_source->setToolTip(tr("This desktop's log holds the decisions made here. The server's log holds every "
                            "desktop's decisions, in the server's own chain, copied at each sync."));
    m_source->hide();
    m_tenant = new QComboBox;
    m_tenant->setObjectName(u"logTenantFilter"_s);
    m_tenant->setAccessibleName(tr("Tenant"));
    m_actor = new QLineEdit;
    m_actor->setObjectName(u"logActorFilter"_s);
    m_actor->setPlaceholderText(tr("Approver name or id"));
    m_actor->setToolTip(tr("Any part of an approver's name or user id, e.g. \"li\" finds li.wei"));
    m_actor->setAccessibleName(tr("Approver filter"));
    m_actor->setClearButtonEnabled(true);
    m_action = new QComboBox;
    m_action->setObjectName(u"logActionFilter"_s);
    m_action->setAccessibleName(tr("Action filter"));
    m_action->addItem(tr("All actions"));
    for (const QString& a : ApprovalLogModel::actions())
        m_action->addItem(ApprovalLogModel::actionLabel(a), a);
    m_useFrom = new QCheckBox(tr("From"));
    m_useFrom->setObjectName(u"logUseFrom"_s);
    // The log's own dates are ISO; a locale's short form ("11/5/26") reads as day or month by country.
    m_from = new DateField(u"yyyy-MM-dd"_s);
    m_from->setDate(QDate::currentDate().addMonths(-1));
    m_from->setObjectName(u"logFrom"_s);
    m_from->setEnabled(false);
    m_useTo = new QCheckBox(tr("To"));
    m_useTo->setObjectName(u"logUseTo"_s);
    m_to = new DateField(u"yyyy-MM-dd"_s);
    m_to->setDate(QDate::currentDate());
    m_to->setObjectName(u"logTo"_s);
    m_to->setEnabled(false);
    filters->addWidget(m_source);
    filters->addWidget(m_tenant);
    filters->addWidget(m_actor, 1);
    filters->addWidget(m_action);
    filters->addWidget(m_useFrom);
    filters->addWidget(m_from);
    filters->addWidget(m_useTo);
    filters->addWidget(m_to);
    layout->addLayout(filters);

    auto* chain = new QHBoxLayout;
    m_verification = new QLabel;
    m_verification->setObjectName(u"chainVerification"_s);
    m_verification->setWordWrap(true);
    m_verify = new QPushButton(tr("&Verify chain"));
    m_verify->setObjectName(u"verifyButton"_s);
    m_export = new QPushButton(tr("&Export CSV…"));
    m_export->setObjectName(u"exportButton"_s);
    chain->addWidget(m_verification, 1);
    chain->addWidget(m_verify);
    chain->addWidget(m_export);
    layout->addLayout(chain);
    // The server's copy of the log, hash-chained by the server itself: a rewrite of this desktop's file
    // cannot reach it, and a head remembered here shows when the server's chain was rewritten or cut.
    auto* server = new QHBoxLayout;
    m_serverVerification = new QLabel;
    m_serverVerification->setObjectName(u"serverChainVerification"_s);
    m_serverVerification->setWordWrap(true);
    m_verifyServer = new QPushButton(tr("Verify on &server"));
    m_verifyServer->setObjectName(u"verifyServerButton"_s);
    server->addWidget(m_serverVerification, 1);
    server->addWidget(m_verifyServer);
    layout->addLayout(server);
    m_serverVerification->hide();
    m_verifyServer->hide();

    m_table = new QTableView;
    m_table->setObjectName(u"logTable"_s);
    m_table->setAccessibleName(tr("Approval log"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move between rows
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    // The comment takes the room; the time is as wide as a time with seconds.
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    const QFontMetrics text = m_table->fontMetrics();
    const int ch = text.averageCharWidth();
    const QList<int> widths{
        7 * ch,
        0,
        text.horizontalAdvance(u"exc-0123456789ab"_s) + 16,
        std::max(16 * ch, text.horizontalAdvance(SystemComment::actorName(SystemComment::actorId())) + 16),
        std::min(32 * ch,
                 text.horizontalAdvance(IdentityMark::label(IdentityMark::assertedOnDesktop())) + 16),
        16 * ch,
        6 * ch,
        12 * ch,
        0,
        text.horizontalAdvance(u"0123456789ab…"_s) + 16};
    // Never narrower than the column's title, nor the action column than its longest action, in either
    // language (helper-68: "tatus afte", "Rejected aut…" in English).
    const QFontMetrics titles = header->fontMetrics();
    int actionWidth = 0;
    for (const QString& a : ApprovalLogModel::actions())
        actionWidth = std::max(actionWidth, text.horizontalAdvance(ApprovalLogModel::actionLabel(a)) + 16);
    for (int c = 0; c < widths.size(); ++c) {
        if (widths.at(c) <= 0)
            continue;
        const QString title = m_model->headerData(c, Qt::Horizontal).toString();
        int width = std::max(widths.at(c), titles.horizontalAdvance(title) + 28); // room for the sort arrow
        if (c == int(ApprovalLogModel::Column::Action))
            width = std::max(width, actionWidth);
        m_table->setColumnWidth(c, width);
    }
    m_table->setColumnWidth(int(ApprovalLogModel::Column::At),
                            text.horizontalAdvance(ApprovalLogModel::timeText(QDateTime::currentDateTime())) +
                                24);
    // The comment keeps a readable width and takes what the window has beyond the other columns; the
    // identity mark (the same on most rows) comes after it. At 1024 px the comment was a stretched column
    // squeezed to its first letter, the identity column taking the room.
    const int comment = int(ApprovalLogModel::Column::Comment);
    header->moveSection(header->visualIndex(int(ApprovalLogModel::Column::Identity)),
                        header->visualIndex(comment));
    m_commentMinimum = 30 * ch;
    m_identityWidest = m_table->columnWidth(int(ApprovalLogModel::Column::Identity));
    m_table->viewport()->installEventFilter(this);
    connect(header, &QHeaderView::sectionResized, this, [this, comment](int section) {
        if (section != comment)
            fitCommentColumn();
    });
    m_table->setToolTip(tr("Enter or double-click opens the entry's exception in the review queue"));
    layout->addWidget(m_table, 1);
    m_empty = new EmptyResultsOverlay(m_table);
    connect(m_empty, &EmptyResultsOverlay::clearFiltersRequested, this, &ApprovalLogPage::clearFilters);
    auto* footer = new QHBoxLayout;
    m_count = new QLabel;
    m_count->setObjectName(u"logMatchCount"_s);
    m_exportResult = new QLabel;
    m_exportResult->setObjectName(u"exportResult"_s);
    // A long outcome (a broken chain's warning names the entry and why) wraps: unwrapped, it widened the
    // window past the screen (helper-87).
    m_exportResult->setWordWrap(true);
    m_exportResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    footer->addWidget(m_count);
    footer->addSpacing(16);
    footer->addWidget(m_exportResult, 1);
    layout->addLayout(footer);
    m_typingDelay = new QTimer(this);
    m_typingDelay->setSingleShot(true);
    m_typingDelay->setInterval(300); // the filter follows the typing, one query per pause
    connect(m_typingDelay, &QTimer::timeout, this, &ApprovalLogPage::applyFilters);
    connect(m_actor, &QLineEdit::textEdited, m_typingDelay, qOverload<>(&QTimer::start));
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        if (const ApprovalLogEntry* e = m_model->entryAt(index.row()))
            Q_EMIT openExceptionRequested(e->tenantId, e->recordId);
    });
    connect(m_model, &ApprovalLogModel::pageLoaded, this, [this](int rows) {
        if (rows == 0)
            m_empty->showMessage(filtersSet()
                                     ? tr("No entry matches these filters.")
                                     : tr("The approval log of %1 has no entries yet.").arg(currentTenant()),
                                 filtersSet());
        else
            m_empty->hide();
        selectKeptEntry();
    });
    // Measured as rows arrive, each once: a page scrolled into view measures its own rows, not all before it.
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { fitIdentityColumn(first, last); });

    for (QComboBox* box : {m_tenant, m_source})
        connect(box, &QComboBox::activated, this, [this] {
            loadNames();
            verifyChain();
        });
    connect(m_actor, &QLineEdit::editingFinished, this, [this] {
        if (m_typingDelay->isActive() || m_actor->text().trimmed() != m_model->filter().approver) {
            m_typingDelay->stop();
            applyFilters();
        }
    });
    connect(m_action, &QComboBox::activated, this, &ApprovalLogPage::applyFilters);
    for (auto [box, edit] : {std::pair{m_useFrom, m_from}, std::pair{m_useTo, m_to}}) {
        connect(box, &QCheckBox::toggled, edit, &QWidget::setEnabled);
        connect(box, &QCheckBox::toggled, this, &ApprovalLogPage::applyFilters);
        // A day typed applies on Enter, one stepped or picked once the user pauses: on each change, half a
        // typed date ("2025" over 2026-12-07) queried a year of nothing and cleared the export's outcome
        // (helper-87). A field left as it was queries nothing.
        connect(edit, &DateField::committed, this, [this] {
            const LogFilter shown = m_model->filter();
            const LogFilter chosen = chosenFilter();
            if (chosen.from != shown.from || chosen.to != shown.to)
                applyFilters();
        });
    }
    connect(m_verify, &QPushButton::clicked, this, &ApprovalLogPage::verifyChain);
    connect(m_verifyServer, &QPushButton::clicked, this, &ApprovalLogPage::verifyOnServer);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
                                  (currentSource() == LogSource::ServerCopy ? u"/server-approval-log-%1.csv"_s
                                                                            : u"/approval-log-%1.csv"_s)
                                      .arg(currentTenant());
        const QString path = SaveFileDialog::ask(this, tr("Export approval log"), suggested,
                                                 tr("CSV files (*.csv)"), u"csv"_s);
        if (!path.isEmpty())
            exportTo(path);
    });
    connect(m_model, &ApprovalLogModel::loadFailed, this, [this](const QString& message) {
        m_exportResult->setText(tr("Could not read the log: %1").arg(message));
    });
}

LogSource ApprovalLogPage::currentSource() const {
    return LogSource(m_source->currentData().toInt());
}

QString ApprovalLogPage::currentTenant() const {
    const QString chosen = m_tenant->currentData().toString();
    return chosen.isEmpty() ? m_session.tenantId : chosen;
}

void ApprovalLogPage::setSession(const Session& session, const QList<User>& memberships,
                                 const QList<Tenant>& tenants) {
    m_session = session;
    m_tenant->clear();
    // An auditor may read the log of every tenant they belong to, and only those.
    for (const User& m : memberships) {
        QString name = m.tenantId;
        for (const Tenant& t : tenants)
            if (t.tenantId == m.tenantId)
                name = t.name;
        m_tenant->addItem(name, m.tenantId);
        if (m.tenantId == session.tenantId)
            m_tenant->setCurrentIndex(m_tenant->count() - 1);
    }
    m_verifiedTenant.clear();
    m_verification->setText(tr("The chain is verified when you open this page, or with Verify chain."));
    m_verification->setStyleSheet({});
    loadNames();
    if (isVisible())
        verifyChain();
    else
        applyFilters();
}

void ApprovalLogPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    // Decisions made in the queue since the page was last on screen are in the log now: show the log as it
    // is, and verify that one.
    if (!m_session.tenantId.isEmpty())
        refresh();
}

bool ApprovalLogPage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        fitCommentColumn();
    return QWidget::eventFilter(watched, event);
}

void ApprovalLogPage::fitIdentityColumn(int first, int last) {
    // As wide as the marks the loaded entries carry, within the widest a mark may take: entries recorded
    // before marks existed, or synced ones, carry none, and a column the width of "identity asserted on this
    // desktop" over blanks cut every English comment short (helper-97). The comment takes what is freed.
    // A first page starts from the title's width; later pages only widen what earlier ones needed.
    const int identity = int(ApprovalLogModel::Column::Identity);
    const QFontMetrics text = m_table->fontMetrics();
    int width = first > 0 ? m_table->columnWidth(identity)
                          : m_table->horizontalHeader()->fontMetrics().horizontalAdvance(
                                m_model->headerData(identity, Qt::Horizontal).toString()) +
                                28;
    for (int r = first; r <= last; ++r)
        width = std::max(width, text.horizontalAdvance(m_model->index(r, identity).data().toString()) + 16);
    width = std::min(width, m_identityWidest);
    if (m_table->columnWidth(identity) != width)
        m_table->setColumnWidth(identity, width);
}

void ApprovalLogPage::fitCommentColumn() {
    QHeaderView* header = m_table->horizontalHeader();
    const int comment = int(ApprovalLogModel::Column::Comment);
    int others = 0;
    for (int c = 0; c < header->count(); ++c)
        if (c != comment && !header->isSectionHidden(c))
            others += header->sectionSize(c);
    const int width = std::max(m_commentMinimum, m_table->viewport()->width() - others);
    if (header->sectionSize(comment) != width)
        header->resizeSection(comment, width);
}

void ApprovalLogPage::refresh() {
    // The entry the reader was on stays chosen and in view: coming back from its exception started the log
    // over at the top (helper-97).
    if (const ApprovalLogEntry* e = m_model->entryAt(m_table->currentIndex().row()))
        m_keepSeq = e->seq;
    verifyChain(); // reads the table again too
}

void ApprovalLogPage::selectKeptEntry() {
    const qint64 seq = std::exchange(m_keepSeq, 0);
    for (int r = 0; seq > 0 && r < m_model->rowCount(); ++r)
        if (m_model->entryAt(r)->seq == seq) {
            const QModelIndex index = m_model->index(r, 0);
            m_table->setCurrentIndex(index);
            m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
            return;
        }
}

void ApprovalLogPage::loadNames() {
    const QString tenant = currentTenant();
    auto task =
        m_database->task([tenant](Workspace& w) { return DirectoryRepository(w.db()).users(tenant); });
    QCoro::connect(std::move(task), this, [this, tenant](const Result<QList<User>>& users) {
        if (!users || tenant != currentTenant())
            return; // without names the ids show, as stored
        QHash<QString, QString> names;
        for (const User& u : users.value())
            names.insert(u.userId, u.displayName);
        m_model->setNames(names);
    });
}

bool ApprovalLogPage::filtersSet() const {
    return !m_actor->text().trimmed().isEmpty() || m_action->currentIndex() > 0 || m_useFrom->isChecked() ||
           m_useTo->isChecked();
}

void ApprovalLogPage::clearFilters() {
    m_typingDelay->stop();
    m_actor->clear();
    m_action->setCurrentIndex(0);
    for (QCheckBox* box : {m_useFrom, m_useTo}) {
        const QSignalBlocker quiet(box); // one query for all of them
        box->setChecked(false);
    }
    m_from->setEnabled(false);
    m_to->setEnabled(false);
    applyFilters();
}

void ApprovalLogPage::countMatches() {
    const LogFilter filter = m_model->filter();
    m_count->setText(tr("Counting…"));
    m_count->setStyleSheet({});
    auto task =
        m_database->task([filter](Workspace& w) { return ApprovalLogRepository(w.db()).count(filter); });
    QCoro::connect(std::move(task), this, [this, filter](const Result<qint64>& count) {
        if (m_model->filter().tenantId != filter.tenantId || m_model->filter().approver != filter.approver ||
            m_model->filter().action != filter.action || m_model->filter().from != filter.from ||
            m_model->filter().to != filter.to || m_model->filter().source != filter.source)
            return; // the filters changed meanwhile; their own count follows
        m_count->setText(count ? tr("%n matching entr(y/ies)", nullptr, int(count.value()))
                               : count.problem().message);
        setExportable(!count || count.value() > 0);
    });
}

// A file of no entries is of no use: the verifier refuses it as holding nothing to verify, yet the export
// said it was written (helper-82). The button says why it is off.
void ApprovalLogPage::setExportable(bool exportable) {
    m_export->setEnabled(exportable);
    m_export->setToolTip(exportable ? QString()
                                    : tr("No entry matches these filters, so there is nothing to export."));
}

LogFilter ApprovalLogPage::chosenFilter() const {
    LogFilter filter;
    filter.source = currentSource();
    filter.tenantId = currentTenant();
    filter.approver = m_actor->text().trimmed();
    filter.action = m_action->currentData().toString();
    if (m_useFrom->isChecked())
        filter.from = m_from->date().startOfDay(QTimeZone::systemTimeZone()).toUTC();
    if (m_useTo->isChecked())
        filter.to = m_to->date().addDays(1).startOfDay(QTimeZone::systemTimeZone()).toUTC();
    return filter;
}

void ApprovalLogPage::applyFilters() {
    const LogFilter filter = chosenFilter();
    m_empty->hide();
    m_exportResult->clear(); // an earlier export's outcome is not about these filters
    setExportable(true);
    m_model->setFilter(filter);
    // Dates the wrong way round match nothing: say so instead of showing an empty log (helper-68).
    if (filter.from.isValid() && filter.to.isValid() && filter.from >= filter.to) {
        m_count->setText(tr("From %1 is after To %2, so no entry can match: change one of the dates.")
                             .arg(m_from->date().toString(Qt::ISODate), m_to->date().toString(Qt::ISODate)));
        m_count->setStyleSheet(u"color: #b91c1c;"_s);
        setExportable(false);
        return;
    }
    countMatches();
}

void ApprovalLogPage::verifyChain() {
    const QString tenant = currentTenant();
    m_verifiedTenant = tenant;
    m_verification->setText(tr("Verifying the approval log of %1…").arg(tenant));
    m_verification->setStyleSheet({});
    m_verify->setEnabled(false);
    applyFilters(); // the table shows the log that is verified
    verifyOnServer();
    struct Outcome {
        QString workspaceId;
        Result<ChainVerification> verification;
    };
    // The head this desktop remembers belongs to the workspace's identity, read on the database thread. The
    // copy of the server's log is checked for consistency here; the server's own chain, with its remembered
    // head, by Verify on server.
    const LogSource source = currentSource();
    auto task = m_background->task([tenant, source](Workspace& w) {
        const QString id = source == LogSource::ServerCopy ? QString() : w.workspaceId();
        auto verified = source == LogSource::ServerCopy
                            ? ApprovalLogRepository(w.db(), source).verify(tenant)
                            : ApprovalLogRepository(w.db()).verify(
                                  tenant, ChainHeadMemory::recall(w.settings(), id, tenant));
        // For the risk-operations board's Q21. A workspace that cannot be written still shows the result
        // here.
        if (verified)
            (void)ChainCheckLog::record(w.db(), tenant, source, verified.value(),
                                        QDateTime::currentMSecsSinceEpoch());
        return Outcome{id, std::move(verified)};
    });
    QCoro::connect(std::move(task), this, [this, tenant](const Outcome& outcome) {
        m_verify->setEnabled(true);
        const Result<ChainVerification>& result = outcome.verification;
        if (!result) {
            m_verification->setText(result.problem().message);
            m_verification->setStyleSheet(u"color: #b91c1c; font-weight: bold;"_s);
            Q_EMIT verified(false);
            return;
        }
        const ChainVerification& v = result.value();
        if (v.intact && !outcome.workspaceId.isEmpty())
            ChainHeadMemory::remember(m_background->settings(), outcome.workspaceId, tenant, v);
        showVerdict(m_verification, v, tr("✔ Chain intact. %1 Head: entry %2, %3…"),
                    tr("✘ Chain BROKEN at entry %1. %2"));
        Q_EMIT verified(v.intact);
    });
}

void ApprovalLogPage::setServerAvailable(bool available) {
    m_serverAvailable = available;
    m_source->setVisible(available);
    if (!available && currentSource() != LogSource::Workspace) {
        m_source->setCurrentIndex(0);
        applyFilters();
    }
    m_serverVerification->setVisible(available);
    m_verifyServer->setVisible(available);
    m_serverVerification->setText(
        available ? tr("The server's chain is verified with this desktop's, or with Verify on server.")
                  : QString());
    m_serverVerification->setStyleSheet({});
    m_verifyServer->setEnabled(true);
    // The page may already be on screen (an auditor starts here): verify now rather than on the next visit.
    if (available && isVisible())
        verifyOnServer();
}

void ApprovalLogPage::verifyOnServer() {
    if (!m_serverAvailable || m_session.tenantId.isEmpty())
        return;
    const QString tenant = currentTenant();
    m_serverVerification->setText(tr("Verifying the server's approval log of %1…").arg(tenant));
    m_serverVerification->setStyleSheet({});
    m_verifyServer->setEnabled(false);
    Q_EMIT serverVerificationRequested(tenant);
}

void ApprovalLogPage::showServerVerification(const ServerLogCheck& check) {
    if (check.tenantId != currentTenant())
        return; // an answer for a tenant no longer shown
    m_verifyServer->setEnabled(true);
    if (!check.reached) {
        m_serverVerification->setText(tr("Server: %1").arg(check.problem));
        m_serverVerification->setStyleSheet(u"color: #b45309;"_s);
        return;
    }
    showVerdict(m_serverVerification, check.verification, tr("✔ Server chain intact. %1 Head: entry %2, %3…"),
                tr("✘ Server chain BROKEN at entry %1. %2"));
}

void ApprovalLogPage::exportTo(const QString& path) {
    LogFilter filter = m_model->filter();
    m_exportResult->setText(tr("Exporting to %1…").arg(path));
    struct Outcome {
        Status written = success();
        std::optional<ChainVerification> broken; // the chain the file comes from, when it no longer holds
        QString unchecked;                       // why that chain could not be checked, the file written
    };
    auto task = m_background->task([filter, path](Workspace& w) -> Outcome {
        if (Status s = OverwriteGuard::check(path); !s)
            return {s, {}, {}};
        // Evidence taken from a log that no longer holds says so, as log export on the command line does
        // (helper-86: the window said only "Exported"). The file is written, as it is stored, but not marked
        // as the whole log (helper-92). The check and the export read one snapshot, so the verdict is about
        // the entries the file holds.
        ReadSnapshot snapshot(w.db());
        if (!snapshot.begun())
            return {snapshot.begun(), {}, {}};
        auto verified = filter.source == LogSource::ServerCopy
                            ? ApprovalLogRepository(w.db(), filter.source).verify(filter.tenantId)
                            : ApprovalLogRepository(w.db()).verify(
                                  filter.tenantId,
                                  ChainHeadMemory::recall(w.settings(), w.workspaceId(), filter.tenantId));
        const bool intact = verified && verified.value().intact;
        QSaveFile file(path); // all or nothing: a failed export never leaves half a file
        if (!file.open(QIODevice::WriteOnly))
            return {Problem{u"write_failed"_s,
                            ApprovalLogPage::tr("Cannot write %1: %2").arg(path, file.errorString()),
                            {}},
                    {},
                    {}};
        if (Status s = ApprovalLogRepository(w.db(), filter.source).exportCsv(filter, &file, intact); !s)
            return {s, {}, {}};
        if (!file.commit())
            return {Problem{u"write_failed"_s,
                            ApprovalLogPage::tr("Cannot write %1: %2").arg(path, file.errorString()),
                            {}},
                    {},
                    {}};
        if (!verified)
            return {success(), {}, verified.problem().message};
        if (!intact)
            return {success(), verified.value(), {}};
        return {};
    });
    QCoro::connect(std::move(task), this, [this, path, tenant = filter.tenantId](const Outcome& outcome) {
        const Status& s = outcome.written;
        QString message = s ? tr("Exported to %1.").arg(path) : s.problem().message;
        if (outcome.broken)
            message =
                tr("Exported to %1, but the approval log of %2 is broken at entry %3: %4 The file holds "
                   "the entries as they are stored and is not marked as the whole log; Verify chain shows "
                   "the "
                   "details.")
                    .arg(path, tenant, QString::number(outcome.broken->firstBrokenSeq),
                         outcome.broken->message); // at once: a "%1" in the path is not read as a marker
        else if (!outcome.unchecked.isEmpty())
            message = tr("Exported to %1, but the approval log it comes from could not be checked: %2")
                          .arg(path, outcome.unchecked);
        m_exportResult->setText(message);
        m_exportResult->setStyleSheet(!s || outcome.broken           ? u"color: #b91c1c;"_s
                                      : !outcome.unchecked.isEmpty() ? u"color: #b45309;"_s
                                                                     : u"color: #15803d;"_s);
        Q_EMIT exported(s.ok(), message);
    });
}

} // namespace riskdesk
