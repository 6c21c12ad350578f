#include "ExceptionDetailPanel.h"

#include "AttachmentView.h"
#include "CommentThreadView.h"
#include "FlowDiagramView.h"
#include "WrappingLabel.h"
#include "domain/ExceptionDecision.h"
#include "domain/ExceptionValidator.h"
#include "domain/LogActionText.h"
#include "domain/SlaTarget.h"
#include "domain/SystemComment.h"
#include "domain/TimeText.h"
#include "engine/AssessmentText.h"
#include "flow/FlowSpecBuilder.h"
#include "item/QueueFormatting.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QTimeZone>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Why this user cannot decide the exception shown: quiet beside the buttons, raised when A or R is pressed.
const QString kHintStyle = u"color: palette(mid);"_s;
const QString kRaisedHintStyle = u"color: #b91c1c; font-weight: bold;"_s;

QString when(const QDateTime& t) {
    return TimeText::minutes(t);
}

QString stepText(const ApprovalStep& s) {
    const QString action = s.action == u"approve" && s.step > 0
                               ? ExceptionDetailPanel::tr("Approved (step %1)").arg(s.step)
                               : LogActionText::label(s.action); // as the approval log says it
    QString text = ExceptionDetailPanel::tr("%1 · %2 by %3")
                       .arg(when(s.timestamp), action, SystemComment::actorName(s.approverId));
    if (!s.comment.isEmpty())
        text += u"\n    "_s + SystemComment::display(s.approverId, s.action, s.comment);
    return text;
}

} // namespace

