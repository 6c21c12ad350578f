#pragma once

#include "Session.h"
#include "domain/AssignmentRules.h"
#include "domain/DirectoryTypes.h"
#include "domain/DomainTypes.h"
#include "domain/UnsentDrafts.h"

#include <QHash>
#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>

class QAction;
class QBoxLayout;
class QComboBox;
class QMenu;
class QPoint;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTableView;
class QTimer;

namespace riskdesk {

class BulkDecisionPlan;
class DatabaseThread;
class EmptyResultsOverlay;
class ExceptionDetailPanel;
class ExceptionQueueModel;
class RejectDialog;
struct BulkDecisionReport;
struct RiskException;

// The approver's queue: filters, the exception table and the detail panel with the decisions. Several rows
// (Shift/Ctrl, or every row the filters match) can be decided at once.
class QueuePage : public QWidget {
    Q_OBJECT
public:
    // background: where the impact preview replays target histories (long reads never hold up the queue);
    // without one, the queue's own thread does it.
    explicit QueuePage(DatabaseThread* database, DatabaseThread* background = nullptr,
                       QWidget* parent = nullptr);

    // Decisions off from now on (the workspace was found damaged), without reloading the queue.
    void refuseWrites(const QString& reason);
    void setSession(const Session& session);
    void refresh();
    // Whether a backend is set (see ExceptionDetailPanel::setBackendSet).
    void setBackendSet(bool set);
    // Shows one exception whatever its status (from the approval log): every filter cleared, its id searched,
    // its row selected once loaded.
    void showRecord(const QString& recordId);
    void clearFilters();
    // Only these exceptions, whatever their status (a board's figure, e.g. BOARD-4's "pending past SLA":
    // BoardDrillKey::queueFilter): the other filters cleared, label said above the table. Clear filters ends
    // it.
    void showRecords(const QStringList& recordIds, const QString& label);

    // Comments and rejection reasons typed and not yet stored (a change of user discards them).
    int unsentTexts() const;

    ExceptionQueueModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    ExceptionDetailPanel* detail() const { return m_detail; }
    // The current row's assignment menus (rebuilt when shown): approvers to assign to, leads to escalate to.
    QMenu* assignMenu() const { return m_assignMenu; }
    QMenu* escalateMenu() const { return m_escalateMenu; }

Q_SIGNALS:
    // The first page is shown and the selected row's details are loaded.
    void ready();
    // A decision was stored in the workspace (the main window refreshes the sync counter).
    void decisionStored();
    // Rows changed outside this window were found and shown (how many).
    void outsideChangesShown(int rows);
    // The start-up closing of requests whose window ended is done (closed: how many; 0 when none was due).
    void endedWindowsSwept(int closed);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // The constructor's steps, in order.
    QBoxLayout* createFilterBar();
    QWidget* createTablePane();
    QWidget* createBulkBar();
    QSplitter* createSplitter(QWidget* tablePane);
    void connectFiltersAndClock();
    void connectModelAndDetail();
    void installKeyboard();

    // Bulk decisions: the selection's bar, the plan read for the confirmation, then batches on the database
    // thread, each one transaction.
    void updateBulkBar();
    void countMatching();
    void forgetMatchingCount();
    void selectAllMatching();
    int selectedRowCount() const;
    bool bulkSelected() const;
    void startBulk(DecisionAction action);
    void confirmBulk(DecisionAction action, const BulkDecisionPlan& plan);
    void runBulkBatch(DecisionAction action, const QString& comment, const QStringList& recordIds,
                      qint64 offset, const std::shared_ptr<BulkDecisionReport>& report);
    void finishBulk(const BulkDecisionReport& report, qint64 notTried, const QString& failure);

    // Assignment of the current row: claim (Ctrl+Shift+M), assign (Ctrl+Shift+A), release (Ctrl+Shift+U),
    // escalate to a lead (Ctrl+Shift+E); also in the table's context menu.
    void createAssignmentActions();
    void fillAssignmentMenus();
    // Claim and Release on or off for the current row: kept up to date as the row changes, so that their keys
    // do what the menu would offer (a key on a disabled action does nothing, silently).
    void updateAssignmentActions();
    void showContextMenu(const QPoint& position);
    void popUpAtCurrentRow(QMenu* menu);
    void changeAssignment(AssignmentAction action, const QString& assigneeId);
    // A comment on the exception shown, written by the signed-in user (CommentService), then the thread
    // reread.
    void addComment(const QString& text);
    // The line under the queue: news in green, a refusal or failure in red, so neither reads as the other.
    void say(const QString& text);
    void sayWaiting(const QString& text);
    void sayStillRecording();
    void sayProblem(const QString& text);

