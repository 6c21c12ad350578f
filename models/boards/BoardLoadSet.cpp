#include "BoardLoadSet.h"

#include "BoardCsvReader.h"
#include "domain/TextRules.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QTimeZone>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kMaxProblems = 20;
using K = BoardColumn::Kind;

// Decimal yuan to fen without a binary float: digits only.
// Digits of text[from, to) as a number; nothing if any is not a digit (a regular expression per value was
// most of a large load's time).
// At most 18 digits, so that the number always fits in a qint64.
std::optional<qint64> digitsAt(const QString& text, qsizetype from, qsizetype to) {
    if (from >= to || to > text.size() || to - from > 18)
        return std::nullopt;
    qint64 n = 0;
    for (qsizetype i = from; i < to; ++i) {
        const char16_t c = text.at(i).unicode();
        if (c < u'0' || c > u'9')
            return std::nullopt;
        n = n * 10 + (c - u'0');
    }
    return n;
}

// Decimal yuan with at most 2 decimals ("-1234.5") as exact fen.
std::optional<qint64> fenOf(const QString& text, QString* why) {
    const qsizetype sign = text.startsWith(u'-') ? 1 : 0;
    const qsizetype dot = text.indexOf(u'.');
    const qsizetype wholeEnd = dot < 0 ? text.size() : dot;
    const auto whole = wholeEnd - sign <= 13 ? digitsAt(text, sign, wholeEnd) : std::nullopt;
    const qsizetype places = dot < 0 ? 0 : text.size() - dot - 1;
    // The decimals are checked as digits before being read as a number: 1.1234567890123456789 once
    // overflowed the reading (undefined behaviour) before its 19 decimals were refused.
    const bool decimalDigits =
        dot < 0 || (places > 0 && std::all_of(text.cbegin() + dot + 1, text.cend(),
                                              [](QChar c) { return c >= u'0' && c <= u'9'; }));
    if (!whole || !decimalDigits) {
        *why = BoardLoadSet::tr("\"%1\" is not an amount in yuan (like 1234.50).").arg(text);
        return std::nullopt;
    }
    if (places > 2) {
        *why = BoardLoadSet::tr("\"%1\" has more than 2 decimals (amounts are in yuan and fen).").arg(text);
        return std::nullopt;
    }
    const qint64 decimals = dot < 0 ? 0 : *digitsAt(text, dot + 1, text.size());
    const qint64 fen = whole.value() * 100 + decimals * (places == 1 ? 10 : 1);
    return sign ? -fen : fen;
}

QString plainDecimal(const QString& text, QString* why) {
    static const QRegularExpression form(u"^-?\\d{1,8}(?:\\.\\d{1,4})?$"_s);
    if (!form.match(text).hasMatch()) {
        *why = BoardLoadSet::tr("\"%1\" is not a number with at most 8 digits and 4 decimals.").arg(text);
        return {};
    }
    return text;
}

// ISO 8601 with its offset: YYYY-MM-DDTHH:MM[:SS[.f{1,3}]](Z|±HH:MM), parsed by position.
std::optional<qint64> utcMsOf(const QString& text, QString* why) {
    const auto fail = [&]() -> std::optional<qint64> {
        *why = BoardLoadSet::tr("\"%1\" is not a time with its offset (like 2026-05-31T23:30:00+08:00).")
                   .arg(text);
        return std::nullopt;
    };
    const auto at = [&](qsizetype i, char16_t c) { return i < text.size() && text.at(i).unicode() == c; };
    if (text.size() < 17 || !at(4, u'-') || !at(7, u'-') || !at(10, u'T') || !at(13, u':'))
        return fail();
    const auto year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 7), day = digitsAt(text, 8, 10),
               hour = digitsAt(text, 11, 13), minute = digitsAt(text, 14, 16);
    if (!year || !month || !day || !hour || !minute || *hour > 23 || *minute > 59)
        return fail();
    const QDate date{int(*year), int(*month), int(*day)};
    if (!date.isValid())
        return fail();
    qsizetype i = 16;
    qint64 second = 0, millis = 0;
    if (at(i, u':')) {
        const auto s = digitsAt(text, i + 1, i + 3);
        if (!s || *s > 59)
            return fail();
        second = *s;
        i += 3;
        if (at(i, u'.')) {
            qsizetype end = i + 1;
            while (end < text.size() && end - i - 1 < 4 && text.at(end).isDigit())
                ++end;
            const auto f = digitsAt(text, i + 1, end);
            if (!f || end - i - 1 > 3)
                return fail();
            millis = *f * (end - i - 1 == 1 ? 100 : end - i - 1 == 2 ? 10 : 1);
            i = end;
        }
    }
    qint64 offsetMinutes = 0;
    if (at(i, u'Z') && i + 1 == text.size()) {
        offsetMinutes = 0;
    } else if ((at(i, u'+') || at(i, u'-')) && i + 6 == text.size() && at(i + 3, u':')) {
        const auto oh = digitsAt(text, i + 1, i + 3), om = digitsAt(text, i + 4, i + 6);
        if (!oh || !om || *oh > 23 || *om > 59)
            return fail();
        offsetMinutes = (*oh * 60 + *om) * (at(i, u'-') ? -1 : 1);
    } else {
        return fail();
    }
    const qint64 days = date.toJulianDay() - QDate(1970, 1, 1).toJulianDay();
    return ((days * 24 + *hour) * 60 + *minute - offsetMinutes) * 60000 + second * 1000 + millis;
}

