#include "BoardsPage.h"

#include "BoardChartView.h"
#include "BoardFilterBar.h"
#include "BoardKpiCard.h"
#include "BoardSectionView.h"
#include "SaveFileDialog.h"
#include "boards/BoardChartCatalog.h"
#include "boards/BoardExportName.h"
#include "boards/BoardExportSet.h"
#include "boards/BoardExportWriter.h"
#include "boards/CoachBoard.h"
#include "boards/CustomerDimensions.h"
#include "boards/TrendColors.h"
#include "settings/AppSettings.h"
#include "store/DatabaseThread.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSplitter>
#include <QStandardPaths>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
constexpr int kCardsPerRow = 4;
// The work one turn of the event loop spends putting a result on screen before it lets the loop run (layout,
// paint, input): with the paint that follows, a turn stays under a frame (16 ms).
constexpr qint64 kBuildTurnNs = 6'000'000;
} // namespace

BoardsPage::BoardsPage(DatabaseThread* database, QWidget* parent)
    : QWidget(parent), m_database(database), m_buildTurnNs(kBuildTurnNs) {
    setObjectName(u"boardsPage"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 6);
    layout->setSpacing(6);

    auto* top = new QHBoxLayout;
    auto* boardLabel = new QLabel(tr("Board:"));
    m_boardChooser = new QComboBox;
    m_boardChooser->setObjectName(u"boardChooser"_s);
    m_boardChooser->setAccessibleName(tr("Board"));
    // Filled after the page is first shown: the width follows the names, never cut ("Finance b…").
    m_boardChooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    boardLabel->setBuddy(m_boardChooser);
    m_siteLabel = new QLabel(tr("Site:"));
    m_siteSelector = new QComboBox;
    m_siteSelector->setObjectName(u"siteSelector"_s);
    m_siteSelector->setAccessibleName(tr("Site"));
    m_siteSelector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_siteLabel->setBuddy(m_siteSelector);
    m_refresh = new QPushButton(tr("Refresh"));
    m_refresh->setObjectName(u"boardRefresh"_s);
    m_refresh->setToolTip(tr("Compute the board again, past the cache (F5)"));
    m_loadingLabel = new QLabel(tr("Loading…"));
    m_loadingLabel->setObjectName(u"loadingIndicator"_s);
    m_loadingLabel->setStyleSheet(u"color: #1d4ed8; font-weight: bold;"_s);
    m_loadingLabel->setVisible(false);
    top->addWidget(boardLabel);
    top->addWidget(m_boardChooser);
    top->addSpacing(12);
    top->addWidget(m_siteLabel);
    top->addWidget(m_siteSelector);
    top->addSpacing(12);
    top->addWidget(m_loadingLabel);
    top->addStretch(1);
    m_exportStatus = new QLabel;
    m_exportStatus->setObjectName(u"boardExportStatus"_s);
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_exportStatus);
    m_export = new QToolButton;
    m_export->setObjectName(u"boardExport"_s);
    m_export->setText(tr("Export"));
    m_export->setToolTip(
        tr("Export a section as CSV, or the whole board as Excel (every section and tab, every row) or PDF "
           "(each section's first 200 rows)"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    m_export->setMenu(new QMenu(m_export));
    connect(m_export->menu(), &QMenu::aboutToShow, this, &BoardsPage::fillExportMenu);
    top->addWidget(m_export);
    top->addWidget(m_refresh);
    layout->addLayout(top);

    m_filters = new BoardFilterBar;
    m_filters->setClock([this] { return QDateTime::fromMSecsSinceEpoch(nowMs(), QTimeZone::utc()); });
    layout->addWidget(m_filters);

    auto* freshnessRow = new QHBoxLayout;
    m_freshness = new QLabel;
    m_freshness->setObjectName(u"freshness"_s);
    m_freshness->setStyleSheet(u"color: #475569;"_s);
    m_badges = new QLabel;
    m_badges->setObjectName(u"boardBadges"_s);
    m_badges->setWordWrap(true);
    freshnessRow->addWidget(m_freshness);
    freshnessRow->addSpacing(12);
    freshnessRow->addWidget(m_badges, 1);
    layout->addLayout(freshnessRow);

    m_offlineBanner = new QLabel;
    m_offlineBanner->setObjectName(u"boardOfflineBanner"_s);
    m_offlineBanner->setWordWrap(true);
    m_offlineBanner->setStyleSheet(u"background: #e5e7eb; color: #374151; padding: 4px 8px;"_s);
    m_offlineBanner->setVisible(false);
    layout->addWidget(m_offlineBanner);

    m_error = new QFrame;
    m_error->setObjectName(u"boardError"_s);
    m_error->setStyleSheet(u"#boardError { background: #fee2e2; color: #7f1d1d; }"_s);
    auto* errorRow = new QHBoxLayout(m_error);
    m_errorText = new QLabel;
    m_errorText->setObjectName(u"boardErrorText"_s);
    m_errorText->setWordWrap(true);
    m_errorRetry = new QPushButton(tr("Retry"));
    m_errorRetry->setObjectName(u"boardErrorRetry"_s);
    errorRow->addWidget(m_errorText, 1);
    errorRow->addWidget(m_errorRetry);
    m_error->setVisible(false);
    layout->addWidget(m_error);

    m_content = new QWidget;
    m_content->setObjectName(u"boardContent"_s);
    // Top-aligned: when a board grows below (a section shown at a later turn), only what is newly there is
    // painted, not the whole visible page again.
    m_content->setAttribute(Qt::WA_StaticContents);
    m_contentLayout = new QVBoxLayout(m_content);
    m_contentLayout->setContentsMargins(0, 0, 8, 0);
    m_contentLayout->addStretch(1); // each board's pane goes above it
    m_buildTimer = new QTimer(this);
    m_buildTimer->setSingleShot(true);
    m_buildTimer->setInterval(0);
    connect(m_buildTimer, &QTimer::timeout, this, &BoardsPage::buildStep);
    m_scroll = new QScrollArea;
    m_scroll->setObjectName(u"boardScroll"_s);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_content);

    m_drillArea = new QWidget;
    m_drillArea->setObjectName(u"drillArea"_s);
    auto* drill = new QVBoxLayout(m_drillArea);
    drill->setContentsMargins(0, 0, 0, 0);
    m_drillArea->setVisible(false);
    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(u"boardSplitter"_s);
    m_splitter->addWidget(m_scroll);
    m_splitter->addWidget(m_drillArea);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    layout->addWidget(m_splitter, 1);

    connect(m_boardChooser, &QComboBox::activated, this, &BoardsPage::boardChosen);
    connect(m_siteSelector, &QComboBox::activated, this, &BoardsPage::siteChosen);
    connect(m_filters, &BoardFilterBar::changed, this, &BoardsPage::filtersChanged);
    connect(m_refresh, &QPushButton::clicked, this, &BoardsPage::refresh);
    connect(m_errorRetry, &QPushButton::clicked, this, &BoardsPage::refresh);
}

