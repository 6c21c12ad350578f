#pragma once

#include "Session.h"
#include "boards/BoardChart.h"
#include "boards/BoardLoad.h"
#include "boards/BoardReport.h"
#include "boards/BoardRequest.h"
#include "boards/BoardScope.h"
#include "boards/SortCatalog.h"
#include "boards/TrendColors.h"

#include <QDateTime>
#include <QHash>
#include <QWidget>
#include <map>
#include <optional>
#include <utility>

class QComboBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTimer;
class QVBoxLayout;

class QToolButton;

namespace riskdesk {

class BoardFilterBar;
class BoardKpiCard;
class BoardSectionView;
class DatabaseThread;

// The Boards page (issue 12): the boards the signed-in user's role may open (spec §2.10), one of the sites
// bd_user_sites grants them, the board's filters (remembered per user and board), its KPI cards and sections.
// Boards are computed on the database thread through the workspace's board cache; the GUI never waits, shows
// that it is loading, and drops an answer that a newer request has overtaken. F5 (refresh()) asks past the
// cache. Drill-downs and charts are other widgets': the page says which cell was activated (cellActivated),
// offers a side area for a panel (drillArea) and a chart area per section and a sparkline slot per card.
//
// A board's structure is fixed (its cards, sections and charts; only the figures change), so each board's
// widgets are made once and reused by every later switch to it (period, filters, page, the cache). A result
// is put on screen over several turns of the event loop, cards and the top sections first, each turn a few
// milliseconds, so the window keeps answering while a large board is built; a widget waiting for its turn is
// hidden, never showing the figures of the result before. isLoading() holds until the whole board is shown.
class BoardsPage : public QWidget {
    Q_OBJECT
public:
    explicit BoardsPage(DatabaseThread* database, QWidget* parent = nullptr);

    // Forgets everything shown for the previous user at once, then reads the new user's access and board.
    void setSession(const Session& session);
    // Computes the visible board again, past the cache (F5, the retry buttons).
    void refresh();
    // Rows per page of the paged sections (the page's selector offers 20, 50 and 100); shows page 1 again.
    void setPageSize(int rows);
    // The instant the page treats as now (tests); invalid: the clock.
    void setNow(const QDateTime& now) { m_now = now; }
    // Now on a site's clock (its zone), for export file names.
    QDateTime timeAt(const QString& site) const;
    // Whether the backend is unreachable (a backend is set and sync is offline), and when the workspace last
    // synced with it. Offline, the page says so above the board: the cached result it shows and that
    // result's time, or that the board needs a first sync when no data has ever come (spec §2.9).
    void setOffline(bool offline, const QDateTime& lastSync = {});
    bool isOffline() const { return m_offline; }

    BoardKind board() const { return m_board; }
    // The request of the board on screen (what cellActivated carries).
    const BoardRequest& shownRequest() const { return m_shownRequest; }
    const std::optional<BoardReport>& report() const { return m_report; }
    // True from the request until the whole answer is on screen (computing it, then building it).
    bool isLoading() const { return m_loading; }
    // Whether a result is being put on screen (some of its cards or sections still to come).
    bool isBuilding() const { return m_build.has_value(); }
    // Cards and sections made since the page was created (not reused): tests and the benchmark.
    int widgetsCreated() const { return m_widgetsCreated; }
    // The time one turn of the event loop may spend putting a result on screen (at least one card or section
    // a turn); tests set 0 to see a board built over many turns.
    void setBuildTurnBudget(qint64 nanoseconds) { m_buildTurnNs = nanoseconds; }
    bool shownFromCache() const { return m_fromCache; }
    // When the board on screen was computed (for a cached one: when it was first computed).
    QDateTime refreshedAt() const { return m_refreshedAt; }
    // Answers that arrived after a newer request was made, and were dropped.
    int staleAnswersDropped() const { return m_staleDropped; }

    QComboBox* boardChooser() const { return m_boardChooser; }
    QComboBox* siteSelector() const { return m_siteSelector; }
    BoardFilterBar* filterBar() const { return m_filters; }
    QLabel* loadingIndicator() const { return m_loadingLabel; }
    QLabel* freshnessLabel() const { return m_freshness; }
    QLabel* badgesLabel() const { return m_badges; }
    QLabel* errorLabel() const { return m_errorText; }
    // The grey offline banner (hidden while the backend is reachable).
    QLabel* offlineBanner() const { return m_offlineBanner; }
    BoardKpiCard* kpiCard(const QString& key) const;
    QList<BoardKpiCard*> kpiCards() const { return m_cards; }
    BoardSectionView* section(const QString& key) const;
    QList<BoardSectionView*> sections() const { return m_sections; }
    // The right side of the page's splitter, hidden until showDrillArea(true): the drill-down panel's place.
    QWidget* drillArea() const { return m_drillArea; }
    void showDrillArea(bool shown);
    QSplitter* splitter() const { return m_splitter; }