ExceptionDetailPanel::ExceptionDetailPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(u"exceptionDetail"_s);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(12, 8, 12, 8);

    m_title = new QLabel;
    m_title->setObjectName(u"detailTitle"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    m_title->setFont(big);
    outer->addWidget(m_title);
    m_subtitle = new QLabel;
    m_subtitle->setWordWrap(true);
    m_subtitle->setStyleSheet(u"color: palette(mid);"_s);
    outer->addWidget(m_subtitle);

    auto* scroll = new QScrollArea;
    scroll->setObjectName(u"detailScroll"_s);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* body = new QWidget;
    auto* bodyLayout = new QVBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    bodyLayout->addLayout(m_form);
    m_status = addField(tr("Status"), u"detailStatus"_s);
    m_applicant = addField(tr("Applicant"), u"detailApplicant"_s);
    m_applied = addField(tr("Applied"), u"detailApplied"_s);
    m_target = addField(tr("Target"), u"detailTarget"_s);
    m_rule_ = addField(tr("Rule"), u"detailRule"_s);
    m_window = addField(tr("Valid"), u"detailWindow"_s);
    m_window->setTextFormat(Qt::RichText); // red when the window ends soon
    m_category = addField(tr("Reason category"), u"detailCategory"_s);
    m_justification = addField(tr("Justification"), u"detailJustification"_s);
    m_attachment = addField(tr("Attachment"), u"detailAttachment"_s);
    m_attachment->setTextFormat(Qt::RichText); // a link, its parts escaped
    m_attachment->setOpenExternalLinks(true);
    m_attachment->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_approver = addField(tr("Decides next"), u"detailApprover"_s);
    m_assignment = addField(tr("Assignment"), u"detailAssignment"_s);
    m_assignment->setWordWrap(true);
    m_risk = addField(tr("Current risk"), u"detailRisk"_s);
    m_impact = addField(tr("If approved"), u"detailImpact"_s);
    m_rejection = addField(tr("Rejection reason"), u"detailRejection"_s);
    m_version = addField(tr("Version"), u"detailVersion"_s);

    m_files = new QListWidget;
    m_files->setObjectName(u"detailAttachmentFiles"_s);
    m_files->setAccessibleName(tr("Files of the request"));
    m_files->setToolTip(tr("Choose a file to show it below (arrow keys move between them)"));
    m_files->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_files->setUniformItemSizes(true);
    // A long name is shortened in its middle (whole in the tooltip) rather than given a horizontal scroll bar
    // over the last row of a list that is as tall as its rows.
    m_files->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_files->viewport()->installEventFilter(this); // its width, once laid out or dragged, shortens the names
    m_files->setVisible(false);
    bodyLayout->addWidget(m_files);
    connect(m_files, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_attachmentView->showAttachment(m_files->item(row)->data(Qt::UserRole).toString());
    });

    m_attachmentView = new AttachmentView;
    m_attachmentView->setMinimumHeight(240);
    bodyLayout->addWidget(m_attachmentView);

    m_flowCaption = new QLabel;
    m_flowCaption->setObjectName(u"detailFlowCaption"_s);
    m_flowCaption->setWordWrap(true);
    bodyLayout->addWidget(m_flowCaption);
    m_flow = new FlowDiagramView;
    m_flow->setObjectName(u"detailFlow"_s);
    m_flow->setFitsWidth(true); // readable text in a narrow panel; a click opens it large
    bodyLayout->addWidget(m_flow);
    connect(m_flow, &FlowDiagramView::clicked, this, &ExceptionDetailPanel::openLargeDiagram);

    auto* timelineTitle = new QLabel(tr("Approval chain"));
    QFont bold = timelineTitle->font();
    bold.setBold(true);
    timelineTitle->setFont(bold);
    bodyLayout->addWidget(timelineTitle);
    // As tall as its steps: a list box of its own height scrolled inside the panel, which scrolls too
    // (helper-80), and a rejection's long reason was read through a slot of two lines.
    m_timeline = new WrappingLabel;
    m_timeline->setObjectName(u"detailTimeline"_s);
    m_timeline->setAccessibleName(tr("Approval chain"));
    m_timeline->setTextFormat(Qt::PlainText);
    m_timeline->setWordWrap(true);
    m_timeline->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_timeline->setFrameShape(QFrame::StyledPanel);
    m_timeline->setMargin(4);
    m_timeline->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    bodyLayout->addWidget(m_timeline);
    m_comments = new CommentThreadView;
    bodyLayout->addWidget(m_comments);
    bodyLayout->addStretch(1); // a short exception's fields stay together at the top
    scroll->setWidget(body);
    outer->addWidget(scroll, 1);

    m_message = new QLabel;
    m_message->setObjectName(u"detailMessage"_s);
    m_message->setWordWrap(true);
    m_message->setVisible(false);
    outer->addWidget(m_message);
    m_hint = new QLabel;
    m_hint->setObjectName(u"detailHint"_s);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(kHintStyle);
    outer->addWidget(m_hint);

    auto* actions = new QHBoxLayout;
    m_approve = new QPushButton(tr("&Approve"));
    m_approve->setObjectName(u"approveButton"_s);
    m_approve->setToolTip(tr("Approve the exception (A, or Ctrl+Return)"));
    m_reject = new QPushButton(tr("&Reject…"));
    m_reject->setObjectName(u"rejectButton"_s);
    m_reject->setToolTip(tr("Reject with a reason (R, or Ctrl+Shift+Return)"));
    m_withdraw = new QPushButton(tr("&Withdraw"));
    m_withdraw->setObjectName(u"withdrawButton"_s);
    m_withdraw->setToolTip(tr("Withdraw your own request"));
    // Tab reaches them, a click does not take the keyboard: the queue keeps it, so the next ↓ or A after a
    // click on Approve acts on the queue, not on whatever the focus fell to when the button went off
    // (helper-96: the tenant switcher, where ↓ changed the tenant).
    for (QPushButton* button : {m_approve, m_reject, m_withdraw})
        button->setFocusPolicy(Qt::TabFocus);
    actions->addWidget(m_withdraw);
    actions->addStretch(1);
    actions->addWidget(m_reject);
    actions->addWidget(m_approve);
    outer->addLayout(actions);
    connect(m_approve, &QPushButton::clicked, this, &ExceptionDetailPanel::approveRequested);
    connect(m_reject, &QPushButton::clicked, this, &ExceptionDetailPanel::rejectRequested);
    connect(m_withdraw, &QPushButton::clicked, this, &ExceptionDetailPanel::withdrawRequested);
    m_settle = new QTimer(this);
    m_settle->setSingleShot(true);
    // Precise: a coarse timer may fire up to 5% early, and the pause is a promise of at least kSettleMs.
    m_settle->setTimerType(Qt::PreciseTimer);
    m_settle->setInterval(kSettleMs);
    connect(m_settle, &QTimer::timeout, this, [this] {
        if (m_settleExplained) {
            m_settleExplained = false;
            m_message->setVisible(false);
        }
        updateActions();
    });
    clear();
}