QString BoardsPage::boardTitle(BoardKind board) {
    switch (board) {
    case BoardKind::Skills:
        return tr("Skill types");
    case BoardKind::Coach:
        return tr("Coach board");
    case BoardKind::Customer:
        return tr("Customer board");
    case BoardKind::Finance:
        return tr("Finance board");
    case BoardKind::RiskOps:
        return tr("Risk-operations board");
    }
    return {};
}

qint64 BoardsPage::nowMs() const {
    return (m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch();
}

QDate BoardsPage::today() const {
    if (m_board != BoardKind::RiskOps && m_access)
        return m_access->today.value(m_siteSelector->currentData().toString());
    return QDateTime::fromMSecsSinceEpoch(nowMs(), QTimeZone::utc()).date();
}

void BoardsPage::setSession(const Session& session) {
    m_session = session;
    m_access.reset();
    // Nothing of the previous user stays on screen, and an answer still on its way for them is dropped.
    ++m_generation;
    clearBoard(true);
    clearExportStatus();
    m_boardChooser->clear();
    m_siteSelector->clear();
    setLoading(true);
    const quint64 generation = m_generation;
    const QString tenant = session.tenantId, user = session.userId;
    const qint64 now = nowMs();
    auto task = m_database->task(
        [tenant, user, now](Workspace& w) { return BoardLoad::access(w.db(), tenant, user, now); });
    QCoro::connect(std::move(task), this, [this, generation](const Result<BoardAccess>& access) {
        if (generation != m_generation) {
            ++m_staleDropped;
            return;
        }
        setLoading(false);
        if (!access) {
            showError(access.problem().message, false); // signing in again reads it again
            Q_EMIT loadFinished();
            return;
        }
        applyAccess(access.value());
    });
}

void BoardsPage::applyAccess(const BoardAccess& access) {
    m_access = access;
    m_restoring = true;
    m_filters->setChoices(access.rules, access.approvers, access.reasonCategories);
    m_boardChooser->clear();
    for (BoardKind b : access.boards)
        m_boardChooser->addItem(boardTitle(b), int(b));
    m_siteSelector->clear();
    for (const QString& site : access.sites)
        m_siteSelector->addItem(site, site);
    m_restoring = false;
    if (access.boards.isEmpty()) {
        showError(tr("Your role opens no boards. Finance users read every board; approvers and auditors read "
                     "the risk-operations board."),
                  false);
        Q_EMIT loadFinished();
        return;
    }
    const int saved = m_database->settings().chosenBoard(m_session.tenantId, m_session.userId);
    int index = m_boardChooser->findData(saved);
    m_boardChooser->setCurrentIndex(index >= 0 ? index : 0);
    boardChosen();
}

bool BoardsPage::chooseBoard(BoardKind board) {
    const int index = m_boardChooser->findData(int(board));
    if (index < 0)
        return false;
    m_boardChooser->setCurrentIndex(index);
    boardChosen();
    return true;
}

void BoardsPage::boardChosen() {
    if (!m_access || m_boardChooser->currentIndex() < 0)
        return;
    m_board = BoardKind(m_boardChooser->currentData().toInt());
    m_database->settings().setChosenBoard(m_session.tenantId, m_session.userId, int(m_board));
    m_sort.clear();
    m_page = 1;
    if (m_export->isEnabled()) // the last export's message was about the board left; a running one stays
        clearExportStatus();
    restoreFilters();
    load(false);
}

void BoardsPage::clearExportStatus() {
    m_exportStatus->clear();
    m_exportStatus->setToolTip({});
}

void BoardsPage::siteChosen() {
    if (!m_access)
        return;
    m_page = 1;
    m_restoring = true;
    m_filters->configure(m_board, today(), m_access->skills.value(m_siteSelector->currentData().toString()));
    m_restoring = false;
    saveFilters();
    load(false);
}

void BoardsPage::filtersChanged() {
    if (m_restoring)
        return;
    m_page = 1;
    // Another BOARD-2 dimension has other sortable columns.
    BoardRequest next;
    (void)m_filters->apply(next);
    if (m_board == BoardKind::Customer && next.dimension != m_shownRequest.dimension)
        m_sort.clear();
    saveFilters();
    load(false);
}

void BoardsPage::refresh() {
    load(true);
}

void BoardsPage::saveFilters() const {
    if (!m_access)
        return;
    QJsonObject state = m_filters->state();
    state.insert(u"site"_s, m_siteSelector->currentData().toString());
    state.insert(u"pageSize"_s, m_pageSize);
    // Per tenant and user: another user on this computer never inherits these filters.
    m_database->settings().setBoardFilters(
        m_session.tenantId, m_session.userId, BoardLoad::boardKey(m_board),
        QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact)));
}

