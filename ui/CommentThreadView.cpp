#include "CommentThreadView.h"

#include "CommentInput.h"
#include "domain/CommentText.h"
#include "domain/TextRules.h"
#include "domain/TimeText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

CommentThreadView::CommentThreadView(QWidget* parent) : QWidget(parent) {
    setObjectName(u"commentThreadView"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(tr("Comments"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    m_thread = new QTextBrowser;
    m_thread->setObjectName(u"commentThread"_s);
    m_thread->setAccessibleName(tr("Comments"));
    m_thread->setOpenLinks(false);
    m_thread->setMinimumHeight(90);
    layout->addWidget(m_thread);
    m_input = new CommentInput;
    m_input->setObjectName(u"commentInput"_s);
    m_input->setAccessibleName(tr("New comment"));
    m_input->setPlaceholderText(tr("Add a comment… (@ to mention someone, Ctrl+Enter to send)"));
    m_input->setFixedHeight(m_input->fontMetrics().lineSpacing() * 3 + 12);
    layout->addWidget(m_input);
    auto* row = new QHBoxLayout;
    m_error = new QLabel;
    m_error->setObjectName(u"commentError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b91c1c;"_s);
    m_readOnly = new QLabel;
    m_readOnly->setObjectName(u"commentReadOnly"_s);
    m_readOnly->setWordWrap(true);
    m_readOnly->setStyleSheet(u"color: palette(mid);"_s);
    m_readOnly->setVisible(false);
    m_send = new QPushButton(tr("Send comment"));
    m_send->setObjectName(u"commentSend"_s);
    m_send->setToolTip(tr("Send the comment (Ctrl+Enter)"));
    // The message on a line of its own, the panel's width: beside the button it wrapped into a box one line
    // high, and "this one has 4500" was cut off (helper-80).
    layout->addWidget(m_error);
    m_count = new QLabel;
    m_count->setObjectName(u"commentCount"_s);
    m_count->setVisible(false);
    row->addWidget(m_readOnly, 1);
    row->addStretch();
    row->addWidget(m_count);
    row->addWidget(m_send);
    layout->addLayout(row);
    connect(m_send, &QPushButton::clicked, this, &CommentThreadView::requestSend);
    connect(m_input, &CommentInput::sendRequested, this, &CommentThreadView::requestSend);
    connect(m_input, &QPlainTextEdit::textChanged, m_error, &QLabel::clear);
    connect(m_input, &QPlainTextEdit::textChanged, this, &CommentThreadView::showCount);
}

void CommentThreadView::showCount() {
    // Counted as CommentText counts (characters, not UTF-16 units, of the trimmed text); from three quarters
    // of the limit on (helper-96: 4,050 characters were refused only when sent).
    const qsizetype length = TextRules::characterCount(TextRules::trimmed(m_input->toPlainText()));
    const bool over = length > CommentText::kMaxCharacters;
    m_count->setVisible(length * 4 > CommentText::kMaxCharacters * 3);
    m_count->setText(over ? tr("%1 of %2 characters: %3 too many")
                                .arg(length)
                                .arg(CommentText::kMaxCharacters)
                                .arg(length - CommentText::kMaxCharacters)
                          : tr("%1 of %2 characters").arg(length).arg(CommentText::kMaxCharacters));
    m_count->setStyleSheet(over ? u"color: #b91c1c; font-weight: bold;"_s : u"color: #6b7280;"_s);
}

void CommentThreadView::setComments(const QList<ExceptionComment>& comments) {
    m_title->setText(comments.isEmpty() ? tr("Comments") : tr("Comments (%1)").arg(comments.size()));
    const QString mentionColor = palette().color(QPalette::Link).name();
    QString html;
    for (const ExceptionComment& c : comments) {
        QString state;
        if (c.syncState == u"waiting" && m_backendSet)
            state = tr("not yet on the server");
        else if (c.syncState == u"refused")
            state = tr("the server refused it: %1").arg(c.syncError);
        html += u"<p><b>%1</b> <span style=\"color:gray\">%2</span>"_s.arg(
            c.authorId.toHtmlEscaped(), TimeText::minutes(c.at).toHtmlEscaped());
        if (!state.isEmpty())
            html += u" <i style=\"color:gray\">(%1)</i>"_s.arg(state.toHtmlEscaped());
        html += u"<br>"_s + CommentText::toHtml(c.body, c.mentions, mentionColor) + u"</p>"_s;
    }
    if (comments.isEmpty())
        html = u"<p style=\"color:gray\">%1</p>"_s.arg(tr("No comments yet.").toHtmlEscaped());
    m_thread->setHtml(html);
}

void CommentThreadView::setMentionable(const QStringList& users) {
    m_input->setUsers(users);
}

void CommentThreadView::setWritable(bool writable, const QString& why) {
    m_writable = writable;
    m_input->setVisible(writable);
    m_send->setVisible(writable);
    m_readOnly->setText(why);
    m_readOnly->setVisible(!writable && !why.isEmpty());
}

void CommentThreadView::setBusy(bool busy) {
    m_busy = busy;
    m_send->setEnabled(!busy);
}

void CommentThreadView::clear() {
    m_title->setText(tr("Comments"));
    m_thread->clear();
    m_input->clear();
    m_error->clear();
}

void CommentThreadView::clearInput() {
    m_input->clear();
    m_error->clear();
}

void CommentThreadView::switchDraftTo(const QString& key) {
    if (key == m_draftKey)
        return;
    if (!m_draftKey.isEmpty())
        m_drafts.keep(m_draftKey, m_input->toPlainText());
    m_draftKey = key;
    m_input->setPlainText(m_drafts.take(key));
    m_input->moveCursor(QTextCursor::End);
    m_error->clear();
}

void CommentThreadView::dropDraft(const QString& key, const QString& sentText) {
    m_drafts.removeIfStill(key, sentText);
}

int CommentThreadView::unsentCount() const {
    return (TextRules::isBlank(m_input->toPlainText()) ? 0 : 1) + m_drafts.count();
}

void CommentThreadView::forgetDrafts() {
    m_drafts.clear();
    m_draftKey.clear();
    m_input->clear();
}

void CommentThreadView::showError(const QString& message) {
    m_error->setText(message);
    if (message.isEmpty())
        return;
    // Brought into view: under a long comment, in the panel's scroll area, the refusal was below the visible
    // part and Ctrl+Enter seemed to do nothing (helper-90). Once laid out, as the text may add a line.
    QTimer::singleShot(0, m_error, [error = m_error] {
        for (QWidget* w = error->parentWidget(); w; w = w->parentWidget())
            if (auto* scroll = qobject_cast<QScrollArea*>(w)) {
                scroll->ensureWidgetVisible(error);
                return;
            }
    });
}

QString CommentThreadView::text() const {
    return m_input->toPlainText();
}

void CommentThreadView::requestSend() {
    if (m_busy || !m_writable)
        return;
    Q_EMIT sendRequested(m_input->toPlainText());
}

} // namespace riskdesk