QLabel* ExceptionDetailPanel::addField(const QString& label, const QString& objectName) {
    auto* value = new QLabel;
    value->setObjectName(objectName);
    // Plain unless a field says otherwise: the values are what people typed, and a reason written as
    // "<b>…</b>" must read as written, not as markup.
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_form->addRow(label, value);
    return value;
}

void ExceptionDetailPanel::setSession(const Session& session) {
    // One person's unsent comments are never offered to the next one signed in, nor to another workspace.
    if (session.userId != m_session.userId || session.workspacePath != m_session.workspacePath)
        m_comments->forgetDrafts();
    m_session = session;
    updateActions();
}

void ExceptionDetailPanel::setApproverPool(const QStringList& approvers) {
    m_approverPool = approvers;
}

void ExceptionDetailPanel::setAttachmentService(AttachmentService* service) {
    m_attachmentView->setService(service);
}

void ExceptionDetailPanel::clear() {
    m_exception.reset();
    m_assigneeId.clear();
    m_assigneeEscalated = false;
    m_rule.reset();
    m_title->setText(tr("No exception selected"));
    m_subtitle->setText(tr("Select a row in the queue to see the request and decide it."));
    for (QLabel* l :
         {m_status, m_applicant, m_applied, m_target, m_rule_, m_window, m_category, m_justification,
          m_attachment, m_approver, m_assignment, m_risk, m_impact, m_rejection, m_version})
        l->clear();
    m_timeline->clear();
    m_comments->switchDraftTo({}); // kept for when that exception is shown again
    m_comments->clear();
    m_comments->setVisible(false);
    {
        const QSignalBlocker quiet(m_files);
        m_files->clear();
    }
    m_files->setVisible(false);
    m_attachmentView->clear();
    m_attachmentView->setMinimumHeight(0);
    m_flow->clear();
    m_flowCaption->clear();
    m_message->setVisible(false);
    updateActions();
}

bool ExceptionDetailPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_files->viewport() && event->type() == QEvent::Resize)
        elideFileNames();
    return QWidget::eventFilter(watched, event);
}

void ExceptionDetailPanel::elideFileNames() {
    // A list view clips a row wider than itself rather than eliding it.
    const int width = m_files->viewport()->width() - 8;
    for (int i = 0; i < m_files->count(); ++i) {
        QListWidgetItem* item = m_files->item(i);
        const QString text = m_files->fontMetrics().elidedText(item->data(Qt::AccessibleTextRole).toString(),
                                                               Qt::ElideMiddle, width);
        if (item->text() != text)
            item->setText(text);
    }
}

QString ExceptionDetailPanel::draftKey(const QString& recordId) const {
    return UnsentDrafts::key(m_session.tenantId, recordId);
}

void ExceptionDetailPanel::forgetCommentDraft(const QString& recordId, const QString& sentText) {
    m_comments->dropDraft(draftKey(recordId), sentText);
}

QString ExceptionDetailPanel::shownAttachmentUrl() const {
    if (const QListWidgetItem* chosen = m_files->currentItem())
        return chosen->data(Qt::UserRole).toString();
    return m_exception ? m_exception->attachmentUrl : QString();
}