    // Exports the board on screen (spec §2.8) on the database thread, then emits exportFinished: "xlsx" or
    // "pdf" (the whole board: every section and tab, every row; the PDF each section's first 200) or "csv" of
    // one section. path: a file or a directory (the standard file name). The Export button asks for the file
    // and calls this.
    void exportTo(const QString& format, const QString& path, const QString& sectionKey = {});
    QToolButton* exportButton() const { return m_export; }
    QLabel* exportStatus() const { return m_exportStatus; }

    // Switches to a board the user may open (false when they may not).
    bool chooseBoard(BoardKind board);
    static QString boardTitle(BoardKind board);
    // The board shown now names one of its figures (BoardReport::cellName); empty when none is shown.
    QString cellName(const QString& tableKey, const QString& columnKey, const QVariant& rowId) const;

Q_SIGNALS:
    // An aggregate cell, a totals cell (rowId null) or a KPI card (tableKey empty, columnKey = the KPI's key)
    // was clicked or activated with Enter.
    void cellActivated(riskdesk::BoardKind board, const riskdesk::BoardRequest& request,
                       const QString& tableKey, const QString& columnKey, const QVariant& rowId);
    // A report was put on screen (charts can be added to the sections and cards now).
    void reportShown(riskdesk::BoardKind board, const riskdesk::BoardReport& report);
    // Whatever the page had to say arrived: a report, or why there is none.
    void loadFinished();
    // An export ended: what was written, or why nothing was.
    void exportFinished(bool ok, const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    // One board's widgets, kept while the user stays signed in: shown when that board is.
    struct Pane {
        QWidget* widget = nullptr;
        QGridLayout* cards = nullptr;
        QVBoxLayout* sections = nullptr;
        QHash<QString, BoardKpiCard*> cardPool;        // by KPI key
        QHash<QString, BoardSectionView*> sectionPool; // by table key
    };
    // A result being put on screen.
    struct Build {
        BoardKind board = BoardKind::Finance;
        QLocale locale;
        TrendColors::Scheme scheme = TrendColors::Scheme::GreenUp;
        bool pages = false;
        QHash<QString, QList<BoardChart>> charts; // by the table key of the section they go above
        qsizetype nextCard = 0;
        qsizetype nextSection = 0;
    };

    void applyAccess(const BoardAccess& access);
    void boardChosen();
    void siteChosen();
    void filtersChanged();
    void load(bool bypassCache);
    void showResult(const BoardLoadRequest& load, const BoardLoadResult& result);
    // Takes the board off screen; dropWidgets: also deletes every board's widgets (another user signs in).
    void clearBoard(bool dropWidgets = false);
    Pane& pane(BoardKind board);
    void buildStep();
    void showCard(Pane& pane, qsizetype index);
    void showSection(Pane& pane, qsizetype index);
    void finishBuild();
    void fillExportMenu();
    void askAndExport(const QString& format, const QString& sectionKey);
    void clearExportStatus();
    void setLoading(bool loading);
    // retryable: whether computing the same request again could succeed (a failed read), so Retry is offered.
    void showError(const QString& message, bool retryable = true);
    void updateOfflineBanner();
    void saveFilters() const;
    void restoreFilters();
    QList<SortColumn> sortableColumns(const BoardTable& table) const;
    qint64 nowMs() const;
    QDate today() const;

    DatabaseThread* m_database;
    Session m_session;
    std::optional<BoardAccess> m_access;
    BoardKind m_board = BoardKind::Finance;
    std::optional<std::pair<BoardKind, QString>>
        m_scrolledFor; // the board and site the scroll position is of
    QDateTime m_now;
    QString m_sort;
    qint64 m_page = 1;
    int m_pageSize = 20;
    quint64 m_generation = 0;
    int m_staleDropped = 0;
    bool m_loading = false;
    bool m_fromCache = false;
    bool m_restoring = false;
    bool m_loadWhenShown = false; // a board asked for while the page was hidden
    bool m_offline = false;
    QDateTime m_lastSync;    // the last complete sync with the backend (invalid: none known)
    QDateTime m_refreshedAt; // when the board on screen was computed (刷新于)
    BoardRequest m_shownRequest;
    std::optional<BoardReport> m_report;

    QComboBox* m_boardChooser;
    QComboBox* m_siteSelector;
    QLabel* m_siteLabel;
    QPushButton* m_refresh;
    QToolButton* m_export;
    QLabel* m_exportStatus;
    QLabel* m_loadingLabel;
    BoardFilterBar* m_filters;
    QLabel* m_freshness;
    QLabel* m_badges;
    QLabel* m_offlineBanner;
    QWidget* m_error;
    QLabel* m_errorText;
    QPushButton* m_errorRetry;
    QSplitter* m_splitter;
    QList<int> m_drillSizes; // the board's and the drill-down's widths when the panel last closed
    QScrollArea* m_scroll;
    QWidget* m_content;
    QVBoxLayout* m_contentLayout;
    std::map<BoardKind, Pane> m_panes;
    QWidget* m_shownPane = nullptr;
    std::optional<Build> m_build;
    QTimer* m_buildTimer;
    int m_widgetsCreated = 0;
    qint64 m_buildTurnNs;
    QWidget* m_drillArea;
    QList<BoardKpiCard*> m_cards;
    QList<BoardSectionView*> m_sections;
};

} // namespace riskdesk