void BoardsPage::restoreFilters() {
    const QJsonObject state = QJsonDocument::fromJson(m_database->settings()
                                                          .boardFilters(m_session.tenantId, m_session.userId,
                                                                        BoardLoad::boardKey(m_board))
                                                          .toUtf8())
                                  .object();
    m_restoring = true;
    // A site the user no longer has is not restored: the selector offers only theirs.
    const int site = m_siteSelector->findData(state.value(u"site"_s).toString());
    if (site >= 0)
        m_siteSelector->setCurrentIndex(site);
    const int pageSize = state.value(u"pageSize"_s).toInt(20);
    m_pageSize = pageSize == 50 || pageSize == 100 ? pageSize : 20;
    const bool perSite = m_board != BoardKind::RiskOps;
    m_siteLabel->setVisible(perSite);
    m_siteSelector->setVisible(perSite);
    m_filters->configure(m_board, today(), m_access->skills.value(m_siteSelector->currentData().toString()));
    m_filters->restore(state);
    m_restoring = false;
}

void BoardsPage::setPageSize(int rows) {
    m_pageSize = std::max(1, rows);
    m_page = 1;
    load(false);
}

void BoardsPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_loadWhenShown)
        load(false);
}

void BoardsPage::load(bool bypassCache) {
    if (!m_access || m_access->boards.isEmpty())
        return;
    // Nobody computes a board nobody sees (the queue's users share the database thread); showing it loads it.
    m_loadWhenShown = !isVisible();
    if (m_loadWhenShown) {
        clearBoard();
        return;
    }
    BoardLoadRequest load;
    load.tenant = m_session.tenantId;
    load.userId = m_session.userId;
    load.board = m_board;
    load.bypassCache = bypassCache;
    BoardRequest& r = load.request;
    r.tenant = m_session.tenantId;
    r.nowMs = nowMs();
    r.locale = QLocale();
    r.chartSections = true; // the window draws every chart, BOARD-2's visits heat map included
    if (m_board != BoardKind::RiskOps) {
        r.site = m_siteSelector->currentData().toString();
        if (r.site.isEmpty()) {
            showError(tr("You are granted no site of this tenant, so there is no board to show. Ask an "
                         "administrator for a site membership."),
                      false);
            Q_EMIT loadFinished();
            return;
        }
    }
    r.today = today();
    if (Status s = m_filters->apply(r); !s) {
        showError(s.problem().message, false); // the filters must change first: trying again changes nothing
        Q_EMIT loadFinished();
        return;
    }
    // Sorting and paging are the coach and customer boards' (the other two have fixed sections).
    if (m_board == BoardKind::Coach || m_board == BoardKind::Customer) {
        r.sort = m_sort;
        r.page = m_page;
        r.pageSize = m_pageSize;
    }
    ++m_generation;
    const quint64 generation = m_generation;
    // A result still being put on screen is overtaken: what is built of it stays until the answer comes.
    m_buildTimer->stop();
    m_build.reset();
    setLoading(true); // before the task: a finished task calls back at once
    auto task = m_database->task([load](Workspace& w) { return BoardLoad::run(w.db(), load); });
    QCoro::connect(std::move(task), this, [this, generation, load](const BoardLoadResult& result) {
        if (generation != m_generation) {
            ++m_staleDropped; // an older request finishing after a newer one: never shown
            return;
        }
        showResult(load, result); // ends the loading (and says so) once the whole board is on screen
    });
}

