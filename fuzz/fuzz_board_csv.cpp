// libFuzzer target: the board CSV reader and the board loader that checks every value of a data file.
// Input: a dataset's file name as the loader knows it (e.g. v_dws_finance_daily_summary), a line break,
// then that file's CSV bytes. The CSV must read the same after being written back (every field quoted);
// then the loader reads it from a scratch folder, next to a fixed site_settings.csv declaring site S1, and
// must accept it or refuse it with a message, never crash or overflow.
#include "boards/BoardCsvReader.h"
#include "boards/BoardDataCatalog.h"
#include "boards/BoardLoadSet.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Qt::Literals::StringLiterals;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_board_csv: %s\n", what);
    std::abort();
}

QByteArray quotedCsv(const QList<riskdesk::BoardCsvReader::Record>& records) {
    QByteArray out;
    for (const auto& record : records) {
        for (qsizetype f = 0; f < record.fields.size(); ++f) {
            if (f > 0)
                out += ',';
            out += '"' + QString(record.fields.at(f)).replace(u"\""_s, u"\"\""_s).toUtf8() + '"';
        }
        out += "\r\n";
    }
    return out;
}

void write(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        fail("cannot write the scratch file");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    if (newline < 0)
        return 0;
    const riskdesk::BoardDataset* dataset =
        riskdesk::BoardDataCatalog::byFile(QString::fromUtf8(input.left(newline)).trimmed());
    if (!dataset)
        return 0; // only the catalog's names: the name becomes a file name
    const QByteArray csv = input.mid(newline + 1);

    const auto records = riskdesk::BoardCsvReader::parse(csv, u"input.csv"_s);
    if (!records) {
        if (records.problem().message.isEmpty())
            fail("a refused CSV without a message");
    } else {
        const auto again = riskdesk::BoardCsvReader::parse(quotedCsv(records.value()), u"again.csv"_s);
        if (!again || again.value().size() != records.value().size())
            fail("the CSV written back reads as other records");
        for (qsizetype r = 0; r < records.value().size(); ++r) {
            if (again.value().at(r).fields != records.value().at(r).fields)
                fail("a record's fields changed on the way back");
            if (r > 0 && records.value().at(r).line <= records.value().at(r - 1).line)
                fail("records whose lines do not increase");
        }
    }

    static QTemporaryDir scratch;
    if (!scratch.isValid())
        fail("no scratch folder");
    QDir folder(scratch.path());
    for (const QString& old : folder.entryList({u"*.csv"_s}, QDir::Files))
        folder.remove(old);
    if (dataset->file != u"site_settings")
        write(folder.filePath(u"site_settings.csv"_s),
              "site_id,tz,business_day_cutoff_minutes\r\nS1,Asia/Shanghai,360\r\n");
    write(folder.filePath(dataset->file + u".csv"_s), csv);
    const auto loaded = riskdesk::BoardLoadSet::read(scratch.path(), {});
    if (!loaded && loaded.problem().message.isEmpty())
        fail("a refused load without a message");
    return 0;
}
