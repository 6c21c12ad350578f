#pragma once

#include "boards/BoardDrillKey.h"
#include "boards/BoardReport.h"
#include "boards/BoardRequest.h"
#include "boards/BoardScope.h"

#include <QDateTime>
#include <QWidget>
#include <functional>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableView;

namespace riskdesk {

class BoardDrillModel;
class DatabaseThread;

// The side panel of a board's drill-down (spec §2.7): the rows a clicked cell was computed from, with the
// same site, period and filters, read on the database thread (the window never waits; an answer that
// arrives after the user moved on is dropped). Its footer is the drill's sum, equal to the clicked value; it
// pages with exact totals, sorts the whole set where the engine can, exports the drill-down as CSV
// (spec §2.8), and keeps a stack: opening a drill while one is shown nests it, Back returns, Esc closes.
class BoardDrillPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kPageSize = 50;

    explicit BoardDrillPanel(DatabaseThread* database, QWidget* parent = nullptr);

    // Who reads (their scope decides the sites and boards); empty: the workspace's owner.
    void setUserId(const QString& userId) { m_userId = userId; }
    // The time a site's clock reads now, for the export's file name (the board page knows the sites' zones).
    void setSiteTime(std::function<QDateTime(const QString& site)> siteTime) {
        m_siteTime = std::move(siteTime);
    }
    // Rows a page for the drills opened from now on (kPageSize by default).
    void setPageSize(int rows) { m_pageSize = rows; }

    // Connect the board page's cellActivated here: opens the cell's drill-down and returns true, or returns
    // false and changes nothing when the cell has no rows to list (BoardDrillKey::whyNot says why).
    bool openCell(BoardKind board, const BoardRequest& request, const QString& tableKey,
                  const QString& columnKey, const QVariant& rowId, const QString& title);
    // Opens a drill (the engine's cell syntax, as --drill): nested on top of the one shown, if any.
    void open(BoardKind board, const BoardRequest& base, const QString& drill, const QString& title);
    void open(BoardKind board, const BoardRequest& base, const BoardDrillTarget& target,
              const QString& title);
    // Back to the previous drill (its page and sort as they were); closes the panel at the first one.
    void back();
    void closePanel();
    void retry();
    void showPage(qint64 page);
    // A header click: re-reads the whole set sorted by the column (false when the engine cannot sort this
    // drill by it; the order stays).
    bool sortByColumn(int column);
    // "显示废单" (spec §2.7): a drill of service-log rows also lists the voided ones, greyed out and never
    // counted (the footer stays the clicked value). Remembered per user and board, as the board's filters.
    void setShowVoided(bool shown);
    QCheckBox* showVoidedBox() const { return m_showVoided; }
    // Writes every row of the drill-down (not just the page), with a BOM, then emits exported().
    void exportCsv(const QString& path);
    // §2.8: <board>-drill_<site>_<from>_<to>_<yyyyMMddTHHmm>.csv
    static QString suggestedFileName(BoardKind board, const BoardRequest& request, const QDateTime& at);

    int depth() const { return int(m_stack.size()); }
    bool isLoading() const { return m_loading; }
    // The request of the drill shown (drill, page, sort), or nothing when closed.
    std::optional<BoardRequest> currentRequest() const;
    const BoardTable* currentTable() const;
    BoardDrillModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QLabel* footerLabel() const { return m_footer; }
    QLabel* pagingLabel() const { return m_paging; }
    QLabel* errorLabel() const { return m_error; }
    QPushButton* backButton() const { return m_back; }
    QPushButton* retryButton() const { return m_retry; }

Q_SIGNALS:
    // A page of the drill-down is on screen.
    void loaded();
    void failed(const QString& message);
    void exported(bool ok, const QString& message);
    void closed();
    // A row of the drill-down was double-clicked (Enter): tableKey is the drill table's key ("exceptions" for
    // BOARD-4's exception lists, whose row id is the record id the queue can show).
    void rowActivated(BoardKind board, const QString& tableKey, const QVariant& rowId);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    struct Entry {
        BoardKind board = BoardKind::Coach;
        BoardRequest request;
        BoardDrillTarget target;
        QString title;
    };
    void push(Entry entry);
    void load();
    void showReport(const BoardReport& report);
    void fitColumns();
    void showError(const QString& message);
    void chooseExportFile();
    bool showsVoided(const Entry& entry) const;

    DatabaseThread* m_database;
    QString m_userId;
    std::function<QDateTime(const QString&)> m_siteTime;
    int m_pageSize = kPageSize;
    QList<Entry> m_stack;
    quint64 m_generation = 0; // answers of older requests are dropped
    bool m_loading = false;
    std::optional<BoardReport> m_report;

    QLabel* m_title;
    QPushButton* m_back;
    QPushButton* m_close;
    QPushButton* m_export;
    QCheckBox* m_showVoided;
    QLabel* m_status;
    QLabel* m_error;
    QPushButton* m_retry;
    QTableView* m_table;
    BoardDrillModel* m_model;
    QLabel* m_footer;
    QPushButton* m_previous;
    QPushButton* m_next;
    QLabel* m_paging;
};

} // namespace riskdesk