void BoardsPage::setLoading(bool loading) {
    m_loading = loading;
    m_loadingLabel->setVisible(loading);
    m_refresh->setEnabled(!loading);
}

void BoardsPage::clearBoard(bool dropWidgets) {
    m_buildTimer->stop();
    m_build.reset();
    m_content->setMinimumHeight(0);
    m_report.reset();
    m_shownRequest = {};
    if (m_shownPane)
        m_shownPane->setVisible(false);
    m_shownPane = nullptr;
    m_cards.clear();
    m_sections.clear();
    if (dropWidgets) {
        // Nothing made for the previous user outlives their session, not even hidden.
        for (auto& entry : m_panes)
            delete entry.second.widget;
        m_panes.clear();
        m_scrolledFor.reset();
    }
    m_freshness->clear();
    m_badges->clear();
    m_error->setVisible(false);
    m_refreshedAt = {};
    updateOfflineBanner();
}

void BoardsPage::setOffline(bool offline, const QDateTime& lastSync) {
    m_offline = offline;
    m_lastSync = lastSync;
    updateOfflineBanner();
}

// Spec §2.9: offline, the last cached result is shown under a grey banner with its time; a board whose data
// never came needs a first sync. The page computes nothing differently offline: the workspace holds what the
// last sync brought, and the cache (keyed by its watermark) serves the result computed from it.
void BoardsPage::updateOfflineBanner() {
    if (!m_offline) {
        m_offlineBanner->clear();
        m_offlineBanner->setVisible(false);
        return;
    }
    const QLocale locale;
    const auto timeText = [&locale](const QDateTime& t) {
        return locale.toString(t.toLocalTime(), u"yyyy-MM-dd HH:mm"_s);
    };
    const QString synced = m_lastSync.isValid()
                               ? tr("last synced with the backend at %1").arg(timeText(m_lastSync))
                               : tr("not yet synced with the backend from this workspace");
    QString text;
    if (!m_report) {
        text = tr("Offline — no result of this board is cached; it needs a first sync with the backend (%1).")
                   .arg(synced);
    } else if (m_board != BoardKind::RiskOps && !m_report->watermark().isValid()) {
        text = tr("Offline — this site's board data has never been synced; the board needs a first sync with "
                  "the backend (%1).")
                   .arg(synced);
    } else if (m_fromCache) {
        text = tr("Offline — showing the result cached at %1 (%2).").arg(timeText(m_refreshedAt), synced);
    } else {
        text = tr("Offline — showing the result computed at %1 from the data in this workspace (%2).")
                   .arg(timeText(m_refreshedAt), synced);
    }
    m_offlineBanner->setText(text);
    m_offlineBanner->setToolTip(
        tr("The backend cannot be reached. The figures are those this desktop already had; F5 computes "
           "them again from this workspace, and the next sync brings newer data."));
    m_offlineBanner->setVisible(true);
}

