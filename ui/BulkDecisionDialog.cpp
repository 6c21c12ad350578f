#include "BulkDecisionDialog.h"

#include "RejectDialog.h"
#include "domain/TextRules.h"
#include "store/BulkDecisionPlan.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

BulkDecisionDialog::BulkDecisionDialog(DecisionAction action, const BulkDecisionPlan& plan, QWidget* parent)
    : QDialog(parent), m_action(action) {
    setObjectName(u"bulkDecisionDialog"_s);
    const int count = int(plan.size());
    setWindowTitle(action == DecisionAction::Reject ? tr("Reject %n exception(s)", nullptr, count)
                                                    : tr("Approve %n exception(s)", nullptr, count));
    new QVBoxLayout(this);
    addSummary(plan);
    // No reason to ask for when the rules refuse every one (helper-77: "Reject 0" still asked for one).
    if (action == DecisionAction::Reject && !m_nothingToDo)
        addReason();
    if (!m_reason) // no editor to take the room: the words stay together, the buttons under them
        static_cast<QVBoxLayout*>(layout())->addStretch(1);
    addButtons(plan.foreseenDecided());
    // An approval is as tall as its words (helper-84: a fixed height spread bands of space between the
    // lines); a rejection leaves room to write the reason.
    const int width = 520;
    resize(width,
           m_reason ? 460
                    : std::max(layout()->totalHeightForWidth(width), layout()->totalMinimumSize().height()));
}

void BulkDecisionDialog::addSummary(const BulkDecisionPlan& plan) {
    auto* layout = static_cast<QVBoxLayout*>(this->layout());
    // What will be decided: the exceptions the rules will refuse are counted on their own, below.
    const int count = int(plan.foreseenDecided());
    auto* summary = new QLabel(
        m_action == DecisionAction::Reject
            ? tr("%n exception(s) will be rejected, each on its own: any the rules refuse are listed "
                 "afterwards with the reason.",
                 nullptr, count)
            : tr("%n exception(s) will be approved, each on its own: any the rules refuse are listed "
                 "afterwards with the reason.",
                 nullptr, count));
    summary->setObjectName(u"bulkSummary"_s);
    summary->setWordWrap(true);
    layout->addWidget(summary);

    auto* rulesTitle = new QLabel(tr("By rule:"));
    rulesTitle->setVisible(!plan.perRule.isEmpty());
    layout->addWidget(rulesTitle);
    auto* rules = new QListWidget;
    rules->setObjectName(u"bulkRules"_s);
    rules->setAccessibleName(tr("Exceptions by rule"));
    for (const BulkRuleCount& r : plan.perRule)
        rules->addItem(tr("%1: %n exception(s)", nullptr, int(r.count)).arg(r.ruleName));
    // Fixed: an error line shown later must not squeeze the list behind a scroll bar (helper-68).
    rules->setFixedHeight(rules->sizeHintForRow(0) * std::min<int>(8, std::max<int>(2, rules->count())) + 8);
    rules->setVisible(!plan.perRule.isEmpty());
    layout->addWidget(rules);

    if (m_action == DecisionAction::Approve && plan.firstSteps > 0) {
        auto* firstSteps = new QLabel(tr("%n of them need two approvals: this is their first step, and a "
                                         "second approver must still approve them.",
                                         nullptr, int(plan.firstSteps)));
        firstSteps->setObjectName(u"bulkFirstSteps"_s);
        firstSteps->setWordWrap(true);
        layout->addWidget(firstSteps);
    }
    addForeseenRefusals(plan);
}

QString BulkDecisionDialog::foreseen(RefusalCode code, qint64 count) {
    const int n = int(count);
    switch (code) {
    case RefusalCode::NotPending:
        return tr("%n of them are no longer pending.", nullptr, n);
    case RefusalCode::WindowEnded:
        return tr("%n of them have a validity window that has ended: they are closed automatically instead.",
                  nullptr, n);
    case RefusalCode::OwnRequest:
        return tr("%n of them are your own requests: another approver must decide them.", nullptr, n);
    case RefusalCode::AlreadyActed:
        return tr("%n of them you have already acted on: their next step needs a different approver.",
                  nullptr, n);
    case RefusalCode::NotCurrentApprover:
        return tr("%n of them are routed to another approver, who alone can decide them now.", nullptr, n);
    case RefusalCode::AssignedToAnother:
        return tr("%n of them are assigned to another approver: claim them first to decide them.", nullptr,
                  n);
    case RefusalCode::NotAnApprover:
        return tr("%n of them need an approver; you are not signed in as one.", nullptr, n);
    case RefusalCode::ReasonRequired:
    case RefusalCode::NotApplicant:
    case RefusalCode::InvalidText:
    case RefusalCode::CommentTooLong:
        break;
    }
    return tr("%n of them for another reason of the rules.", nullptr, n);
}

