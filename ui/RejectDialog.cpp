#include "RejectDialog.h"

#include "domain/TextRules.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTextCursor>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
const QString kErrorStyle = u"color: #b91c1c;"_s;
}

RejectDialog::RejectDialog(const QString& recordId, QWidget* parent) : QDialog(parent), m_recordId(recordId) {
    setObjectName(u"rejectDialog"_s);
    setWindowTitle(tr("Reject %1").arg(recordId));
    auto* layout = new QVBoxLayout(this);
    auto* prompt = new QLabel(tr("Why is %1 rejected? The applicant and the auditors will read this "
                                 "(at most %2 characters). Ctrl+Return rejects.")
                                  .arg(recordId)
                                  .arg(TextRules::kMaxCommentCharacters));
    prompt->setWordWrap(true);
    layout->addWidget(prompt);

    m_reason = new QPlainTextEdit;
    m_reason->setObjectName(u"rejectReason"_s);
    m_reason->setAccessibleName(tr("Rejection reason"));
    m_reason->setPlaceholderText(tr("e.g. The attachment does not explain the route through Nanjing."));
    m_reason->setTabChangesFocus(true);
    layout->addWidget(m_reason);
    // The count as it is typed: the limit was only met on Reject, after a long reason (helper-80).
    m_count = new QLabel;
    m_count->setObjectName(u"rejectCount"_s);
    m_count->setAlignment(Qt::AlignRight);
    layout->addWidget(m_count);

    m_error = new QLabel;
    m_error->setObjectName(u"rejectError"_s);
    m_error->setWordWrap(true); // a long message wraps; it widened the dialog over the panel (helper-68)
    m_error->setStyleSheet(kErrorStyle);
    m_error->setVisible(false);
    layout->addWidget(m_error);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Reject"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(u"rejectConfirm"_s);
    m_confirm = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &RejectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RejectDialog::reject);
    layout->addWidget(buttons);
    connect(m_reason, &QPlainTextEdit::textChanged, this, [this] {
        m_error->setVisible(m_decidedElsewhere);
        showCount();
    });
    showCount();
    // Return writes a new line in the reason; Ctrl+Return confirms, so the keyboard alone finishes the job.
    auto* confirm = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(confirm, &QShortcut::activated, this, &RejectDialog::accept);
    buttons->button(QDialogButtonBox::Ok)->setToolTip(tr("Ctrl+Return"));
    resize(460, 240);
}

void RejectDialog::showCount() {
    const qsizetype length = TextRules::characterCount(reason());
    m_count->setText(tr("%1 of %2 characters").arg(length).arg(TextRules::kMaxCommentCharacters));
    m_count->setStyleSheet(length > TextRules::kMaxCommentCharacters ? kErrorStyle : u"color: #6b7280;"_s);
}

QString RejectDialog::reason() const {
    return TextRules::trimmed(m_reason->toPlainText());
}

QString RejectDialog::typedText() const {
    return m_reason->toPlainText();
}

void RejectDialog::restoreDraft(const QString& text) {
    showKeptReason(m_reason, m_error, text);
}

void RejectDialog::showKeptReason(QPlainTextEdit* reason, QLabel* note, const QString& text) {
    if (text.isEmpty())
        return;
    reason->setPlainText(text);
    reason->moveCursor(QTextCursor::End);
    note->setText(tr("Your earlier reason, not sent yet."));
    note->setStyleSheet(u"color: #6b7280;"_s); // a note, not an error
    note->setVisible(true);
}

void RejectDialog::showDecidedElsewhere(const QString& message) {
    m_decidedElsewhere = true;
    m_error->setStyleSheet(kErrorStyle);
    m_error->setText(message);
    m_error->setVisible(true);
    m_confirm->setEnabled(false);
}

void RejectDialog::accept() {
    if (m_decidedElsewhere)
        return;
    if (TextRules::isBlank(reason())) { // the rule the server applies, not only ASCII spaces
        m_error->setStyleSheet(kErrorStyle);
        m_error->setText(tr("A rejection needs a reason. Say what is missing or wrong."));
        m_error->setVisible(true);
        m_reason->setFocus();
        return;
    }
    // Refused here, where the text can be fixed, as the bulk dialog does: an invisible bidirectional override
    // closed the dialog and was refused after it, the reason kept with no word of why (helper-90).
    if (const auto control = TextRules::firstControl(reason())) {
        m_error->setStyleSheet(kErrorStyle);
        m_error->setText(tr("The reason contains %1, which cannot be stored. Remove it.")
                             .arg(TextRules::describe(*control)));
        m_error->setVisible(true);
        m_reason->setFocus();
        return;
    }
    if (const qsizetype length = TextRules::characterCount(reason());
        length > TextRules::kMaxCommentCharacters) { // the server refuses it too
        m_error->setStyleSheet(kErrorStyle);
        m_error->setText(tr("The reason has %1 characters; at most %2 are allowed. Shorten it.")
                             .arg(length)
                             .arg(TextRules::kMaxCommentCharacters));
        m_error->setVisible(true);
        m_reason->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace riskdesk