void BoardsPage::showError(const QString& message, bool retryable) {
    clearBoard();
    m_errorText->setText(u"⚠ "_s + message);
    m_errorRetry->setVisible(retryable);
    m_error->setVisible(true);
}

QList<SortColumn> BoardsPage::sortableColumns(const BoardTable& table) const {
    QList<SortColumn> columns;
    if (m_board == BoardKind::Coach) {
        columns = CoachBoard::sortCatalog().columns();
    } else if (m_board == BoardKind::Customer) {
        const auto dimension = CustomerDimensions::fromKey(m_shownRequest.dimension);
        columns = CustomerDimensions::sorts(dimension.value_or(CustomerDimensions::all().first())).columns();
    }
    QList<SortColumn> shown;
    for (const SortColumn& c : columns)
        if (table.columnIndex(c.key) >= 0)
            shown << c;
    return shown;
}

void BoardsPage::showResult(const BoardLoadRequest& load, const BoardLoadResult& result) {
    clearBoard();
    if (!result.report) {
        // The board as a whole could not be computed: the reason and a retry, never an empty board. A filter
        // the board refused (it names the field) is put right in the bar: trying again would change nothing.
        setLoading(false);
        showError(result.report.problem().message, result.report.problem().field.isEmpty());
        Q_EMIT loadFinished();
        return;
    }
    m_report = result.report.value();
    m_shownRequest = load.request;
    // Another board or site opens at its top: it opened where the reader had scrolled the last one, its first
    // chart cut off (helper-80). Another period or page of the same board is not moved here.
    if (const std::pair<BoardKind, QString> shown{load.board, load.request.site}; m_scrolledFor != shown) {
        m_scroll->verticalScrollBar()->setValue(0);
        m_scrolledFor = shown;
    } else {
        // The same board again keeps its place. Its sections come back over turns of the loop, and the page,
        // shorter meanwhile, pulled the scroll bar up to what was shown by then (helper-80): it keeps its
        // height until the build is done.
        m_content->setMinimumHeight(m_content->height());
    }
    m_fromCache = result.fromCache;
    m_refreshedAt = result.refreshedAt;
    const BoardReport& report = *m_report;
    const QLocale locale = load.request.locale;

    const QString watermark =
        report.watermark().isValid() ? report.watermark().toString(Qt::ISODate) : QString(u"—"_s);
    // At the site's clock, named as the exports name it, so the screen and a file exported from it show one
    // time (helper-84: "06:16:42 UTC" above an export stamped 14:17:28 Asia/Shanghai); risk operations has
    // no site and keeps this computer's clock.
    const QTimeZone siteZone =
        m_access && load.board != BoardKind::RiskOps ? m_access->zones.value(load.request.site) : QTimeZone();
    const QString refreshed =
        siteZone.isValid()
            ? locale.toString(result.refreshedAt.toTimeZone(siteZone), u"yyyy-MM-dd HH:mm:ss"_s) + u" ("_s +
                  QString::fromUtf8(siteZone.id()) + u')'
            : locale.toString(result.refreshedAt.toLocalTime(), u"yyyy-MM-dd HH:mm:ss"_s) + u' ' +
                  result.refreshedAt.toLocalTime().timeZoneAbbreviation();
    // Risk operations reads the queue itself, not a daily load: it has no "loaded through" day to show.
    QString freshness = load.board == BoardKind::RiskOps && !report.watermark().isValid()
                            ? tr("Live figures of this workspace · Refreshed at %1").arg(refreshed)
                            : tr("Data loaded through %1 · Refreshed at %2").arg(watermark, refreshed);
    if (result.fromCache)
        freshness += u" · "_s + tr("from the cache (F5 computes it again)");
    m_freshness->setText(freshness);
    QStringList badges;
    // Data more than a business day behind today may be late (spec §2.9).
    if (load.board != BoardKind::RiskOps &&
        (!report.watermark().isValid() || report.watermark().daysTo(load.request.today) > 1))
        badges << u"<span style='background:#fde68a; color:#78350f; padding:2px 6px;'>%1</span>"_s.arg(
            tr("Data may be late").toHtmlEscaped());
    for (const QString& b : report.badges())
        badges << u"<span style='background:#e2e8f0; color:#1e293b; padding:2px 6px;'>%1</span>"_s.arg(
            b.toHtmlEscaped());
    m_badges->setText(badges.join(u"&nbsp;&nbsp;"_s));
    m_filters->setComparison(report.parameters().value(u"comparison"_s).toString());

    Build build;
    build.board = load.board;
    build.locale = locale;
    build.scheme = TrendColors::effective(TrendColors::fromKey(m_database->settings().trendColors()), locale);
    build.pages = load.board == BoardKind::Coach || load.board == BoardKind::Customer;
    // Each chart goes above the table it is drawn from ("<board>.<table>"); a chart of several tables goes
    // to the first section.
    QSet<QString> tableKeys;
    for (const BoardTable& table : report.tables())
        tableKeys.insert(table.key());
    for (const BoardChart& chart : BoardChartCatalog::charts(report, locale)) {
        const QString key = chart.key.section(u'.', 1);
        if (tableKeys.contains(key))
            build.charts[key] << chart;
        else if (!report.tables().isEmpty())
            build.charts[report.tables().first().key()] << chart;
    }
    m_build = std::move(build);

    // The board's widgets as last shown wait, hidden, for their turn: none shows an older result's figures.
    Pane& p = pane(load.board);
    for (BoardKpiCard* card : std::as_const(p.cardPool))
        card->setVisible(false);
    for (BoardSectionView* section : std::as_const(p.sectionPool))
        section->setVisible(false);
    p.widget->setVisible(true);
    m_shownPane = p.widget;
    buildStep(); // the first cards and sections in this very turn
}

