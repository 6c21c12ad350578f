#include "NameCollation.h"

#include <QCollator>
#include <QLocale>
#include <QSqlDriver>
#include <QVariant>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

int compareUtf16(void*, int lengthA, const void* a, int lengthB, const void* b) {
    // Lengths are in bytes; SQLite hands over the UTF-16 it was asked for, in the machine's byte order.
    return NameCollation::compare(QStringView(static_cast<const char16_t*>(a), lengthA / 2),
                                  QStringView(static_cast<const char16_t*>(b), lengthB / 2));
}

} // namespace

int NameCollation::compare(QStringView a, QStringView b) {
    // A collator is not safe to share between threads; each thread (the GUI's, each database thread) keeps
    // one.
    thread_local const QCollator collator(QLocale(QLocale::Chinese, QLocale::China));
    if (const int c = collator.compare(a, b); c != 0)
        return c;
    return a.compare(b);
}

Status NameCollation::install(const QSqlDatabase& db) {
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return Problem{u"collation_unavailable"_s, tr("The connection is not an SQLite database."), {}};
    sqlite3* native = *static_cast<sqlite3* const*>(handle.data());
    if (sqlite3_create_collation_v2(native, kSqlName, SQLITE_UTF16, nullptr, &compareUtf16, nullptr) !=
        SQLITE_OK)
        return Problem{
            u"collation_unavailable"_s,
            tr("Could not set up the order of names: %1").arg(QString::fromUtf8(sqlite3_errmsg(native))),
            {}};
    return success();
}

} // namespace riskdesk
