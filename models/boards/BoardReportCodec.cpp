#include "BoardReportCodec.h"

#include <QIODevice>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr quint32 kMagic = 0x52444252; // "RDBR"
// The format and the rules behind the figures: a cached answer of another version is computed anew. 2: a
// section's no-data reason; 3: a partly loaded period compared like with like, no-data months and tabs; 4:
// the customer board's 60-day window too, and its index scores totalled as a mean; 5: D7 compared with the
// summary a window before its own, D2 and D7's spend over an unloaded window as no data; 6: visits per week
// as a number in tenths; 7: coaches sorted by name in the Chinese collation (NameCollation); 8: the finance
// board's days before the site's data begin as no data; 9: the risk-operations board's titles name their
// instant as people read it (2026-05-17 12:00 UTC), not in ISO form; 10: outflow items share their group's
// share (FinanceCells::sharesWithinGroups), and trend buckets before the site's data begin are no data; 11:
// a reconciliation that cannot be made keeps what it lacks, and partial trend buckets carry their note.
constexpr quint32 kVersion = 11;

void writeOptional(QDataStream& out, const std::optional<qint64>& v) {
    out << bool(v.has_value()) << qint64(v.value_or(0));
}

std::optional<qint64> readOptional(QDataStream& in) {
    bool has = false;
    qint64 v = 0;
    in >> has >> v;
    return has ? std::optional<qint64>(v) : std::nullopt;
}

