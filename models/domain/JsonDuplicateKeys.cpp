#include "JsonDuplicateKeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <vector>

namespace riskdesk {

namespace {

struct Level {
    bool object = false;
    bool expectingKey = false;
    QSet<QString> keys;
};

// A key as JSON means it: escapes decoded (rare, so decoded by the parser itself).
QString decodedKey(QByteArrayView quoted) {
    const QByteArrayView inner = quoted.sliced(1, quoted.size() - 2);
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    const QByteArray wrapped = '[' + quoted.toByteArray() + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0).toString();
}

} // namespace

std::optional<JsonDuplicateKeys::Duplicate> JsonDuplicateKeys::find(QByteArrayView json) {
    std::vector<Level> levels;
    for (qsizetype i = 0; i < json.size(); ++i) {
        switch (json[i]) {
        case '"': {
            const qsizetype start = i;
            for (++i; i < json.size() && json[i] != '"'; ++i)
                if (json[i] == '\\')
                    ++i; // the escaped character, a quote included
            if (!levels.empty() && levels.back().object && levels.back().expectingKey) {
                Level& level = levels.back();
                level.expectingKey = false;
                const QString key = decodedKey(json.sliced(start, std::min(i, json.size() - 1) - start + 1));
                if (level.keys.contains(key))
                    return Duplicate{key, qint64(start)};
                level.keys.insert(key);
            }
            break;
        }
        case '{':
            levels.push_back({true, true, {}});
            break;
        case '[':
            levels.push_back({false, false, {}});
            break;
        case '}':
        case ']':
            if (!levels.empty())
                levels.pop_back();
            break;
        case ',':
            if (!levels.empty() && levels.back().object)
                levels.back().expectingKey = true;
            break;
        default:
            break;
        }
    }
    return std::nullopt;
}

std::optional<QString> JsonDuplicateKeys::problem(QByteArrayView json) {
    const auto duplicate = find(json);
    if (!duplicate)
        return std::nullopt;
    return tr("the key \"%1\" is written twice in one object (again at byte %2), so which value is meant is "
              "not clear.")
        .arg(duplicate->key)
        .arg(duplicate->offset);
}

} // namespace riskdesk