void ExceptionDetailPanel::showAttachments(const QList<AttachmentContent>& files) {
    const QString chosen = m_files->currentItem() ? shownAttachmentUrl() : QString();
    {
        const QSignalBlocker quiet(m_files);
        m_files->clear();
        const QLocale locale;
        for (const AttachmentContent& f : files) {
            const QString text =
                tr("%1 — %2, %3").arg(f.fileName, f.mimeType, locale.formattedDataSize(f.sizeBytes));
            auto* item = new QListWidgetItem(text, m_files);
            item->setData(Qt::UserRole, f.url.toString());
            item->setData(Qt::AccessibleTextRole, text);
            item->setToolTip(text + u'\n' + f.url.toString());
        }
        int row = 0;
        for (int i = 0; i < m_files->count(); ++i)
            if (m_files->item(i)->data(Qt::UserRole).toString() == chosen)
                row = i;
        if (m_files->count() > 0)
            m_files->setCurrentRow(row);
    }
    m_files->setVisible(!files.isEmpty());
    elideFileNames();
    // As tall as its files, up to six: the list's own size hint left a box of empty rows under one file.
    if (m_files->count() > 0)
        m_files->setFixedHeight(m_files->sizeHintForRow(0) * std::min(m_files->count(), 6) +
                                2 * m_files->frameWidth());
    if (!files.isEmpty()) {
        m_attachment->setText(tr("%n file(s)", nullptr, int(files.size())));
        m_attachment->setToolTip({});
    }
    if (!files.isEmpty()) {
        m_attachmentView->setMinimumHeight(240);
        m_attachmentView->showAttachment(shownAttachmentUrl());
    }
}

void ExceptionDetailPanel::setNow(const QDateTime& now) {
    m_now = now;
    if (m_exception)
        showTimes();
}

// The times that move with the clock, at the queue's own "now": the table and the panel said 24 and 23 hours
// of the same exception, one red and one not, when each read the clock itself (helper-80).
void ExceptionDetailPanel::showTimes() {
    const RiskException& e = *m_exception;
    m_applied->setText(tr("%1 (%2 ago)").arg(when(e.applyTime), QueueFormatting::age(e.applyTime, m_now)));
    QString window = tr("%1 → %2").arg(when(e.validStartTime), when(e.validEndTime));
    if (e.status == ExceptionStatus::Pending)
        window += u" · "_s + QueueFormatting::timeToExpiry(e.validEndTime, m_now);
    // Bold red when it ends soon: markup of Riskdesk's own around escaped text.
    const bool soon =
        e.status == ExceptionStatus::Pending && QueueFormatting::expiringSoon(e.validEndTime, m_now);
    m_window->setText(soon ? u"<b style='color:#dc2626'>%1</b>"_s.arg(window.toHtmlEscaped())
                           : window.toHtmlEscaped());
}