void writeJson(QDataStream& out, const QJsonObject& o) {
    out << QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject readJson(QDataStream& in) {
    QByteArray bytes;
    in >> bytes;
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace

void BoardReportCodec::writeValue(QDataStream& out, const BoardValue& value) {
    out << qint32(value.m_state) << value.m_number << value.m_reason;
}

BoardValue BoardReportCodec::readValue(QDataStream& in) {
    BoardValue v;
    qint32 state = 0;
    in >> state >> v.m_number >> v.m_reason;
    if (state < 0 || state > qint32(CellState::Unavailable))
        in.setStatus(QDataStream::ReadCorruptData);
    else
        v.m_state = CellState(state);
    return v;
}

void BoardReportCodec::writeChange(QDataStream& out, const std::optional<PeriodChange>& change) {
    out << bool(change.has_value());
    if (!change)
        return;
    out << qint32(change->m_kind) << qint32(change->m_trend);
    writeOptional(out, change->m_tenths);
    writeOptional(out, change->m_delta);
    out << change->m_currentMissing;
}

std::optional<PeriodChange> BoardReportCodec::readChange(QDataStream& in) {
    bool has = false;
    in >> has;
    if (!has)
        return std::nullopt;
    PeriodChange c;
    qint32 kind = 0, trend = 0;
    in >> kind >> trend;
    if (kind < 0 || kind > qint32(PeriodChange::Kind::PreviousZero) || trend < 0 ||
        trend > qint32(Trend::None)) {
        in.setStatus(QDataStream::ReadCorruptData);
        return std::nullopt;
    }
    c.m_kind = PeriodChange::Kind(kind);
    c.m_trend = Trend(trend);
    c.m_tenths = readOptional(in);
    c.m_delta = readOptional(in);
    in >> c.m_currentMissing;
    return c;
}

void BoardReportCodec::writeWarning(QDataStream& out, const ReconciliationWarning& w) {
    out << qint32(w.m_kind) << w.m_subject;
    writeOptional(out, w.m_expected);
    writeOptional(out, w.m_actual);
    writeOptional(out, w.m_difference);
    out << w.m_missing;
}

ReconciliationWarning BoardReportCodec::readWarning(QDataStream& in) {
    ReconciliationWarning w;
    qint32 kind = 0;
    in >> kind >> w.m_subject;
    if (kind < 0 || kind > qint32(ReconciliationWarning::Kind::CannotReconcile))
        in.setStatus(QDataStream::ReadCorruptData);
    else
        w.m_kind = ReconciliationWarning::Kind(kind);
    w.m_expected = readOptional(in);
    w.m_actual = readOptional(in);
    w.m_difference = readOptional(in);
    in >> w.m_missing;
    return w;
}

QByteArray BoardReportCodec::encode(const BoardReport& report) {
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kMagic << kVersion << report.board() << report.title();
    writeJson(out, report.parameters());
    out << report.watermark() << report.badges();
    out << qint32(report.kpis().size());
    for (const BoardKpi& k : report.kpis()) {
        out << k.key << k.label << qint32(k.unit) << k.comparison;
        writeValue(out, k.value);
        writeChange(out, k.change);
        writeJson(out, k.previous);
    }
    out << qint32(report.tables().size());
    for (const BoardTable& t : report.tables()) {
        out << t.key() << t.title() << qint32(t.columns().size());
        for (const BoardTableColumn& c : t.columns())
            out << c.key << c.label << qint32(c.type) << qint32(c.unit);
        auto writeRow = [&](const BoardTableRow& row) {
            out << row.id;
            writeJson(out, row.detail);
            for (const BoardCell& cell : row.cells) {
                out << cell.text << cell.note << bool(cell.csvText.has_value())
                    << cell.csvText.value_or(QString());
                writeValue(out, cell.value);
                writeChange(out, cell.change);
            }
        };
        out << qint32(t.rows().size());
        for (const BoardTableRow& row : t.rows())
            writeRow(row);
        out << bool(t.totals().has_value());
        if (t.totals())
            writeRow(*t.totals());
        out << t.total() << t.page() << qint32(t.pageSize()) << t.sort() << t.notes();
        const SectionOutcome& o = t.outcome();
        out << o.section() << bool(o.coreError().has_value()) << o.coreError().value_or(QString());
        out << bool(o.noDataReason().has_value()) << o.noDataReason().value_or(QString());
        out << qint32(o.failures().size());
        for (const EnrichmentFailure& f : o.failures())
            out << f.name << f.fields << f.reason << f.timedOut;
        out << qint32(o.warnings().size());
        for (const ReconciliationWarning& w : o.warnings())
            writeWarning(out, w);
    }
    return bytes;
}

Result<BoardReport> BoardReportCodec::decode(const QByteArray& bytes) {
    const Problem corrupt{
        u"cache_corrupt"_s, tr("A cached board result could not be read; it is computed anew."), {}};
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, version = 0;
    QString board, title;
    in >> magic >> version;
    if (magic != kMagic || version != kVersion)
        return corrupt;
    in >> board >> title;
    BoardReport report(board, title);
    report.parameters() = readJson(in);
    QDate watermark;
    QStringList badges;
    in >> watermark >> badges;
    report.setWatermark(watermark);
    for (const QString& b : badges)
        report.addBadge(b);
    // Counts come from the bytes: a damaged count must not make the loop run for ever.
    auto sane = [&](qint32 n) { return in.status() == QDataStream::Ok && n >= 0 && n <= 10'000'000; };
    qint32 kpis = 0;
    in >> kpis;
    if (!sane(kpis))
        return corrupt;
    for (qint32 i = 0; i < kpis && in.status() == QDataStream::Ok; ++i) {
        BoardKpi k;
        qint32 unit = 0;
        in >> k.key >> k.label >> unit >> k.comparison;
        k.unit = ValueUnit(unit);
        k.value = readValue(in);
        k.change = readChange(in);
        k.previous = readJson(in);
        report.addKpi(std::move(k));
    }
    qint32 tables = 0;
    in >> tables;
    if (!sane(tables))
        return corrupt;
    for (qint32 i = 0; i < tables && in.status() == QDataStream::Ok; ++i) {
        QString key, tableTitle;
        qint32 columns = 0;
        in >> key >> tableTitle >> columns;
        if (!sane(columns))
            return corrupt;
        QList<BoardTableColumn> cols;
        for (qint32 c = 0; c < columns && in.status() == QDataStream::Ok; ++c) {
            BoardTableColumn col;
            qint32 type = 0, unit = 0;
            in >> col.key >> col.label >> type >> unit;
            col.type = BoardTableColumn::Type(type);
            col.unit = ValueUnit(unit);
            cols << col;
        }
        BoardTable table(key, tableTitle, cols);
        auto readRow = [&]() {
            BoardTableRow row;
            in >> row.id;
            row.detail = readJson(in);
            for (qint32 c = 0; c < columns && in.status() == QDataStream::Ok; ++c) {
                BoardCell cell;
                bool hasCsv = false;
                QString csv;
                in >> cell.text >> cell.note >> hasCsv >> csv;
                if (hasCsv)
                    cell.csvText = csv;
                cell.value = readValue(in);
                cell.change = readChange(in);
                row.cells << cell;
            }
            return row;
        };
        qint32 rows = 0;
        in >> rows;
        if (!sane(rows))
            return corrupt;
        for (qint32 r = 0; r < rows && in.status() == QDataStream::Ok; ++r) {
            BoardTableRow row = readRow();
            if (in.status() != QDataStream::Ok)
                return corrupt;
            table.addRow(std::move(row));
        }
        bool hasTotals = false;
        in >> hasTotals;
        if (hasTotals) {
            BoardTableRow totals = readRow();
            if (in.status() != QDataStream::Ok)
                return corrupt;
            table.setTotals(std::move(totals));
        }
        qint64 total = 0, page = 1;
        qint32 pageSize = 0;
        QString sort;
        QStringList notes;
        in >> total >> page >> pageSize >> sort >> notes;
        table.setPaging(total, page, pageSize);
        table.setSort(sort);
        for (const QString& n : notes)
            table.addNote(n);
        QString section, coreError;
        bool hasCoreError = false;
        QString noDataReason;
        bool hasNoData = false;
        in >> section >> hasCoreError >> coreError >> hasNoData >> noDataReason;
        SectionOutcome outcome(section);
        if (hasCoreError)
            outcome.failCore(coreError);
        if (hasNoData)
            outcome.markNoData(noDataReason);
        qint32 failures = 0;
        in >> failures;
        if (!sane(failures))
            return corrupt;
        for (qint32 f = 0; f < failures && in.status() == QDataStream::Ok; ++f) {
            EnrichmentFailure failure;
            in >> failure.name >> failure.fields >> failure.reason >> failure.timedOut;
            outcome.failEnrichment(failure);
        }
        qint32 warnings = 0;
        in >> warnings;
        if (!sane(warnings))
            return corrupt;
        for (qint32 w = 0; w < warnings && in.status() == QDataStream::Ok; ++w)
            outcome.addWarning(readWarning(in));
        table.outcome() = outcome;
        report.addTable(std::move(table));
    }
    if (in.status() != QDataStream::Ok || !in.atEnd())
        return corrupt;
    return report;
}

} // namespace riskdesk