BoardsPage::Pane& BoardsPage::pane(BoardKind board) {
    const auto found = m_panes.find(board);
    if (found != m_panes.end())
        return found->second;
    Pane p;
    p.widget = new QWidget(m_content);
    p.widget->setObjectName(u"boardPane_"_s + BoardLoad::boardKey(board));
    p.widget->setAttribute(Qt::WA_StaticContents);
    auto* layout = new QVBoxLayout(p.widget);
    layout->setContentsMargins(0, 0, 0, 0);
    p.cards = new QGridLayout;
    p.cards->setSpacing(8);
    layout->addLayout(p.cards);
    p.sections = new QVBoxLayout;
    layout->addLayout(p.sections);
    p.widget->setVisible(false);
    m_contentLayout->insertWidget(m_contentLayout->count() - 1, p.widget); // above the stretch
    return m_panes.emplace(board, p).first->second;
}

// Puts the next cards and sections of the result on screen, in the order a reader meets them, until this
// turn's time is spent; the timer runs the next turn after the loop has laid out, painted and read input.
void BoardsPage::buildStep() {
    if (!m_build || !m_report)
        return;
    Pane& p = pane(m_build->board);
    QElapsedTimer turn;
    turn.start();
    do {
        if (m_build->nextCard < m_report->kpis().size())
            showCard(p, m_build->nextCard++);
        else if (m_build->nextSection < m_report->tables().size())
            showSection(p, m_build->nextSection++);
        else
            break;
    } while (turn.nsecsElapsed() < m_buildTurnNs);
    if (m_build->nextCard < m_report->kpis().size() || m_build->nextSection < m_report->tables().size())
        m_buildTimer->start();
    else
        finishBuild();
}

QString BoardsPage::cellName(const QString& tableKey, const QString& columnKey, const QVariant& rowId) const {
    return m_report ? m_report->cellName(tableKey, columnKey, rowId) : QString();
}