void ExceptionDetailPanel::showException(const RiskException& e, const std::optional<Rule>& rule) {
    const bool same = m_exception && m_exception->recordId == e.recordId;
    // A message about the exception as it was ("step 1 recorded") is stale once it has changed again; the
    // caller that changed it shows its own message after this.
    if (same && m_exception->version != e.version) {
        m_message->setVisible(false);
        m_settleExplained = false;
    }
    m_exception = e;
    m_rule = rule;
    if (!same) {
        const QSignalBlocker quiet(m_files); // the list of another exception's files
        m_files->clear();
        m_files->setVisible(false);
        m_message->setVisible(false);
        m_settleExplained = false;
        m_assigneeId.clear(); // another exception's; its own comes with showAssignment
        m_assigneeEscalated = false;
        m_hint->setStyleSheet(kHintStyle);
        m_comments->switchDraftTo(
            draftKey(e.recordId)); // a draft belongs to the exception it was written for
        m_settle->start();         // the decisions wait until this exception has been on screen for a moment
        // Another exception starts at its top: the previous one's scroll left its status and applicant out of
        // sight (helper-90).
        if (auto* scroll = findChild<QScrollArea*>(u"detailScroll"_s))
            scroll->verticalScrollBar()->setValue(0);
    }
    m_title->setText(e.recordId);
    m_subtitle->setText(rule ? tr("%1 · %2").arg(rule->name, displayName(rule->severity)) : e.riskRuleId);
    QString status = displayName(e.status);
    if (e.status == ExceptionStatus::Pending && e.approvalsRecorded() > 0)
        status = tr("%1 — step %2 of 2").arg(status).arg(e.approvalsRecorded() + 1);
    if (e.autoRejected)
        status += tr(" (automatically)");
    m_status->setText(status);
    m_applicant->setText(e.applicantId);
    showTimes();
    m_target->setText(tr("%1 %2").arg(displayName(e.targetType), e.targetId));
    m_rule_->setText(rule
                         ? tr("%1 — %2; needs %n approval(s)", nullptr, requiredApprovalSteps(rule->severity))
                               .arg(rule->ruleId, displayName(rule->severity))
                         : tr("%1 (not in this workspace)").arg(e.riskRuleId));
    m_category->setText(e.reasonCategory);
    m_justification->setText(e.justification);
    if (e.attachmentUrl.isEmpty()) {
        m_attachment->setText(tr("none"));
        m_attachment->setToolTip({});
    } else if (ExceptionValidator::isFiledAttachmentUrl(e.attachmentUrl)) {
        // Kept in the workspace: no address to open elsewhere, and its hash means nothing to a reader. The
        // count replaces this once the request's files are listed.
        m_attachment->setText(m_files->count() > 0 ? tr("%n file(s)", nullptr, m_files->count())
                                                   : tr("filed with the request"));
        m_attachment->setToolTip({});
    } else {
        const QUrl url(e.attachmentUrl);
        m_attachment->setText(u"<a href=\"%1\">%2</a>"_s.arg(url.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                                             url.fileName().toHtmlEscaped()));
        m_attachment->setToolTip(e.attachmentUrl);
    }
    m_attachmentView->setMinimumHeight(e.attachmentUrl.isEmpty() ? 0 : 240);
    m_attachmentView->showAttachment(shownAttachmentUrl()); // the same address again keeps what is shown
    showDecidesNext();
    if (!same || m_flow->isEmpty()) { // the rule as drawn; the case's path comes with the target's risk
        if (rule) {
            m_flow->setSpec(FlowSpecBuilder::build(rule->payload));
            m_flowCaption->setText(tr("<b>Rule flow</b> · click the diagram to enlarge it"));
        } else {
            m_flow->clear();
            m_flowCaption->clear();
        }
    }
    if (!same) { // the target's risk is read next; until then show nothing stale
        m_risk->clear();
        m_impact->clear();
        m_form->setRowVisible(m_risk, false);
    }
    // The replay is a question only while the exception can still be approved; once approved it says what the
    // waiver lets through, and a request rejected or withdrawn waives nothing.
    const bool waiver = e.status == ExceptionStatus::Approved || e.status == ExceptionStatus::Expired;
    if (auto* label = qobject_cast<QLabel*>(m_form->labelForField(m_impact)))
        label->setText(waiver ? tr("What it waives") : tr("If approved"));
    m_form->setRowVisible(m_impact, waiver || e.status == ExceptionStatus::Pending);
    m_rejection->setText(
        e.rejectionReason.isEmpty() ? QString(QChar(0x2014))
        : e.autoRejected
            ? SystemComment::display(SystemComment::actorId(),
                                     SystemComment::action(SystemComment::Code::WindowEndedUndecided),
                                     e.rejectionReason)
            : e.rejectionReason);
    m_version->setText(QString::number(e.version));

    QStringList steps{tr("%1 · Requested by %2").arg(when(e.applyTime), e.applicantId)};
    for (const ApprovalStep& s : e.approvalChainLog)
        steps << stepText(s);
    m_timeline->setText(steps.join(u'\n'));
    updateActions();
}

void ExceptionDetailPanel::showComments(const QList<ExceptionComment>& comments,
                                        const QStringList& mentionable) {
    m_comments->setVisible(true);
    m_comments->setComments(comments);
    m_comments->setMentionable(mentionable);
    if (!m_session.writeRefusal.isEmpty())
        m_comments->setWritable(false, m_session.writeRefusal);
    else if (m_session.role != UserRole::Approver)
        m_comments->setWritable(false, tr("Only approvers comment on exceptions."));
    else
        m_comments->setWritable(true, {});
}

void ExceptionDetailPanel::openLargeDiagram() {
    if (!m_flow->isEmpty())
        m_flow->openEnlarged(tr("Rule flow: %1").arg(m_flow->diagramLayout()->title));
}

void ExceptionDetailPanel::setRecording(bool recording) {
    m_recording = recording;
    updateActions();
}

