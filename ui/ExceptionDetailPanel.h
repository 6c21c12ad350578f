#pragma once

#include "Session.h"
#include "attach/AttachmentTypes.h"
#include "domain/AssignmentRules.h"
#include "domain/DirectoryTypes.h"
#include "domain/ExceptionComment.h"
#include "domain/RiskException.h"
#include "store/TargetRiskReader.h"

#include <QWidget>
#include <optional>

class QFormLayout;
class QLabel;
class QListWidget;
class QPushButton;
class QTimer;

namespace riskdesk {

class AttachmentService;
class AttachmentView;
class CommentThreadView;
class FlowDiagramView;
class WrappingLabel;

// Everything about one exception: its fields, its approval chain as a timeline, the attachment, and the
// actions the signed-in user may take on it now.
class ExceptionDetailPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExceptionDetailPanel(QWidget* parent = nullptr);

    void setSession(const Session& session);
    // Whether a backend is set: only then do changes made here say they have not reached it yet (a local
    // workspace has no server for them to reach).
    void setBackendSet(bool set);
    void setApproverPool(const QStringList& approvers);
    // Where attachments come from (the workspace's cache, then the network); without one, none is shown.
    void setAttachmentService(AttachmentService* service);
    AttachmentView* attachmentView() const { return m_attachmentView; }
    void showException(const RiskException& exception, const std::optional<Rule>& rule);
    // The instant the times are shown at (the queue's, so that both say the same); shown again at once.
    void setNow(const QDateTime& now);
    // Every file of the shown exception's request, in order (RequestService::attachmentsOf): listed with
    // name, type and size; the chosen one is shown in place (the first at first). None: an exception that
    // names an address, or no attachment, shows the list hidden.
    void showAttachments(const QList<AttachmentContent>& files);
    QListWidget* attachmentList() const { return m_files; }
    // The target's latest assessment by the scoring engine and the replay of its history with and without
    // the waiver; read separately, since a long history takes a moment.
    void showRisk(const RiskException& exception, const TargetRisk& risk);
    // Who works on the shown exception, whether it is past its SLA, and the latest changes of its assignment.
    void showAssignment(const Assignment& assignment, const QList<AssignmentEvent>& history, bool pastSla,
                        qint64 slaMinutes);
    void showRiskLoading();
    // The exception's comment thread and whom a new comment may mention.
    void showComments(const QList<ExceptionComment>& comments, const QStringList& mentionable);
    CommentThreadView* commentThread() const { return m_comments; }
    // A comment on recordId was stored: the draft kept for it, if the user moved on meanwhile, is dropped.
    void forgetCommentDraft(const QString& recordId, const QString& sentText);
    void clear();
    // A line above the actions: a refusal (error) or what just happened.
    void showMessage(const QString& message, bool error);

    QString recordId() const { return m_exception ? m_exception->recordId : QString(); }
    const std::optional<RiskException>& exception() const { return m_exception; }
    // Whether the signed-in user may approve or reject the exception shown, as the state machine says, and
    // the exception has been on screen for kSettleMs.
    bool canDecide() const { return m_canDecide; }
    // A or R was pressed and did nothing: says why on the message line (the exception has only just come up,
    // or the state machine refuses this user's decision on it), instead of leaving the key unanswered.
    void explainNoDecision();
    // A newly shown exception's pause before it can be decided is running.
    bool isSettling() const;
    // A decision is being written (it may wait for another writer): the buttons are off until it is done,
    // so that nothing pressed meanwhile is dropped unseen or taken for the exception still shown.
    void setRecording(bool recording);

    // A newly shown exception can be decided after this long: a held or double-tapped key (or a double click
    // on Approve) must not decide the row that the previous decision brought up, unseen. A reviewer reads for
    // far longer than this before deciding, so it never holds them up.
    static constexpr int kSettleMs = 400;

Q_SIGNALS:
    void approveRequested();
    void rejectRequested();
    void withdrawRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // The file list's rows shortened in the middle to its width (whole in their accessible text).
    void elideFileNames();
    void showTimes();
    void updateActions();
    // "Decides next": ExceptionDecision::nextDecider of the exception and its assignment.
    void showDecidesNext();
    // The rule's diagram in a window of its own, as large as the screen allows.
    void openLargeDiagram();
    QLabel* addField(const QString& label, const QString& objectName);
    // The address the viewer shows: the chosen file of the list, else the exception's attachment_url.
    QString shownAttachmentUrl() const;
    // Comment drafts are kept per tenant and exception.
    QString draftKey(const QString& recordId) const;

    Session m_session;
    QStringList m_approverPool;
    std::optional<RiskException> m_exception;
    QDateTime m_now = QDateTime::currentDateTimeUtc();
    QString m_assigneeId; // of the exception shown (showAssignment); the state machine reads it
    bool m_assigneeEscalated = false;
    std::optional<Rule> m_rule;
    bool m_canDecide = false;
    bool m_recording = false;
    bool m_backendSet = false;
    QTimer* m_settle;               // running while a newly shown exception is not yet decidable
    bool m_settleExplained = false; // the message line says why a key waited; cleared when the wait ends

    QLabel* m_title;
    QLabel* m_subtitle;
    QFormLayout* m_form;
    QLabel* m_status;
    QLabel* m_applicant;
    QLabel* m_applied;
    QLabel* m_target;
    QLabel* m_rule_;
    QLabel* m_window;
    QLabel* m_category;
    QLabel* m_justification;
    QLabel* m_attachment;
    QListWidget* m_files; // the request's files; the current one is in m_attachmentView
    AttachmentView* m_attachmentView;
    QLabel* m_approver;
    QLabel* m_assignment;
    QLabel* m_risk;
    QLabel* m_impact;
    QLabel* m_rejection;
    QLabel* m_version;
    WrappingLabel* m_timeline; // the request, then each step, a line each
    CommentThreadView* m_comments;
    QLabel* m_flowCaption;
    FlowDiagramView* m_flow;
    QLabel* m_message;
    QLabel* m_hint;
    QPushButton* m_approve;
    QPushButton* m_reject;
    QPushButton* m_withdraw;
};

} // namespace riskdesk