void BoardsPage::showCard(Pane& p, qsizetype index) {
    const BoardKpi& kpi = m_report->kpis().at(index);
    BoardKpiCard* card = p.cardPool.value(kpi.key);
    if (!card) {
        card = new BoardKpiCard(p.widget);
        ++m_widgetsCreated;
        connect(card, &BoardKpiCard::activated, this, [this](const QString& key) {
            Q_EMIT cellActivated(m_board, m_shownRequest, QString(), key, QVariant());
        });
        connect(card, &BoardKpiCard::retryRequested, this, &BoardsPage::refresh);
        p.cardPool.insert(kpi.key, card);
    }
    const int row = int(index) / kCardsPerRow, column = int(index) % kCardsPerRow;
    const int at = p.cards->indexOf(card);
    int r = -1, c = -1, rowSpan = 0, columnSpan = 0;
    if (at >= 0)
        p.cards->getItemPosition(at, &r, &c, &rowSpan, &columnSpan);
    if (r != row || c != column) {
        if (at >= 0)
            p.cards->removeWidget(card);
        p.cards->addWidget(card, row, column);
    }
    card->setKpi(kpi, m_build->locale, m_build->scheme);
    // A card with a per-bucket series gets its sparkline (its figures are in the section's chart and table).
    if (const auto sparkline = BoardChartCatalog::sparkline(*m_report, kpi.key)) {
        auto* view = qobject_cast<BoardChartView*>(card->sparkline());
        if (!view) {
            view = new BoardChartView(card);
            view->tableToggle()->hide();
            view->setFixedHeight(32);
            card->setSparkline(view);
        }
        view->setChart(*sparkline, m_build->locale, m_build->scheme);
    } else {
        card->setSparkline(nullptr);
    }
    card->setVisible(true);
    m_cards << card;
}

void BoardsPage::showSection(Pane& p, qsizetype index) {
    const BoardTable& table = m_report->tables().at(index);
    BoardSectionView* section = p.sectionPool.value(table.key());
    if (!section) {
        section = new BoardSectionView(p.widget);
        ++m_widgetsCreated;
        connect(section, &BoardSectionView::sortRequested, this, [this](const QString&, const QString& sort) {
            m_sort = sort;
            m_page = 1;
            this->load(false);
        });
        connect(section, &BoardSectionView::pageRequested, this,
                [this](const QString&, qint64 page, int size) {
                    m_page = page;
                    if (size != m_pageSize) {
                        m_pageSize = size;
                        saveFilters();
                    }
                    this->load(false);
                });
        connect(section, &BoardSectionView::retryRequested, this, &BoardsPage::refresh);
        connect(section, &BoardSectionView::cellActivated, this,
                [this](const QString& tableKey, const QString& columnKey, const QVariant& rowId) {
                    Q_EMIT cellActivated(m_board, m_shownRequest, tableKey, columnKey, rowId);
                });
        p.sectionPool.insert(table.key(), section);
    }
    // In the report's order, whatever order the board's sections came in before.
    if (p.sections->indexOf(section) != int(index)) {
        p.sections->removeWidget(section);
        p.sections->insertWidget(int(index), section);
    }
    section->setTable(table, m_build->locale, m_build->pages ? sortableColumns(table) : QList<SortColumn>(),
                      m_build->pages);
    section->setCharts(m_build->charts.value(table.key()), m_build->locale, m_build->scheme);
    section->setVisible(true); // at once, not at the layout's next turn: what is on screen matches the report
    m_sections << section;
}

void BoardsPage::finishBuild() {
    const BoardKind board = m_build->board;
    m_build.reset();
    m_content->setMinimumHeight(0);
    updateOfflineBanner();
    setLoading(false);
    Q_EMIT reportShown(board, *m_report);
    Q_EMIT loadFinished();
}

void BoardsPage::fillExportMenu() {
    QMenu* menu = m_export->menu();
    menu->clear();
    if (!m_report) {
        menu->addAction(tr("No board on screen yet"))->setEnabled(false);
        return;
    }
    menu->addAction(tr("Whole board as Excel (XLSX)…"), this, [this] { askAndExport(u"xlsx"_s, {}); });
    menu->addAction(tr("Whole board as PDF…"), this, [this] { askAndExport(u"pdf"_s, {}); });
    QMenu* csv = menu->addMenu(tr("Section as CSV"));
    for (const BoardTable& table : m_report->tables())
        csv->addAction(table.title(), this, [this, key = table.key()] { askAndExport(u"csv"_s, key); });
}

