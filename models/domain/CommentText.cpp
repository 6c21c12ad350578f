#include "CommentText.h"

#include "TextRules.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// "@" and a login, at the start or after a character that cannot be part of a login (nor '@').
const QRegularExpression& mentionPattern() {
    static const QRegularExpression pattern(u"(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]+)"_s);
    return pattern;
}

// The user a written login names: itself, else without its trailing '.' and '-'; empty when neither is one.
QString userNamed(const QString& written, const QStringList& users) {
    if (users.contains(written))
        return written;
    QString shorter = written;
    while (!shorter.isEmpty() && (shorter.endsWith(u'.') || shorter.endsWith(u'-')))
        shorter.chop(1);
    return !shorter.isEmpty() && users.contains(shorter) ? shorter : QString();
}

} // namespace

Result<QString> CommentText::validate(const QString& text) {
    if (TextRules::containsNul(text))
        return Problem{u"comment_nul"_s, tr("A comment cannot contain the character U+0000."), u"text"_s};
    if (const auto control = TextRules::isBlank(text) ? std::nullopt : TextRules::firstControl(text))
        return Problem{u"comment_control"_s,
                       tr("A comment cannot contain a control character (%1); remove it.")
                           .arg(TextRules::describe(*control)),
                       u"text"_s};
    if (TextRules::isBlank(text))
        return Problem{u"comment_blank"_s, tr("Write something: a comment cannot be blank."), u"text"_s};
    const QString trimmed = TextRules::trimmed(text);
    const qsizetype length = TextRules::characterCount(trimmed);
    if (length > kMaxCharacters)
        return Problem{
            u"comment_too_long"_s,
            tr("A comment has at most %1 characters; this one has %2.").arg(kMaxCharacters).arg(length),
            u"text"_s};
    return trimmed;
}

QStringList CommentText::mentions(const QString& text, const QStringList& users) {
    QStringList found;
    auto it = mentionPattern().globalMatch(text);
    while (it.hasNext()) {
        const QString user = userNamed(it.next().captured(1), users);
        if (!user.isEmpty() && !found.contains(user))
            found << user;
    }
    return found;
}

QList<CommentText::Span> CommentText::mentionSpans(const QString& text, const QStringList& mentions) {
    QList<Span> spans;
    auto it = mentionPattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        const QString user = userNamed(match.captured(1), mentions);
        if (!user.isEmpty())
            spans.append({match.capturedStart(0), 1 + user.size()});
    }
    return spans;
}

QString CommentText::toHtml(const QString& text, const QStringList& mentions, const QString& mentionColor) {
    QString html;
    qsizetype from = 0;
    for (const Span& s : mentionSpans(text, mentions)) {
        html += text.mid(from, s.start - from).toHtmlEscaped();
        html += u"<b style=\"color:%1\">"_s.arg(mentionColor) + text.mid(s.start, s.length).toHtmlEscaped() +
                u"</b>"_s;
        from = s.start + s.length;
    }
    html += text.mid(from).toHtmlEscaped();
    return html.replace(u'\n', u"<br>"_s);
}

} // namespace riskdesk
