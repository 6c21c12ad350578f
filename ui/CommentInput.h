#pragma once

#include <QPlainTextEdit>

class QCompleter;
class QStringListModel;

namespace riskdesk {

// The box a comment is written in: Ctrl+Enter sends it (and never reaches the queue's Ctrl+Enter, which
// approves), and "@" offers the tenant's users to mention, completed with Return or Tab.
class CommentInput : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit CommentInput(QWidget* parent = nullptr);

    void setUsers(const QStringList& users);
    QCompleter* completer() const { return m_completer; }

Q_SIGNALS:
    void sendRequested();

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    static bool isSend(const QKeyEvent* key);
    // The login being typed after an "@" just before the cursor, or a null string when there is none.
    QString typedMention() const;
    void updateCompletion();
    void insertCompletion(const QString& user);

    QCompleter* m_completer;
    QStringListModel* m_users;
};

} // namespace riskdesk