void ExceptionDetailPanel::showMessage(const QString& message, bool error) {
    m_message->setText(message);
    m_message->setStyleSheet(error ? u"color: #b91c1c; font-weight: bold;"_s : u"color: #15803d;"_s);
    m_message->setVisible(!message.isEmpty());
}

bool ExceptionDetailPanel::isSettling() const {
    return m_settle->isActive();
}

void ExceptionDetailPanel::setBackendSet(bool set) {
    m_backendSet = set;
    m_comments->setBackendSet(set);
}

void ExceptionDetailPanel::explainNoDecision() {
    if (!m_exception || m_canDecide)
        return;
    // A refusal stands whatever the pause: the hint that says it is raised (not repeated on another line).
    if (!m_hint->text().isEmpty()) {
        m_hint->setStyleSheet(kRaisedHintStyle);
        return;
    }
    if (m_settle->isActive()) {
        showMessage(tr("%1 has only just come up: the key was not taken, so that a key pressed twice never "
                       "decides a request nobody has seen. Press it again once you have read it.")
                        .arg(m_exception->recordId),
                    false);
        m_settleExplained = true;
    }
}

void ExceptionDetailPanel::updateActions() {
    if (!m_exception) {
        m_canDecide = false;
        m_approve->setEnabled(false);
        m_reject->setEnabled(false);
        m_withdraw->setVisible(false);
        m_hint->clear();
        return;
    }
    // Ask the state machine itself, so the buttons never promise what a decision would refuse.
    DecisionRequest probe;
    probe.exception = *m_exception;
    probe.severity = m_rule ? m_rule->severity : Severity::High;
    probe.actor = Actor{m_session.userId, m_session.role};
    probe.action = DecisionAction::Approve;
    probe.now = QDateTime::currentDateTimeUtc();
    probe.approverPool = m_approverPool;
    probe.assigneeId = m_assigneeId;
    const DecisionResult approve = ExceptionDecision::decide(probe);
    const auto* refusal = std::get_if<Refusal>(&approve);
    const bool settled = !m_settle->isActive();
    m_canDecide = !refusal && settled && !m_recording;
    m_approve->setEnabled(m_canDecide);
    m_reject->setEnabled(m_canDecide);
    probe.action = DecisionAction::Withdraw;
    const bool canWithdraw = !std::holds_alternative<Refusal>(ExceptionDecision::decide(probe));
    m_withdraw->setVisible(canWithdraw);
    m_withdraw->setEnabled(settled && !m_recording);
    // An applicant who can withdraw sees that button instead of a refusal; an approver looking at their own
    // request is still told why Approve and Reject are off.
    const bool explain = refusal && (!canWithdraw || refusal->code == RefusalCode::OwnRequest);
    QString hint = explain ? refusal->message : QString();
    // The state machine's words are for a decision refused, which rejects it at once; here nothing was
    // decided yet, and "it is rejected automatically" beside a status still pending read as a contradiction
    // (helper-90).
    if (explain && refusal->code == RefusalCode::WindowEnded)
        hint = tr("The validity window ended on %1 without a decision: it can no longer be approved or "
                  "rejected, and is rejected automatically when the queue next closes ended windows.")
                   .arg(TimeText::minutes(m_exception->validEndTime));
    // Someone who may never decide is told that first, whatever the exception's state (helper-97: an auditor
    // read "only pending exceptions can be decided" on a decided one, as if a pending one were theirs).
    if (explain && (refusal->code == RefusalCode::NotPending || refusal->code == RefusalCode::WindowEnded))
        if (const auto role = ExceptionDecision::roleRefusal(probe.actor))
            hint = role->message;
    if (hint != m_hint->text())
        m_hint->setStyleSheet(kHintStyle); // a refusal raised by a key stays raised only while it stands
    m_hint->setText(hint);
    if (!m_session.writeRefusal.isEmpty()) { // a read-only or damaged workspace takes no decision at all
        m_canDecide = false;
        m_approve->setEnabled(false);
        m_reject->setEnabled(false);
        m_withdraw->setVisible(false);
        m_hint->setText(tr("This workspace is read-only: no decisions can be made here."));
    }
}

} // namespace riskdesk

