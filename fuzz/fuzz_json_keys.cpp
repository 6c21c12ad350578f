// libFuzzer target: JsonDuplicateKeys, the check that refuses a JSON object with a key written twice (which
// QJsonDocument would silently read as its last value). Input: any bytes. For a document Qt parses:
//   * the scan never fails on it (ASan/UBSan watch every byte it reads);
//   * the document written back by Qt (which cannot hold a key twice) is never reported;
//   * every object of it, written with its first member repeated in front, is reported, under that key.
#include "domain/JsonDuplicateKeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char* what, const QByteArray& text) {
    std::fprintf(stderr, "fuzz_json_keys: %s\n%s\n", what, text.left(2000).constData());
    std::abort();
}

QByteArray compact(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Each object of the document, as compact text, depth first.
void objectsOf(const QJsonValue& value, QList<QJsonObject>* out) {
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        out->append(o);
        for (auto it = o.begin(); it != o.end(); ++it)
            objectsOf(it.value(), out);
    } else if (value.isArray()) {
        for (const QJsonValue& v : value.toArray())
            objectsOf(v, out);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using riskdesk::JsonDuplicateKeys;
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    (void)JsonDuplicateKeys::find(input); // any bytes: never a crash or a read past the end
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(input, &error);
    if (error.error != QJsonParseError::NoError)
        return 0;
    const QByteArray written = document.toJson(QJsonDocument::Compact);
    if (JsonDuplicateKeys::find(written))
        fail("a document Qt wrote (no key twice) was reported", written);
    QList<QJsonObject> objects;
    objectsOf(document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()), &objects);
    for (const QJsonObject& o : std::as_const(objects)) {
        if (o.isEmpty())
            continue;
        const QByteArray first = compact(QJsonObject{{o.begin().key(), o.begin().value()}});
        const QByteArray rest = compact(o);
        // {"k":v,  +  "k":v,...}: the first member written twice.
        const QByteArray doubled = first.chopped(1) + ',' + rest.sliced(1);
        const auto found = JsonDuplicateKeys::find(doubled);
        if (!found || found->key != o.begin().key())
            fail("an object with its first key written twice was not reported under that key", doubled);
    }
    return 0;
}
