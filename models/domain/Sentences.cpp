#include "Sentences.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

bool endsFullWidth(const QString& text) {
    if (text.isEmpty())
        return false;
    const QChar last = text.back();
    return last == u'。' || last == u'！' || last == u'？' || last == u'；' || last == u'：' ||
           last == u'）' || last == u'」';
}

} // namespace

QString Sentences::append(const QString& text, const QString& sentence) {
    if (text.isEmpty())
        return sentence;
    if (sentence.isEmpty())
        return text;
    return endsFullWidth(text) ? text + sentence : text + u' ' + sentence;
}

QString Sentences::join(const QStringList& sentences) {
    QString text;
    for (const QString& s : sentences)
        text = append(text, s);
    return text;
}

} // namespace riskdesk