bool isDate(const QString& text) {
    static const QRegularExpression form(u"^\\d{4}-\\d{2}-\\d{2}$"_s);
    return form.match(text).hasMatch() && QDate::fromString(text, Qt::ISODate).isValid();
}

} // namespace

QString BoardSiteClock::businessDay(qint64 utcMs) const {
    if (!memo || memo->zone.id() != tz.toUtf8())
        memo = std::make_shared<Memo>(Memo{QTimeZone(tz.toUtf8()), {}});
    const qint64 minute = utcMs >= 0 ? utcMs / 60000 : (utcMs - 59999) / 60000;
    if (const auto known = memo->dayOfMinute.constFind(minute); known != memo->dayOfMinute.constEnd())
        return *known;
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(minute * 60000, memo->zone);
    const QString day = local.addSecs(-qint64(cutoffMinutes.value_or(0)) * 60).date().toString(Qt::ISODate);
    memo->dayOfMinute.insert(minute, day);
    return day;
}

QVariant BoardLoadSet::File::value(const QVariantList& row, const QString& column) const {
    const int i = dataset->columnIndex(column);
    if (i >= 0)
        return row.at(i);
    if (column == u"biz_date" && !dataset->bizDateFrom.isEmpty())
        return row.at(dataset->columns.size());
    return {};
}

qint64 BoardLoadSet::rowCount() const {
    qint64 n = 0;
    for (const File& f : m_files)
        n += f.rows.size();
    return n;
}

