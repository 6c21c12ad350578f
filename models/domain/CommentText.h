#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace riskdesk {

// The rules of a comment's text, pure; the server's riskdesk.add_comment (PostgreSQL migration 008) applies
// the same ones (change both together).
//   text:     not blank (TextRules::isBlank), at most kMaxCharacters after trimming, no U+0000.
//   mentions: "@login" where login is [A-Za-z0-9_.-]+, not preceded by one of those characters or '@' (so
//             an e-mail address mentions nobody); a login that is a user of the tenant is a mention, else the
//             login without its trailing '.' and '-' (a sentence's full stop); anything else stays plain
//             text.
class CommentText {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommentText)

public:
    static constexpr int kMaxCharacters = 4000;

    // The text to store (trimmed), or why it cannot be: codes comment_blank, comment_too_long,
    // comment_nul; the field is "text".
    static Result<QString> validate(const QString& text);

    // Users of `users` the text mentions, in order of first mention, each once.
    static QStringList mentions(const QString& text, const QStringList& users);

    // Where each mention of `mentions` stands in the text ("@" included), for highlighting.
    struct Span {
        qsizetype start = 0;
        qsizetype length = 0;
    };
    static QList<Span> mentionSpans(const QString& text, const QStringList& mentions);

    // The text as HTML with the mentions emphasised, everything else escaped.
    static QString toHtml(const QString& text, const QStringList& mentions, const QString& mentionColor);
};

} // namespace riskdesk
