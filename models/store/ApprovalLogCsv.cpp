#include "ApprovalLogCsv.h"

#include "domain/CsvField.h"
#include "domain/Sentences.h"
#include "domain/Timestamps.h"

#include <QHash>
#include <QMap>
#include <climits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// identity (IdentityMark) comes right after the actor it qualifies. Files exported before it existed have the
// eleven columns of kOldHeader and are still read (their identity is empty, as their hashes expect).
const QByteArray kHeader =
    "seq,at,tenant_id,record_id,actor_id,identity,action,step,status_after,comment,prev_hash,hash";
const QByteArray kOldHeader =
    "seq,at,tenant_id,record_id,actor_id,action,step,status_after,comment,prev_hash,hash";
// The first field of an unfiltered export's closing lines (a seq is a number, so never this).
const QString kWholeLog = u"#whole-log"_s;

bool isBidiControl(char16_t c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

bool needsEscape(char16_t c) {
    return (c < 0x20 && c != u'\n') || (c >= 0x7F && c <= 0x9F) || isBidiControl(c);
}

bool startsLikeFormula(const QString& text) {
    return !text.isEmpty() && QStringView(u"=+-@'").contains(text.front());
}

QByteArray quoted(const QString& text) {
    return CsvField::plain(text).toUtf8();
}

bool isHash(const QString& text) {
    if (text.size() != 64)
        return false;
    for (QChar c : text)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}

// RFC 4180 records with the line each starts on; a quote left open is an error.
struct Record {
    qint64 line = 0;
    QStringList fields;
};

Result<QList<Record>> parseRecords(const QString& text) {
    QList<Record> records;
    Record current;
    QString field;
    bool inQuotes = false;
    bool fieldStarted = false;
    qint64 line = 1;
    current.line = 1;
    auto endRecord = [&] {
        current.fields << field;
        field.clear();
        fieldStarted = false;
        if (!(current.fields.size() == 1 && current.fields.first().isEmpty())) // a blank line
            records << current;
        current = Record{};
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == u'"' && !fieldStarted) {
            inQuotes = true;
            fieldStarted = true;
        } else if (c == u',') {
            current.fields << field;
            field.clear();
            fieldStarted = false;
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            continue; // the \n ends the record
        } else if (c == u'\n') {
            endRecord();
            ++line;
            current.line = line;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (inQuotes)
        return Problem{u"csv_unterminated"_s,
                       ApprovalLogCsv::tr("Line %1: a quoted field is never closed.").arg(current.line),
                       {}};
    if (fieldStarted || !current.fields.isEmpty())
        endRecord();
    return records;
}

} // namespace

QByteArray ApprovalLogCsv::header() {
    return "\xEF\xBB\xBF" + kHeader + "\r\n";
}

QString ApprovalLogCsv::escapeText(const QString& text) {
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\\')
            out += u"\\\\"_s;
        else if (needsEscape(u))
            out += u"\\u{"_s + QString::number(uint(u), 16).toUpper().rightJustified(4, u'0') + u'}';
        else
            out += c;
    }
    if (startsLikeFormula(out))
        out.prepend(u'\'');
    return out;
}

std::optional<QString> ApprovalLogCsv::unescapeText(const QString& field) {
    QStringView rest(field);
    if (!rest.isEmpty() && rest.front() == u'\'') {
        rest = rest.mid(1);
        if (!startsLikeFormula(rest.toString()))
            return std::nullopt; // the writer adds a quote only before these
    } else if (startsLikeFormula(field)) {
        return std::nullopt;
    }
    QString out;
    out.reserve(rest.size());
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QChar c = rest.at(i);
        if (needsEscape(c.unicode()))
            return std::nullopt; // written escaped, never raw
        if (c != u'\\') {
            out += c;
            continue;
        }
        if (i + 1 < rest.size() && rest.at(i + 1) == u'\\') {
            out += u'\\';
            ++i;
            continue;
        }
        if (i + 8 > rest.size() || rest.mid(i + 1, 2) != u"u{" || rest.at(i + 7) != u'}')
            return std::nullopt; // \u{XXXX}: eight characters
        bool ok = false;
        const uint code = rest.mid(i + 3, 4).toUInt(&ok, 16);
        if (!ok || !needsEscape(char16_t(code)))
            return std::nullopt;
        out += QChar(char16_t(code));
        i += 7;
    }
    return out;
}

QByteArray ApprovalLogCsv::row(const ApprovalLogEntry& e) {
    return QByteArray::number(e.seq) + ',' + timestamps::toIso(e.at).toUtf8() + ',' +
           quoted(escapeText(e.tenantId)) + ',' + quoted(escapeText(e.recordId)) + ',' +
           quoted(escapeText(e.actorId)) + ',' + quoted(escapeText(e.identity)) + ',' +
           quoted(escapeText(e.action)) + ',' + QByteArray::number(e.step) + ',' +
           quoted(escapeText(e.statusAfter)) + ',' + quoted(escapeText(e.comment)) + ',' + e.prevHash + ',' +
           e.hash + "\r\n";
}

