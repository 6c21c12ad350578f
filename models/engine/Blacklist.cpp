#include "Blacklist.h"

#include <QStringList>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status Blacklist::addCsv(const QString& text) {
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype comma = line.indexOf(u',');
        const QString kind = line.left(comma).trimmed().toLower();
        const QString id = comma < 0 ? QString() : line.mid(comma + 1).trimmed();
        if (comma < 0 || id.isEmpty() || (kind != u"user" && kind != u"merchant"))
            return Problem{u"bad_blacklist_line"_s,
                           tr("Line %1 of the blacklist must be \"user,ID\" or \"merchant,ID\", not \"%2\".")
                               .arg(i + 1)
                               .arg(line),
                           {}};
        if (kind == u"user")
            addUser(id);
        else
            addMerchant(id);
    }
    return success();
}

} // namespace riskdesk
