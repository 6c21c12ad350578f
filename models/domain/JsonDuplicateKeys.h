#pragma once

#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>
#include <optional>

namespace riskdesk {

// Finds a key written twice in one object of a JSON text. QJsonDocument keeps the last of them without a
// word, so {"target_id": "a", …, "target_id": "b"} would be filed for b while a reader of the file sees a:
// input that two readers can read differently is refused instead. The text must already have parsed as JSON.
class JsonDuplicateKeys {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::JsonDuplicateKeys)

public:
    struct Duplicate {
        QString key;   // as decoded ("\u0061" and "a" are the same key)
        qint64 offset; // the byte where its second writing starts
    };
    static std::optional<Duplicate> find(QByteArrayView json);
    // What to tell the user about json's first duplicate, or nothing.
    static std::optional<QString> problem(QByteArrayView json);
};

} // namespace riskdesk