QByteArray ApprovalLogCsv::wholeLogMark(const QString& tenantId, qint64 lastSeq) {
    return kWholeLog.toUtf8() + ',' + quoted(escapeText(tenantId)) + ',' + QByteArray::number(lastSeq) +
           "\r\n";
}

Result<LogCsvVerification> ApprovalLogCsv::verify(QIODevice* in) {
    QByteArray bytes = in->readAll();
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes)
        return Problem{u"csv_not_utf8"_s, tr("The file is not UTF-8 text."), {}};
    auto records = parseRecords(text);
    if (!records)
        return records.problem();
    const QList<Record>& rows = records.value();
    const QString firstLine = rows.isEmpty() ? QString() : rows.first().fields.join(u',');
    const bool withIdentity = firstLine == QString::fromLatin1(kHeader);
    if (!withIdentity && firstLine != QString::fromLatin1(kOldHeader))
        return Problem{u"csv_not_a_log"_s,
                       tr("Line 1: this is not a Riskdesk approval-log export (its first line must be: %1).")
                           .arg(QString::fromLatin1(kHeader)),
                       {}};
    const QList<QByteArray> names = (withIdentity ? kHeader : kOldHeader).split(',');
    const int columns = int(names.size());
    // Where each field is in this file: the old layout has no identity column.
    const int shift = withIdentity ? 1 : 0;

    struct Last {
        qint64 first = 0;
        qint64 seq = 0;
        QByteArray hash;
        // The first place the file skips entries: after entry gapAfter it goes on at gapTo, on gapLine.
        qint64 gapAfter = 0;
        qint64 gapTo = 0;
        qint64 gapLine = 0;
    };
    QHash<QString, Last> last; // per tenant
    struct Mark {
        qint64 seq = 0;
        qint64 line = 0;
    };
    QMap<QString, Mark> marks; // the whole-log lines, per tenant
    LogCsvVerification v;
    v.startsAtGenesis = true;
    for (qsizetype r = 1; r < rows.size(); ++r) {
        const Record& record = rows.at(r);
        const QStringList& f = record.fields;
        auto bad = [&](const QString& what) {
            return Problem{u"csv_bad_row"_s, tr("Line %1: %2").arg(record.line).arg(what), {}};
        };
        if (!f.isEmpty() && f.first() == kWholeLog) {
            bool seqOk = false;
            const qint64 seq = f.size() == 3 ? f.at(2).toLongLong(&seqOk) : 0;
            const auto tenant = f.size() == 3 ? unescapeText(f.at(1)) : std::nullopt;
            if (!tenant || !seqOk || seq < 1)
                return bad(tr("a %1 line must be: %1,<tenant>,<last entry>.").arg(kWholeLog));
            if (marks.contains(*tenant))
                return bad(tr("a second %1 line for %2.").arg(kWholeLog, *tenant));
            marks.insert(*tenant, Mark{seq, record.line});
            continue;
        }
        if (!marks.isEmpty())
            return bad(tr("an entry after the %1 lines, which end the file.").arg(kWholeLog));
        if (f.size() != columns)
            return bad(tr("expected %1 fields, found %2.").arg(columns).arg(f.size()));
        ApprovalLogEntry e;
        bool seqOk = false, stepOk = false;
        e.seq = f.at(0).toLongLong(&seqOk);
        e.step = f.at(6 + shift).toInt(&stepOk);
        if (!seqOk || e.seq < 1)
            return bad(tr("seq \"%1\" is not a whole number of 1 or more.").arg(f.at(0)));
        if (!stepOk || e.step < 0)
            return bad(tr("step \"%1\" is not a whole number of 0 or more.").arg(f.at(6 + shift)));
        const auto at = timestamps::fromIso(f.at(1));
        if (!at || timestamps::toIso(*at) != f.at(1))
            return bad(tr("at \"%1\" is not a UTC time with milliseconds.").arg(f.at(1)));
        e.at = *at;
        const int textColumns[] = {2, 3, 4, 5 + shift, 7 + shift, 8 + shift, 5};
        QString* targets[] = {&e.tenantId,    &e.recordId, &e.actorId, &e.action,
                              &e.statusAfter, &e.comment,  &e.identity};
        for (int k = 0; k < 6 + shift; ++k) {
            const auto value = unescapeText(f.at(textColumns[k]));
            if (!value)
                return bad(tr("field %1 is not escaped as the format says.")
                               .arg(QString::fromLatin1(names.at(textColumns[k]))));
            *targets[k] = *value;
        }
        if (!isHash(f.at(9 + shift)) || !isHash(f.at(10 + shift)))
            return bad(tr("prev_hash and hash must be 64 lowercase hexadecimal digits."));
        e.prevHash = f.at(9 + shift).toLatin1();
        e.hash = f.at(10 + shift).toLatin1();
        ++v.entries;

        auto broken = [&](const QString& why) {
            v.intact = false;
            v.firstBrokenLine = record.line;
            v.message = tr("Line %1, %2 entry %3: %4").arg(record.line).arg(e.tenantId).arg(e.seq).arg(why);
            return v;
        };
        if (e.computeHash() != e.hash)
            return broken(tr("its content does not match its hash; it was changed after it was logged."));
        const auto found = last.find(e.tenantId);
        if (found == last.end()) {
            if (e.seq != 1)
                v.startsAtGenesis = false;
            else if (e.prevHash != ApprovalLogEntry::genesisHash())
                return broken(tr("the first entry must follow the genesis hash."));
            last.insert(e.tenantId, Last{e.seq, e.seq, e.hash});
            continue;
        }
        if (e.seq <= found->seq) {
            return broken(tr("it comes after entry %1; entries must be in ascending order.").arg(found->seq));
        } else if (e.seq == found->seq + 1) {
            ++v.linksChecked;
            if (e.prevHash != found->hash)
                return broken(tr("it does not link to entry %1 before it.").arg(found->seq));
        } else {
            ++v.gaps;
            if (found->gapLine == 0) {
                found->gapAfter = found->seq;
                found->gapTo = e.seq;
                found->gapLine = record.line;
            }
        }
        found->seq = e.seq;
        found->hash = e.hash;
    }
    // A file that says it is a tenant's whole log must hold every entry of it up to the one it names.
    for (auto m = marks.cbegin(); m != marks.cend(); ++m) {
        const auto t = last.constFind(m.key());
        qint64 line = m->line;
        QString why;
        if (t == last.constEnd()) {
            why = tr("it holds none of its entries.");
        } else if (t->first == 2) {
            why = tr("it starts at entry 2: entry 1 is missing.");
        } else if (t->first != 1) {
            why = tr("it starts at entry %1: entries 1 to %2 are missing.").arg(t->first).arg(t->first - 1);
        } else if (t->gapLine != 0) {
            line = t->gapLine;
            why = t->gapTo == t->gapAfter + 2
                      ? tr("entry %1 is missing (between entries %2 and %3).")
                            .arg(t->gapAfter + 1)
                            .arg(t->gapAfter)
                            .arg(t->gapTo)
                      : tr("entries %1 to %2 are missing (between entries %3 and %4).")
                            .arg(t->gapAfter + 1)
                            .arg(t->gapTo - 1)
                            .arg(t->gapAfter)
                            .arg(t->gapTo);
        } else if (t->seq != m->seq) {
            why = tr("its last entry is %1.").arg(t->seq);
        }
        if (!why.isEmpty()) {
            v.intact = false;
            v.firstBrokenLine = line;
            v.message = tr("Line %1: the file says it holds the whole log of %2 up to entry %3, but %4")
                            .arg(line)
                            .arg(m.key())
                            .arg(m->seq)
                            .arg(why);
            return v;
        }
    }
    v.complete = !last.isEmpty();
    for (auto it = last.cbegin(); it != last.cend(); ++it)
        v.complete = v.complete && marks.contains(it.key());
    v.intact = true;
    QStringList ends;
    for (auto it = last.cbegin(); it != last.cend(); ++it)
        ends << tr("%1 up to entry %2 (%3…)")
                    .arg(it.key())
                    .arg(it->seq)
                    .arg(QString::fromLatin1(it->hash.left(12)));
    ends.sort();
    v.message =
        v.gaps == 0 && v.startsAtGenesis
            ? tr("All %n entries are intact, each linked to the one before from the first entry on.", nullptr,
                 int(v.entries))
            : tr("All %n entries are intact; %1. The file is a selection (%2%3), so entries outside "
                 "it cannot be vouched for.",
                 nullptr, int(v.entries))
                  .arg(tr("%n link(s) checked", nullptr, int(std::min<qint64>(v.linksChecked, INT_MAX))))
                  .arg(tr("%n gap(s)", nullptr, int(std::min<qint64>(v.gaps, INT_MAX))))
                  .arg(v.startsAtGenesis ? QString() : tr(", not from the first entry"));
    if (v.complete)
        v.message = Sentences::append(
            v.message, tr("It is marked as the whole log and holds every entry up to the one marked."));
    else if (v.gaps == 0 && v.startsAtGenesis) // a file cut short loses its last line, the mark, first
        v.message = Sentences::append(
            v.message, tr("It is not marked as the whole log (an export of every entry ends "
                          "with a %1 line), so it may end early: it was exported with filters, "
                          "or cut short.")
                           .arg(kWholeLog));
    // A file cannot show that entries were cut from its end: only the workspace's (or the server's) head can.
    v.message = Sentences::append(
        v.message, tr("The file covers %1; whether entries after those were left out can only be told by "
                      "comparing the last hash with the head that log verify reports for the workspace.")
                       .arg(ends.join(tr("; "))));
    return v;
}

} // namespace riskdesk