Result<BoardLoadSet> BoardLoadSet::read(const QString& dir,
                                        const QHash<QString, BoardSiteClock>& knownSites) {
    const QDir folder(dir);
    if (dir.isEmpty() || !folder.exists())
        return Problem{u"board_dir_missing"_s, tr("There is no directory %1.").arg(dir), {}};
    QStringList problems;
    auto note = [&](const QString& text) {
        if (problems.size() < kMaxProblems)
            problems << text;
    };
    // Every .csv must be one the loader knows: a misspelt name would otherwise be skipped silently.
    const QStringList present = folder.entryList({u"*.csv"_s, u"*.CSV"_s}, QDir::Files, QDir::Name);
    for (const QString& name : present)
        if (!name.endsWith(u".csv") || !BoardDataCatalog::byFile(name.chopped(4)))
            note(tr("%1: not a board data file (known: the view names of the template, like "
                    "v_dwd_assistant_service_log.csv).")
                     .arg(name));

    BoardLoadSet set;
    QHash<QString, BoardSiteClock> clocks = knownSites;
    for (const BoardDataset& dataset : BoardDataCatalog::datasets()) {
        const QString fileName = dataset.file + u".csv"_s;
        if (!present.contains(fileName))
            continue;
        QFile file(folder.filePath(fileName));
        if (!file.open(QIODevice::ReadOnly)) {
            note(tr("%1: cannot be read (%2).").arg(fileName, file.errorString()));
            continue;
        }
        auto records = BoardCsvReader::parse(file.readAll(), fileName);
        if (!records) {
            note(records.problem().message);
            continue;
        }
        if (records.value().isEmpty()) {
            note(tr("%1, line 1: the header row is missing.").arg(fileName));
            continue;
        }
        // The header: every column of the dataset once, in any order, nothing else.
        const QStringList header = records.value().first().fields;
        QList<int> fieldOf(dataset.columns.size(), -1);
        bool headerOk = true;
        for (int f = 0; f < header.size(); ++f) {
            const int c = dataset.columnIndex(header.at(f).trimmed());
            if (c < 0 || fieldOf[c] >= 0) {
                note(tr("%1, line 1, column %2: \"%3\" is %4.")
                         .arg(fileName)
                         .arg(f + 1)
                         .arg(header.at(f), c < 0 ? tr("not a column of this file") : tr("named twice")));
                headerOk = false;
            } else {
                fieldOf[c] = f;
            }
        }
        for (int c = 0; c < dataset.columns.size(); ++c)
            if (fieldOf[c] < 0) {
                note(tr("%1, line 1: the column \"%2\" is missing.")
                         .arg(fileName, dataset.columns.at(c).name));
                headerOk = false;
            }
        if (!headerOk)
            continue;

        File loaded;
        loaded.dataset = &dataset;
        loaded.rows.reserve(records.value().size());
        // Where the key columns, the site and the business day's time are in a row (looked up once).
        QList<int> keyColumns;
        for (const QString& k : dataset.key)
            keyColumns << (k == u"biz_date" && dataset.columnIndex(k) < 0 ? int(dataset.columns.size())
                                                                          : dataset.columnIndex(k));
        const int siteColumn = dataset.columnIndex(u"site_id"_s);
        const int timeColumn = dataset.bizDateFrom.isEmpty() ? -1 : dataset.columnIndex(dataset.bizDateFrom);
        // Duplicate keys: rows by the hash of their key, then compared exactly (a hash is no proof).
        QMultiHash<size_t, std::pair<qsizetype, int>> rowsByKeyHash; // → (row index, line)
        rowsByKeyHash.reserve(records.value().size());
        for (qsizetype r = 1; r < records.value().size(); ++r) {
            const BoardCsvReader::Record& record = records.value().at(r);
            if (record.fields.size() != header.size()) {
                note(tr("%1, line %2: %3 field(s) where the header has %4.")
                         .arg(fileName)
                         .arg(record.line)
                         .arg(record.fields.size())
                         .arg(header.size()));
                continue;
            }
            QVariantList row;
            bool rowOk = true;
            for (int c = 0; c < dataset.columns.size(); ++c) {
                const BoardColumn& column = dataset.columns.at(c);
                const QString text = record.fields.at(fieldOf[c]);
                QString why;
                QVariant value;
                if (text.isEmpty()) {
                    if (!column.optional)
                        why = tr("a value is required.");
                } else if (!column.allowed.isEmpty() && !column.allowed.contains(text)) {
                    why = tr("\"%1\" is not one of %2.").arg(text, column.allowed.join(u", "_s));
                } else {
                    switch (column.kind) {
                    case K::Text:
                        if (TextRules::isBlank(text))
                            why = tr("the text is blank.");
                        else
                            value = text;
                        break;
                    case K::Id:
                        if (!TextRules::isPlainId(text))
                            why =
                                tr("\"%1\" is not an identifier (1 to 128 characters, no spaces).").arg(text);
                        else
                            value = text;
                        break;
                    case K::SiteId:
                    case K::SkillSite:
                        if (dataset.file == u"site_settings") {
                            if (!TextRules::isPlainId(text))
                                why =
                                    tr("\"%1\" is not a site id (1 to 128 characters, no spaces).").arg(text);
                            else
                                value = text;
                        } else if (!clocks.contains(text)) {
                            why = tr("the site \"%1\" is neither declared in site_settings.csv nor known.")
                                      .arg(text);
                        } else {
                            value = text;
                        }
                        break;
                    case K::Integer: {
                        bool ok = false;
                        const qint64 n = text.toLongLong(&ok);
                        if (!ok || n < column.minimum || n > column.maximum)
                            why = tr("\"%1\" is not a whole number from %2 to %3.")
                                      .arg(text)
                                      .arg(column.minimum)
                                      .arg(column.maximum);
                        else
                            value = n;
                        break;
                    }
                    case K::Money:
                        if (auto fen = fenOf(text, &why))
                            value = *fen;
                        break;
                    case K::Decimal:
                        if (QString d = plainDecimal(text, &why); !d.isEmpty())
                            value = d;
                        break;
                    case K::Flag:
                        if (text != u"0" && text != u"1")
                            why = tr("\"%1\" is neither 0 nor 1.").arg(text);
                        else
                            value = qint64(text.toInt());
                        break;
                    case K::Time:
                        if (auto ms = utcMsOf(text, &why))
                            value = *ms;
                        break;
                    case K::Date:
                    case K::Month:
                        if (!isDate(text))
                            why = tr("\"%1\" is not a date (YYYY-MM-DD).").arg(text);
                        else if (column.kind == K::Month && !text.endsWith(u"-01"))
                            why = tr("\"%1\" is not the first day of a month (YYYY-MM-01).").arg(text);
                        else
                            value = text;
                        break;
                    case K::TimeZone:
                        if (!QTimeZone(text.toUtf8()).isValid())
                            why = tr("\"%1\" is not a time zone (like Asia/Shanghai).").arg(text);
                        else
                            value = text;
                        break;
                    }
                }
                if (!why.isEmpty()) {
                    note(tr("%1, line %2, column %3 (%4): %5")
                             .arg(fileName)
                             .arg(record.line)
                             .arg(fieldOf[c] + 1)
                             .arg(column.name, why));
                    rowOk = false;
                }
                row << value;
            }
            if (!rowOk)
                continue;
            if (timeColumn >= 0)
                row << clocks[row.at(siteColumn).toString()].businessDay(row.at(timeColumn).toLongLong());
            size_t keyHash = 0;
            for (int k : keyColumns)
                keyHash = qHashMulti(keyHash, row.at(k).toString());
            bool duplicate = false;
            for (auto it = rowsByKeyHash.constFind(keyHash);
                 it != rowsByKeyHash.constEnd() && it.key() == keyHash; ++it) {
                const QVariantList& other = loaded.rows.at(it->first);
                if (std::all_of(keyColumns.cbegin(), keyColumns.cend(),
                                [&](int k) { return other.at(k).toString() == row.at(k).toString(); })) {
                    QStringList key;
                    for (int k : keyColumns)
                        key << row.at(k).toString();
                    note(tr("%1, line %2: the same row (%3) as line %4.")
                             .arg(fileName)
                             .arg(record.line)
                             .arg(key.join(u", "_s))
                             .arg(it->second));
                    duplicate = true;
                    break;
                }
            }
            if (duplicate)
                continue;
            rowsByKeyHash.insert(keyHash, {loaded.rows.size(), int(record.line)});
            if (dataset.file == u"site_settings") {
                const QString site = row.at(0).toString();
                BoardSiteClock clock{row.at(1).toString(), std::nullopt, false};
                if (!row.at(2).isNull())
                    clock.cutoffMinutes = int(row.at(2).toLongLong());
                const auto known = knownSites.constFind(site);
                // Stored business days were computed with the old clock; they would silently disagree.
                if (known != knownSites.constEnd() && known->hasDatedRows &&
                    (known->tz != clock.tz || known->cutoffMinutes != clock.cutoffMinutes))
                    note(tr("%1, line %2: the site \"%3\" already has data bucketed by its business day; "
                            "changing its time zone or cut-off is not supported by a file load.")
                             .arg(fileName)
                             .arg(record.line)
                             .arg(site));
                clocks.insert(site, clock);
            }
            loaded.rows << row;
        }
        set.m_files << loaded;
    }
    if (!problems.isEmpty())
        return Problem{u"board_load_refused"_s, tr("Nothing was loaded:\n%1").arg(problems.join(u'\n')), {}};
    return set;
}

Status BoardLoadSet::writeTemplates(const QString& dir) {
    if (!QDir().mkpath(dir))
        return Problem{u"board_dir_missing"_s, tr("Cannot create the directory %1.").arg(dir), {}};
    for (const BoardDataset& dataset : BoardDataCatalog::datasets()) {
        QSaveFile file(QDir(dir).filePath(dataset.file + u".csv"_s));
        QStringList names;
        for (const BoardColumn& c : dataset.columns)
            names << c.name;
        if (!file.open(QIODevice::WriteOnly) || file.write(names.join(u',').toUtf8() + "\r\n") < 0 ||
            !file.commit())
            return Problem{u"board_template_failed"_s,
                           tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()),
                           {}};
    }
    return success();
}

} // namespace riskdesk
