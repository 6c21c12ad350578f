#pragma once

#include "domain/ExceptionComment.h"
#include "domain/UnsentDrafts.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace riskdesk {

class CommentInput;

// An exception's comment thread in the detail panel: each comment's author, local time and text (mentions
// emphasised), oldest first, and a box to add one. Sending is the page's work (sendRequested).
class CommentThreadView : public QWidget {
    Q_OBJECT
public:
    explicit CommentThreadView(QWidget* parent = nullptr);

    void setComments(const QList<ExceptionComment>& comments);
    void setMentionable(const QStringList& users);
    // Whether the signed-in user may comment; when not, why (shown instead of the box).
    void setWritable(bool writable, const QString& why);
    // Whether a backend is set: only then is a comment said to be not yet on the server (from the next
    // setComments).
    void setBackendSet(bool set) { m_backendSet = set; }
    void setBusy(bool busy);
    void clear();
    void clearInput();
    // Unsent text belongs to the exception it was written for: switching to another key keeps what was
    // typed under the old key and brings back the new key's own draft (empty when there is none).
    void switchDraftTo(const QString& key);
    // A comment was stored: its draft, kept when the user moved on while it was being sent, is gone.
    void dropDraft(const QString& key, const QString& sentText);
    void forgetDrafts();
    // Comments typed and not sent: the one in the box and those kept for other exceptions.
    int unsentCount() const;
    void showError(const QString& message);
    QString text() const;
    CommentInput* input() const { return m_input; }

Q_SIGNALS:
    void sendRequested(const QString& text);

private:
    void requestSend();
    void showCount();

    QLabel* m_title;
    QTextBrowser* m_thread;
    CommentInput* m_input;
    QPushButton* m_send;
    QLabel* m_error;
    QLabel* m_readOnly;
    QLabel* m_count; // shown near the limit, so a long comment is not refused only once it is sent
    QString m_draftKey;
    UnsentDrafts m_drafts;
    bool m_busy = false;
    bool m_backendSet = false;
    bool m_writable = true;
};

} // namespace riskdesk