    void approveSelected();
    void rejectSelected();
    // The detail panel's Approve and Reject: on the selection when it holds the exception the panel shows.
    void decideFromPanel(DecisionAction action);
    void applyFilters();
    void loadDetail(const QString& recordId);
    void loadRisk(const RiskException& exception, const std::optional<Rule>& rule);
    void decide(int action, const QString& comment);
    void requestReject();
    void requestWithdraw();
    void refreshBadge();
    // Closes the requests whose window ended (an approver's session only), then waits for the next end.
    void startSweep(bool atSignIn);
    void sweepEndedWindows();
    // The sweep is started again when the next open window ends, so a row does not read pending after its
    // window is over; asked again when the file changes outside this window (a new request may end sooner).
    void scheduleNextSweep();
    void showSwept(const QList<RiskException>& swept);
    // Starts the sweep's timer, and notes when it is due by the wall clock.
    void armSweep(qint64 waitMs);
    // The request can no longer be rejected here: its kept reason goes, and an open Reject dialog says why.
    void dropRejectDraft(const QString& recordId, const QString& why);
    // Rows decided, assigned or withdrawn outside this window (the command line, another desktop on the
    // same file) show their new state in place; the panel reads its exception again.
    void lookForOutsideChanges();
    void showOutsideChanges(const QList<RiskException>& found, const QStringList& reassigned);
    // A row that left the list while the panel may show it: the row now in its place is shown instead.
    void dropRow(const QString& recordId);
    void selectRow(int row);
    void onPageLoaded();
    bool filtersSet() const;
    void applyDefaultSort();
    void sizeColumns();

    DatabaseThread* m_database;
    DatabaseThread* m_background;
    Session m_session;
    QList<Rule> m_rules;
    QStringList m_approvers;
    QStringList m_leads;
    QAction* m_claimAction = nullptr;
    QAction* m_assignAction = nullptr;
    QAction* m_releaseAction = nullptr;
    QAction* m_escalateAction = nullptr;
    QMenu* m_assignMenu = nullptr;
    QMenu* m_escalateMenu = nullptr;
    bool m_assigning = false;
    bool m_commenting = false;

    QComboBox* m_status;
    QComboBox* m_rule;
    QComboBox* m_targetType;
    QComboBox* m_applicant;
    QComboBox* m_assignmentFilter;
    QLineEdit* m_search;
    QLabel* m_badge;
    QLabel* m_loaded;
    QLabel* m_feedback;
    QTableView* m_table;
    ExceptionQueueModel* m_model;
    ExceptionDetailPanel* m_detail;
    EmptyResultsOverlay* m_empty;
    QTimer* m_searchDelay;
    QTimer* m_clock;
    QTimer* m_outsideWatch;
    qint64 m_seenDataVersion = -1; // the workspace's data version when the loaded rows were last compared
    bool m_looking = false;
    QWidget* m_bulkBar;
    QLabel* m_bulkLabel;
    QPushButton* m_selectAllMatching;
    bool m_allMatching = false;     // "select all N matching": the whole filtered set, not only loaded rows
    bool m_selectingAll = false;    // selection changes made by selectAllMatching itself
    qint64 m_matchingCount = -1;    // of the current filter; -1: not counted yet
    quint64 m_filterGeneration = 0; // older counts are dropped
    bool m_counting = false;
    bool m_bulkRunning = false;
    QString m_detailRequested; // latest record asked for; older answers are dropped
    bool m_readySent = false;
    bool m_sortChosen = false;  // the user clicked a header: their order stays, whatever the filters
    QString m_selectWhenLoaded; // showRecord's exception, selected when its page arrives
    std::optional<QStringList> m_recordIds; // showRecords' exceptions, until the filters are cleared
    bool m_deciding = false;
    QString m_decidingId;                  // the request whose decision is being written
    QString m_waitingText;                 // the last "still working" line said
    QTimer* m_decisionSlow;                // a decision still being written after a moment says so
    UnsentDrafts m_rejectDrafts;           // reasons typed and not yet stored
    QPointer<RejectDialog> m_rejectDialog; // the one open, if any
    int m_sweptTotal = 0;
    bool m_sweeping = false;
    bool m_sweepKeepsShown = false; // the request the panel shows stays in the list, closed
    bool m_sweepOwed = false;       // the last sweep failed: its retry is armed
    QDateTime m_sweepDueAt;         // when the armed sweep is due, by the wall clock
    QString m_lastSwept;            // named when a sweep closes only one
    quint64 m_sweepGeneration = 0;  // a sweep of an earlier sign-in is not followed up
    QTimer* m_sweepTimer;
    quint64 m_sessionGeneration = 0; // a directory of an earlier sign-in is dropped
};

} // namespace riskdesk
