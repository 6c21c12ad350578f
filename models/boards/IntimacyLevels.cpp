#include "IntimacyLevels.h"

#include "store/SqlProblem.h"

#include <QSqlQuery>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

IntimacyLevels IntimacyLevels::defaults() {
    IntimacyLevels l;
    // The labels are data (as a configured level's would be); label() picks the language.
    l.m_levels = {{4, 8000, u"\U0001F497"_s, u"亲密"_s, u"Close"_s},
                  {3, 6000, u"\U0001F60A"_s, u"熟络"_s, u"Familiar"_s},
                  {2, 3000, u"\U0001F642"_s, u"一般"_s, u"Acquainted"_s},
                  {1, std::numeric_limits<qint64>::min(), u"\U0001F331"_s, u"初识"_s, u"New"_s}};
    return l;
}

Result<IntimacyLevels> IntimacyLevels::load(QSqlDatabase db, const QString& tenant) {
    QSqlQuery q(db);
    q.prepare(u"SELECT level, min_score, emoji, label_zh, label_en FROM bd_cfg_intimacy_level"
              " WHERE tenant_id = ? ORDER BY level DESC"_s);
    q.addBindValue(tenant);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the intimacy levels"));
    IntimacyLevels l;
    while (q.next())
        l.m_levels.append({q.value(0).toInt(), qRound64(q.value(1).toDouble() * 100), q.value(2).toString(),
                           q.value(3).toString(), q.value(4).toString()});
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the intimacy levels"));
    if (l.m_levels.isEmpty())
        return defaults();
    // The lowest level takes every score below the others.
    l.m_levels.last().minHundredths = std::numeric_limits<qint64>::min();
    return l;
}

const IntimacyLevel& IntimacyLevels::levelOf(qint64 scoreHundredths) const {
    for (const IntimacyLevel& level : m_levels)
        if (scoreHundredths >= level.minHundredths)
            return level;
    return m_levels.last();
}

QString IntimacyLevels::label(const IntimacyLevel& level, const QLocale& locale) {
    return locale.language() == QLocale::Chinese ? level.labelZh : level.labelEn;
}

QString IntimacyLevels::exportText(const IntimacyLevel& level, const QLocale& locale) {
    return QString::number(level.level) + u'-' + label(level, locale);
}

QString IntimacyLevels::outOfScaleWarning() {
    return tr("Intimacy scores outside 0–100: check the level configuration.");
}

} // namespace riskdesk
