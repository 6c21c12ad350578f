#include "CommentInput.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

CommentInput::CommentInput(QWidget* parent)
    : QPlainTextEdit(parent), m_completer(new QCompleter(this)), m_users(new QStringListModel(this)) {
    setTabChangesFocus(true);
    m_completer->setModel(m_users);
    m_completer->setWidget(this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->popup()->setObjectName(u"mentionPopup"_s);
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this,
            &CommentInput::insertCompletion);
}

void CommentInput::setUsers(const QStringList& users) {
    m_users->setStringList(users);
}

bool CommentInput::isSend(const QKeyEvent* key) {
    const Qt::KeyboardModifiers mods = key->modifiers();
    return (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
           mods.testFlag(Qt::ControlModifier) &&
           !(mods & (Qt::ShiftModifier | Qt::AltModifier | Qt::MetaModifier));
}

bool CommentInput::event(QEvent* event) {
    // The page's Ctrl+Enter approves the selected exception: while writing a comment it sends the comment.
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (isSend(key) || ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
                            (key->modifiers() & Qt::ControlModifier))) {
            event->accept();
            return true;
        }
    }
    return QPlainTextEdit::event(event);
}

void CommentInput::keyPressEvent(QKeyEvent* event) {
    if (m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore(); // the completer takes them
            return;
        default:
            break;
        }
    }
    if (isSend(event)) {
        m_completer->popup()->hide();
        Q_EMIT sendRequested();
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
        (event->modifiers() & Qt::ControlModifier))
        return; // Ctrl+Shift+Enter (the page's reject) does nothing here
    QPlainTextEdit::keyPressEvent(event);
    updateCompletion();
}

QString CommentInput::typedMention() const {
    QTextCursor cursor = textCursor();
    const QString before = cursor.block().text().left(cursor.positionInBlock());
    static const QRegularExpression typed(u"(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]*)$"_s);
    const auto match = typed.match(before);
    return match.hasMatch() ? match.captured(1) : QString();
}

void CommentInput::updateCompletion() {
    const QString prefix = typedMention();
    if (prefix.isNull() || m_users->rowCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    if (prefix != m_completer->completionPrefix()) {
        m_completer->setCompletionPrefix(prefix);
        m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    }
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) +
                  m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
}

void CommentInput::insertCompletion(const QString& user) {
    QTextCursor cursor = textCursor();
    const qsizetype typed = typedMention().size();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, int(typed));
    cursor.insertText(user + u' ');
    setTextCursor(cursor);
}

} // namespace riskdesk