namespace riskdesk {

void ExceptionDetailPanel::showRiskLoading() {
    m_impact->setText(tr("Replaying the target's history…"));
    m_impact->setToolTip({});
}

void ExceptionDetailPanel::showRisk(const RiskException& e, const TargetRisk& risk) {
    // The engine assesses transactions: users, merchants and transactions have a current risk, claims do not.
    m_form->setRowVisible(m_risk, risk.current || e.targetType == TargetType::User ||
                                      e.targetType == TargetType::Merchant ||
                                      e.targetType == TargetType::Transaction);
    if (const auto& a = risk.current) {
        QStringList reasons;
        for (const QString& code : a->reasons)
            reasons << AssessmentText::reason(code);
        QString text = tr("%1 · %2 · %3")
                           .arg(QString::number(a->riskScore, 'g', 4), AssessmentText::level(a->riskLevel),
                                AssessmentText::decision(a->decision));
        if (!reasons.isEmpty())
            text += u"\n"_s + reasons.join(tr(", "));
        m_risk->setText(text);
        const QString at = when(QDateTime::fromMSecsSinceEpoch(a->assessedAtMs, QTimeZone::utc()));
        m_risk->setToolTip(a->sequence > 0
                               ? tr("Latest assessment %1, %2").arg(QString::fromLatin1(a->requestId()), at)
                               : tr("Latest assessed transaction, %1").arg(at));
    } else {
        m_risk->setText(tr("No assessment of %1 in this workspace").arg(e.targetId));
        m_risk->setToolTip({});
    }

    if (risk.latestCase && m_rule) {
        const FlowSpec spec = FlowSpecBuilder::build(m_rule->payload);
        m_flow->setSpec(spec, FlowHighlight::fromEvaluation(spec, *risk.latestCase));
        m_flowCaption->setText(
            tr("<b>Rule flow</b> · the path of the target's latest case, %1: %2 · click the diagram to "
               "enlarge it")
                .arg(risk.latestEventId.toHtmlEscaped(),
                     ImpactPreview::verdictText(
                         risk.latestCase->outcome == RuleEvaluation::Outcome::Hit ? EventVerdict::Review
                         : risk.latestCase->outcome == RuleEvaluation::Outcome::NeedsSupplement
                             ? EventVerdict::NeedsSupplement
                             : EventVerdict::Approve)));
    }

    const QLocale locale;
    auto money = [&](qint64 cents) { return locale.toString(double(cents) / 100.0, 'f', 2); };
    if (!risk.impact) {
        m_impact->setText(risk.impactProblem);
        m_impact->setToolTip({});
        return;
    }
    const ImpactSummary& i = *risk.impact;
    if (i.events == 0) {
        m_impact->setText(
            tr("No recorded history for %1 in this workspace, so nothing to replay").arg(e.targetId));
        m_impact->setToolTip({});
        return;
    }
    QStringList lines;
    lines << tr("%n event(s) on record, %1 in the validity window", nullptr, int(i.events)).arg(i.inWindow);
    if (i.hitsWaived == 0 && i.supplementsWaived == 0)
        lines
            << (e.status == ExceptionStatus::Pending
                    ? tr("The rule holds none of them back in the window: approving changes nothing recorded "
                         "so far")
                    : tr("The rule holds none of them back in the window: the waiver has changed nothing "
                         "recorded so far"));
    else if (i.hitsWaived > 0)
        lines << tr("Waives %n of the rule's hits, %1 in all (largest %2)", nullptr, int(i.hitsWaived))
                     .arg(money(i.amountWaivedCents), money(i.largestWaivedCents));
    if (i.supplementsWaived > 0)
        lines << tr("Lets %n case(s) through that wait for a supplement", nullptr, int(i.supplementsWaived));
    if (i.hitsWaived > 0 || i.supplementsWaived > 0)
        lines << tr("%n decision(s) change", nullptr, int(i.decisionsChanged));
    const int shown = 4;
    for (qsizetype k = 0; k < std::min<qsizetype>(i.changes.size(), shown); ++k) {
        const ImpactChange& c = i.changes.at(k);
        lines << tr("  %1 · %2 · %3 → %4")
                     .arg(when(QDateTime::fromMSecsSinceEpoch(c.occurredAtMs, QTimeZone::utc())),
                          money(c.amountCents), ImpactPreview::verdictText(c.before),
                          ImpactPreview::verdictText(c.after));
    }
    if (i.decisionsChanged > shown)
        lines << tr("  … and %n more", nullptr, int(i.decisionsChanged - shown));
    if (i.hits > i.hitsWaived)
        lines << tr("%n hit(s) outside the window stay held", nullptr, int(i.hits - i.hitsWaived));
    if (i.unreadable > 0)
        lines << tr("%n event(s) could not be read: %1", nullptr, int(i.unreadable)).arg(i.firstProblem);
    m_impact->setText(lines.join(u'\n'));
    QStringList ids;
    for (const ImpactChange& c : i.changes)
        ids << c.eventId;
    m_impact->setToolTip(ids.isEmpty() ? QString() : tr("Changed: %1").arg(ids.join(tr(", "))));
}

void ExceptionDetailPanel::showDecidesNext() {
    if (!m_exception)
        return;
    const QString next = ExceptionDecision::nextDecider(*m_exception, m_assigneeId);
    if (m_exception->status != ExceptionStatus::Pending)
        m_approver->setText(QString(QChar(0x2014)));
    else if (next.isEmpty())
        m_approver->setText(tr("any approver"));
    else if (next == m_assigneeId && m_assigneeEscalated)
        m_approver->setText(tr("%1, escalated").arg(next));
    else
        m_approver->setText(next);
}

void ExceptionDetailPanel::showAssignment(const Assignment& assignment, const QList<AssignmentEvent>& history,
                                          bool pastSla, qint64 slaMinutes) {
    QStringList lines;
    // A second step routed to a named approver is theirs whatever the assignment says (nextDecider): the row
    // says so rather than "nobody" beside buttons that are off for everyone else.
    const QString routed = m_exception && m_exception->status == ExceptionStatus::Pending
                               ? m_exception->currentApproverId
                               : QString();
    QString now;
    if (assignment.assigneeId.isEmpty())
        now = routed.isEmpty() ? tr("nobody")
                               : tr("nobody holds it; its next step is routed to %1").arg(routed);
    else if (!routed.isEmpty() && routed != assignment.assigneeId)
        now = tr("%1, who no longer decides it: its next step is routed to %2")
                  .arg(assignment.assigneeId, routed);
    else
        now = assignment.escalated ? tr("%1, escalated").arg(assignment.assigneeId) : assignment.assigneeId;
    if (pastSla) // a mark and words, never colour alone
        now += u" · \u23F0 "_s + SlaTarget::pastText(slaMinutes);
    lines << now.toHtmlEscaped();
    // The latest changes, newest first: who, when, from whom to whom.
    for (qsizetype i = history.size() - 1; i >= 0 && i >= history.size() - 5; --i) {
        const AssignmentEvent& e = history.at(i);
        QString line =
            tr("%1: %2 %3 it (%4 → %5)")
                .arg(TimeText::minutes(e.at), e.actorId, AssignmentRules::actionName(e.action),
                     e.fromId.isEmpty() ? tr("nobody") : e.fromId, e.toId.isEmpty() ? tr("nobody") : e.toId);
        if (e.syncState == u"waiting" && m_backendSet)
            line += u' ' + tr("(not synced yet)");
        else if (e.syncState == u"refused")
            line += u' ' + tr("(refused by the server: %1)").arg(e.syncError);
        lines << u"<small>"_s + line.toHtmlEscaped() + u"</small>"_s;
    }
    m_assigneeId = assignment.assigneeId;
    m_assigneeEscalated = assignment.escalated;
    showDecidesNext();
    updateActions();
    m_assignment->setTextFormat(Qt::RichText);
    m_assignment->setText(lines.join(u"<br>"_s));
    m_form->setRowVisible(m_assignment, m_exception.has_value());
}

} // namespace riskdesk
