#include "JsonInputFile.h"

#include "domain/JsonDuplicateKeys.h"
#include "domain/TextRules.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QJsonObject> JsonInputFile::readObject(const QString& path, const QString& holds) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Problem{u"unreadable"_s, tr("Cannot read %1: %2").arg(path, file.errorString()), {}};
    QByteArray text = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Problem{u"unreadable"_s, tr("Cannot read %1: %2").arg(path, file.errorString()), {}};
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    if (TextRules::isBlank(QString::fromUtf8(text)))
        return Problem{u"empty"_s, tr("%1 is empty: it must hold %2.").arg(path, holds), {}};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return Problem{u"invalid_json"_s,
                       tr("%1 is not valid JSON: %2 near %3.")
                           .arg(path, error.errorString(), position(text, error.offset)),
                       {}};
    if (const auto twice = JsonDuplicateKeys::problem(text))
        return Problem{u"duplicate_key"_s, tr("%1: %2").arg(path, *twice), {}};
    if (!document.isObject())
        return Problem{u"not_an_object"_s, tr("%1 must hold %2.").arg(path, holds), {}};
    return document.object();
}

QString JsonInputFile::position(QByteArrayView text, qint64 offset) {
    const QByteArrayView before = text.first(std::clamp<qint64>(offset, 0, text.size()));
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    return tr("line %1, column %2")
        .arg(before.count('\n') + 1)
        .arg(column(before.sliced(lineStart), before.size() - lineStart));
}

qint64 JsonInputFile::column(QByteArrayView line, qint64 offset) {
    return QString::fromUtf8(line.first(std::clamp<qint64>(offset, 0, line.size()))).size() + 1;
}

} // namespace riskdesk
