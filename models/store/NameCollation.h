#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringView>

namespace riskdesk {

// How people's names are put in order: the Chinese collation (Han characters by pinyin, the names this
// product lists; Latin letters after them), in every language of the window, so that a board, its export and
// the command line agree. Code point order put 张 before 李 and 陈 last. Equal-collating names are then
// ordered by code point, so the order is total. SQLite knows it as COLLATE person_name on every connection
// install() has run on (a workspace's own connections do).
class NameCollation {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::NameCollation)

public:
    static constexpr const char* kSqlName = "person_name";

    // Negative when a comes before b.
    static int compare(QStringView a, QStringView b);
    static Status install(const QSqlDatabase& db);
};

} // namespace riskdesk