QDateTime BoardsPage::timeAt(const QString& site) const {
    // The site's time, as the command line and an export's own header name it; the desktop's without one.
    const QTimeZone zone = m_access ? m_access->zones.value(site) : QTimeZone();
    return zone.isValid() ? QDateTime::fromMSecsSinceEpoch(nowMs(), zone)
                          : QDateTime::fromMSecsSinceEpoch(nowMs());
}

void BoardsPage::askAndExport(const QString& format, const QString& sectionKey) {
    // The days the shown board resolved (BOARD-2's as-of day has no period in the request), and the section
    // of a CSV.
    const auto [from, to] = m_report ? BoardExportSet::resolvedRange({*m_report}, today())
                                     : std::pair<QDate, QDate>{today(), today()};
    const QString name = BoardExportName::fileName(m_board, m_shownRequest.site, from, to,
                                                   timeAt(m_shownRequest.site), format, sectionKey);
    const QString filter = format == u"xlsx"_s  ? tr("Excel workbook (*.xlsx)")
                           : format == u"pdf"_s ? tr("PDF document (*.pdf)")
                                                : tr("CSV file (*.csv)");
    const QString path = SaveFileDialog::ask(
        this, tr("Export"),
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(name), filter,
        format);
    if (!path.isEmpty())
        exportTo(format, path, sectionKey);
}

void BoardsPage::exportTo(const QString& format, const QString& path, const QString& sectionKey) {
    if (!m_report) {
        Q_EMIT exportFinished(false, tr("There is no board on screen to export."));
        return;
    }
    m_exportStatus->setText(tr("Exporting…"));
    m_export->setEnabled(false);
    const BoardKind board = m_board;
    const BoardRequest request = m_shownRequest;
    const QString tenant = m_session.tenantId, user = m_session.userId;
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs(), QTimeZone::utc());
    const auto scheme =
        TrendColors::effective(TrendColors::fromKey(m_database->settings().trendColors()), request.locale);
    auto task = m_database->task([=](Workspace& w) -> Result<BoardExportOutcome> {
        auto scope = BoardScope::open(w.db(), tenant, user);
        if (!scope)
            return scope.problem();
        if (format == u"csv"_s)
            return BoardExportWriter::writeSectionCsv(w.db(), board, scope.value(), request, sectionKey,
                                                      path);
        return BoardExportWriter::writeBoard(w.db(), board, scope.value(), request, format, path, now,
                                             scheme);
    });
    QCoro::connect(std::move(task), this, [this, tenant, user](const Result<BoardExportOutcome>& written) {
        m_export->setEnabled(true);
        const QString message = written ? tr("%n row(s) exported to %1", nullptr,
                                             int(std::min<qint64>(written.value().rows, INT_MAX)))
                                              .arg(QDir::toNativeSeparators(written.value().path))
                                        : tr("Export failed: %1").arg(written.problem().message);
        if (tenant == m_session.tenantId && user == m_session.userId) { // else not the reader's export
            m_exportStatus->setText(message);
            m_exportStatus->setToolTip(message);
        }
        Q_EMIT exportFinished(bool(written), message);
    });
}

BoardKpiCard* BoardsPage::kpiCard(const QString& key) const {
    for (BoardKpiCard* c : m_cards)
        if (c->kpi().key == key)
            return c;
    return nullptr;
}

BoardSectionView* BoardsPage::section(const QString& key) const {
    for (BoardSectionView* s : m_sections)
        if (s->key() == key)
            return s;
    return nullptr;
}

void BoardsPage::showDrillArea(bool shown) {
    if (shown == m_drillArea->isVisible())
        return;
    if (!shown) {
        m_drillSizes = m_splitter->sizes(); // the reader's split, for the next drill-down
        m_drillArea->setVisible(false);
        return;
    }
    m_drillArea->setVisible(true);
    // Left to itself the splitter gave the panel its wide table's size hint and squeezed the board into a
    // strip of 50 px (helper-80): the board keeps three fifths, or the split the reader last dragged to.
    const int width = m_splitter->width();
    constexpr int kMinimum = 240;
    if (m_drillSizes.size() == 2 && m_drillSizes.at(0) >= kMinimum && m_drillSizes.at(1) >= kMinimum)
        m_splitter->setSizes(m_drillSizes);
    else
        m_splitter->setSizes({width * 3 / 5, width - width * 3 / 5});
}

} // namespace riskdesk