void BulkDecisionDialog::addForeseenRefusals(const BulkDecisionPlan& plan) {
    const qint64 refused = plan.foreseenRefused();
    if (refused == 0)
        return;
    auto* layout = static_cast<QVBoxLayout*>(this->layout());
    // Said before the approver confirms, so the result holds no surprise; each is still tried on its own.
    QStringList lines;
    for (const BulkRefusalCount& r : plan.foreseenRefusals)
        lines << u"• "_s + foreseen(r.code, r.count);
    const QString heading =
        refused == plan.size()
            ? (m_action == DecisionAction::Reject ? tr("None of them can be rejected by you now:")
                                                  : tr("None of them can be approved by you now:"))
            : tr("The rules will refuse %n of them:", nullptr, int(refused));
    auto* label = new QLabel(heading + u"\n"_s + lines.join(u"\n"_s));
    label->setObjectName(u"bulkForeseenRefusals"_s);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setStyleSheet(u"color: #b45309;"_s);
    layout->addWidget(label);
    m_nothingToDo = refused == plan.size();
}

void BulkDecisionDialog::addReason() {
    auto* layout = static_cast<QVBoxLayout*>(this->layout());
    auto* prompt = new QLabel(tr("Why are they rejected? Every one of them gets this reason; the applicants "
                                 "and the auditors will read it (at most %1 characters).")
                                  .arg(TextRules::kMaxCommentCharacters));
    prompt->setWordWrap(true);
    layout->addWidget(prompt);
    m_reason = new QPlainTextEdit;
    m_reason->setObjectName(u"bulkReason"_s);
    m_reason->setAccessibleName(tr("Rejection reason"));
    m_reason->setTabChangesFocus(true);
    layout->addWidget(m_reason);
    m_error = new QLabel;
    m_error->setObjectName(u"bulkError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b91c1c;"_s);
    m_error->setVisible(false);
    layout->addWidget(m_error);
    connect(m_reason, &QPlainTextEdit::textChanged, this, [this] { m_error->setVisible(false); });
    // Typing goes into the reason at once, as in the one-exception dialog (helper-77: the keys moved the
    // highlight of the list by rule, and Ctrl+Return then said the reason was missing).
    m_reason->setFocus();
}

void BulkDecisionDialog::addButtons(qint64 count) {
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(u"bulkConfirm"_s);
    ok->setText(m_action == DecisionAction::Reject ? tr("Reject %n", nullptr, int(count))
                                                   : tr("Approve %n", nullptr, int(count)));
    ok->setToolTip(tr("Ctrl+Return"));
    ok->setEnabled(count > 0 && !m_nothingToDo);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(u"bulkCancel"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &BulkDecisionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &BulkDecisionDialog::reject);
    layout()->addWidget(buttons);
    auto* confirm = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(confirm, &QShortcut::activated, ok, &QPushButton::click); // nothing when the button is off
}

QString BulkDecisionDialog::reason() const {
    return m_reason ? TextRules::trimmed(m_reason->toPlainText()) : QString();
}

QString BulkDecisionDialog::typedText() const {
    return m_reason ? m_reason->toPlainText() : QString();
}

void BulkDecisionDialog::restoreDraft(const QString& text) {
    if (m_reason)
        RejectDialog::showKeptReason(m_reason, m_error, text);
}

void BulkDecisionDialog::accept() {
    if (m_reason) {
        QString problem;
        if (TextRules::isBlank(reason())) // the rule the server applies, not only ASCII spaces
            problem = tr("A rejection needs a reason. Say what is missing or wrong.");
        else if (const auto control = TextRules::firstControl(reason()))
            problem = tr("The reason contains %1, which cannot be stored. Remove it.")
                          .arg(TextRules::describe(*control));
        else if (const qsizetype length = TextRules::characterCount(reason());
                 length > TextRules::kMaxCommentCharacters)
            problem = tr("The reason has %1 characters; at most %2 are allowed. Shorten it.")
                          .arg(length)
                          .arg(TextRules::kMaxCommentCharacters);
        if (!problem.isEmpty()) {
            m_error->setText(problem);
            m_error->setStyleSheet(u"color: #b91c1c;"_s); // after the grey note of a restored draft
            m_error->setVisible(true);
            m_reason->setFocus();
            return;
        }
    }
    QDialog::accept();
}

} // namespace riskdesk
