#include "BoardXlsxExport.h"

#include "PeriodChange.h"

#include <QSet>
#include <QTemporaryDir>
#include <cerrno>
#include <memory>
#include <utility>
#include <xlsxwriter.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The number formats of the typed cells, made once per workbook.
struct Formats {
    lxw_format* header = nullptr;
    lxw_format* bold = nullptr;
    lxw_format* wrap = nullptr;
    lxw_format* money = nullptr;
    lxw_format* moneyBold = nullptr;
    lxw_format* count = nullptr;
    lxw_format* countBold = nullptr;
    lxw_format* twoDecimals = nullptr;
    lxw_format* twoDecimalsBold = nullptr;
    lxw_format* oneDecimal = nullptr;
    lxw_format* oneDecimalBold = nullptr;
    lxw_format* percent = nullptr;
    lxw_format* percentBold = nullptr;
    lxw_format* change = nullptr;
    lxw_format* points = nullptr;

    explicit Formats(lxw_workbook* wb) {
        const auto make = [wb](const char* numFormat, bool isBold) {
            lxw_format* f = workbook_add_format(wb);
            if (numFormat)
                format_set_num_format(f, numFormat);
            if (isBold)
                format_set_bold(f);
            return f;
        };
        header = make(nullptr, true);
        format_set_bottom(header, LXW_BORDER_THIN);
        bold = make(nullptr, true);
        wrap = make(nullptr, false);
        format_set_text_wrap(wrap);
        money = make(BoardXlsxExport::kMoneyFormat, false);
        moneyBold = make(BoardXlsxExport::kMoneyFormat, true);
        count = make("#,##0", false);
        countBold = make("#,##0", true);
        twoDecimals = make("0.00", false);
        twoDecimalsBold = make("0.00", true);
        oneDecimal = make("#,##0.0", false);
        oneDecimalBold = make("#,##0.0", true);
        percent = make("0.0%", false);
        percentBold = make("0.0%", true);
        change = make("+0.0%;-0.0%;0.0%", false);
        const QByteArray pointsCode = BoardXlsxExport::pointsFormat().toUtf8(); // copied by the format
        points = make(pointsCode.constData(), false);
    }

    lxw_format* forUnit(ValueUnit unit, bool isBold) const {
        switch (unit) {
        case ValueUnit::Fen:
            return isBold ? moneyBold : money;
        case ValueUnit::Count:
            return isBold ? countBold : count;
        case ValueUnit::Seconds:
        case ValueUnit::Hundredths:
            return isBold ? twoDecimalsBold : twoDecimals;
        case ValueUnit::Tenths:
            return isBold ? percentBold : percent;
        case ValueUnit::HoursOneDecimal:
        case ValueUnit::CountTenths:
            return isBold ? oneDecimalBold : oneDecimal;
        }
        return nullptr;
    }
};

// The number a value cell holds in the sheet, exactly as the CSV would write it (the same rounding), with
// percentages as fractions for the % format. Nothing for "no data" and "unavailable".
std::optional<double> sheetNumber(const BoardValue& value, ValueUnit unit) {
    const std::optional<qint64> n = value.number();
    if (!n)
        return std::nullopt;
    switch (unit) {
    case ValueUnit::Fen:
    case ValueUnit::Hundredths:
        return double(*n) / 100.0;
    case ValueUnit::Count:
        return double(*n);
    case ValueUnit::Tenths:
        return double(*n) / 1000.0;
    case ValueUnit::CountTenths:
        return double(*n) / 10.0;
    case ValueUnit::Seconds:
    case ValueUnit::HoursOneDecimal:
        break;
    }
    // Hours: the CSV's rounding of the seconds, so both files agree.
    bool ok = false;
    const double hours = value.csv(unit).toDouble(&ok);
    return ok ? std::optional<double>(hours) : std::nullopt;
}

class Sheet {
public:
    Sheet(lxw_worksheet* ws, const Formats& f) : m_ws(ws), m_f(f) {}

    void text(lxw_row_t row, lxw_col_t col, const QString& s, lxw_format* format = nullptr) {
        if (s.isEmpty())
            return;
        worksheet_write_string(m_ws, row, col, s.toUtf8().constData(), format);
    }
    void number(lxw_row_t row, lxw_col_t col, double n, lxw_format* format) {
        worksheet_write_number(m_ws, row, col, n, format);
    }
    void value(lxw_row_t row, lxw_col_t col, const BoardValue& v, ValueUnit unit, bool isBold) {
        if (const auto n = sheetNumber(v, unit))
            number(row, col, *n, m_f.forUnit(unit, isBold));
    }
    void change(lxw_row_t row, lxw_col_t col, const std::optional<PeriodChange>& c) {
        if (!c)
            return;
        if (c->kind() == PeriodChange::Kind::Percent && c->tenths())
            number(row, col, double(*c->tenths()) / 1000.0, m_f.change);
        else if (c->kind() == PeriodChange::Kind::Points &&
                 c->tenths()) // a number, not "−29.4 pp" (helper-86)
            number(row, col, double(*c->tenths()) / 10.0, m_f.points);
        else
            text(row, col, c->text());
    }
    void cell(lxw_row_t row, lxw_col_t col, const BoardTableColumn& column, const BoardCell& c, bool isBold) {
        switch (column.type) {
        case BoardTableColumn::Type::Text:
            if (c.value.state() != CellState::Unavailable)
                text(row, col, c.csvText.value_or(c.text), isBold ? m_f.bold : nullptr);
            return;
        case BoardTableColumn::Type::Value:
            value(row, col, c.value, column.unit, isBold);
            return;
        case BoardTableColumn::Type::Change:
            change(row, col, c.change);
            return;
        }
    }
    void width(lxw_col_t col, double w) { worksheet_set_column(m_ws, col, col, w, nullptr); }

private:
    lxw_worksheet* m_ws;
    const Formats& m_f;
};

// Excel's column width in characters, counting wide characters twice, within reason.
double columnWidth(const QString& s) {
    double w = 2;
    for (const QChar ch : s)
        w += ch.unicode() >= 0x2E80 ? 2 : 1;
    return std::clamp(w, 8.0, 60.0);
}

} // namespace

QString BoardXlsxExport::pointsFormat() {
    // The unit as the board writes it, around the number; quoted, so that no letter of it is a format code.
    const QStringList around =
        PeriodChange::tr("%1 pp", "a difference of rates in percentage points").split(u"%1"_s);
    const auto quoted = [](const QString& text) {
        return text.isEmpty() ? QString() : u'"' + QString(text).remove(u'"') + u'"';
    };
    const QString before = quoted(around.value(0)), after = quoted(around.value(1));
    return before + u"+0.0"_s + after + u';' + before + u"-0.0"_s + after + u';' + before + u"0.0"_s + after;
}

QString BoardXlsxExport::sheetName(const QString& title, QSet<QString>& used) {
    QString name;
    for (const QChar ch : title)
        name += QStringView(u"[]:*?/\\").contains(ch) || ch.category() == QChar::Other_Control ? u'_' : ch;
    name = name.trimmed();
    while (name.startsWith(u'\''))
        name.remove(0, 1);
    while (name.endsWith(u'\''))
        name.chop(1);
    if (name.isEmpty() || name.compare(u"History"_s, Qt::CaseInsensitive) == 0)
        name = u"Sheet"_s;
    // At most 31 characters (code points), never splitting a surrogate pair.
    const auto clip = [](const QString& s, int limit) {
        QString out;
        int n = 0;
        for (int i = 0; i < s.size() && n < limit; ++i, ++n) {
            out += s[i];
            if (s[i].isHighSurrogate() && i + 1 < s.size())
                out += s[++i];
        }
        return out;
    };
    // A longer title ends at a word's end where it has spaces, and with "…": a name never stops mid-word
    // without saying so ("Trend of accrued revenue, cash " was one).
    const auto shorten = [&clip](const QString& s, int limit) {
        if (s.toUcs4().size() <= limit)
            return s;
        QString out = clip(s, limit - 1);
        const bool wordEnds = out.size() < s.size() && s[out.size()].isSpace();
        const qsizetype space = out.lastIndexOf(u' ');
        if (!wordEnds && space >= limit / 2)
            out.truncate(space);
        while (!out.isEmpty() && (out.back().isSpace() || out.back() == u','))
            out.chop(1);
        return out + u'…';
    };
    QString candidate = shorten(name, 31);
    for (int k = 2; used.contains(candidate.toCaseFolded()); ++k) {
        const QString suffix = u" (%1)"_s.arg(k);
        candidate = shorten(name, 31 - int(suffix.size())).trimmed() + suffix;
    }
    used.insert(candidate.toCaseFolded());
    return candidate;
}

namespace {

// One workbook being written: the overview sheet first (its KPI rows once the set is known), a sheet per
// section as the rows arrive (BoardRowSink), then the totals, the filters and the notes. Constant memory:
// rows stream to temporary files, so a 100,000-row section does not sit in memory.
class Workbook : public BoardRowSink {
public:
    // Messages name shownAs: the file the user asked for, not the partial one being written.
    Workbook(const QString& path, const QString& shownAs)
        : m_path(shownAs.isEmpty() ? path : shownAs), m_tmpdir(m_tmp.path().toUtf8()) {
        const QByteArray file = path.toUtf8();
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;
        options.tmpdir = m_tmp.isValid() ? m_tmpdir.data() : nullptr;
        m_wb = workbook_new_opt(file.constData(), &options);
        if (!m_wb)
            return;
        m_f = std::make_unique<Formats>(m_wb);
        // Not "Overview": the finance board has a section of that name, which then became "Overview (2)".
        m_overview = addSheet(BoardXlsxExport::tr("Key figures"));
    }
    Workbook(const Workbook&) = delete;
    Workbook& operator=(const Workbook&) = delete;
    ~Workbook() override {
        if (m_wb)
            lxw_workbook_free(m_wb); // never closed: nothing was written
    }

    Status opened() const {
        if (!m_wb)
            return Problem{u"export_failed"_s, BoardXlsxExport::tr("Could not create %1.").arg(m_path), {}};
        return success();
    }

    Status beginTable(const BoardTable& table) override {
        lxw_worksheet* ws = addSheet(table.title());
        Sheet s(ws, *m_f);
        const QList<BoardTableColumn>& columns = table.columns();
        for (int i = 0; i < columns.size(); ++i) {
            s.text(0, lxw_col_t(i), columns[i].label, m_f->header);
            s.width(lxw_col_t(i), columnWidth(columns[i].label));
        }
        worksheet_freeze_panes(ws, 1, 0);
        m_sections.append({ws, columns, 1, 0});
        return success();
    }

    Status row(const BoardTableRow& r) override {
        if (m_sections.isEmpty())
            return Problem{u"export_failed"_s, BoardXlsxExport::tr("A row came before its section."), {}};
        Section& section = m_sections.last();
        Sheet s(section.ws, *m_f);
        for (int i = 0; i < section.columns.size(); ++i)
            s.cell(section.next, lxw_col_t(i), section.columns[i], r.cells[i], false);
        for (const BoardCell& c : r.cells)
            section.unavailableCells += c.value.state() == CellState::Unavailable ? 1 : 0;
        ++section.next;
        return success();
    }

    // Everything but the sections' rows, which have come through row(); then the file.
    Status finish(const BoardExportSet& set);

private:
    struct Section {
        lxw_worksheet* ws = nullptr;
        QList<BoardTableColumn> columns;
        lxw_row_t next = 1; // the next row
        qint64 unavailableCells = 0;
    };

    lxw_worksheet* addSheet(const QString& title) {
        return workbook_add_worksheet(m_wb, BoardXlsxExport::sheetName(title, m_used).toUtf8().constData());
    }

    QString m_path;
    QTemporaryDir m_tmp;
    QByteArray m_tmpdir;
    lxw_workbook* m_wb = nullptr;
    std::unique_ptr<Formats> m_f;
    QSet<QString> m_used;
    lxw_worksheet* m_overview = nullptr;
    QList<Section> m_sections;
};

Status Workbook::finish(const BoardExportSet& set) {
    const Formats& f = *m_f;
    const QLocale& locale = set.locale();
    const bool severalReports = set.reports().size() > 1;
    qsizetype tables = 0;
    for (const BoardReport& report : set.reports())
        tables += report.tables().size();
    if (tables != m_sections.size())
        return Problem{u"export_failed"_s,
                       BoardXlsxExport::tr("%1 sections were computed but %2 written.")
                           .arg(tables)
                           .arg(m_sections.size()),
                       {}};

    // Overview: the KPI cards.
    {
        Sheet s(m_overview, f);
        lxw_col_t c = 0;
        if (severalReports)
            s.text(0, c++, BoardXlsxExport::tr("Section"), f.header);
        const lxw_col_t first = c;
        s.text(0, c, BoardXlsxExport::tr("Indicator"), f.header);
        s.text(0, c + 1, BoardXlsxExport::tr("Value"), f.header);
        s.text(0, c + 2, BoardXlsxExport::tr("Change"), f.header);
        s.text(0, c + 3, BoardXlsxExport::tr("Compared with"), f.header);
        s.width(first, 28);
        s.width(first + 1, 18);
        s.width(first + 2, 12);
        s.width(first + 3, 36);
        if (severalReports)
            s.width(0, 24);
        lxw_row_t row = 1;
        for (const BoardReport& report : set.reports()) {
            for (const BoardKpi& kpi : report.kpis()) {
                if (severalReports)
                    s.text(row, 0,
                           report.tables().isEmpty() ? report.title() : report.tables().first().title());
                s.text(row, first, kpi.label);
                s.value(row, first + 1, kpi.value, kpi.unit, false);
                s.change(row, first + 2, kpi.change);
                s.text(row, first + 3, kpi.comparison);
                ++row;
            }
        }
    }

    // Each section's totals row, under its rows; a section without rows says why under its header, so that
    // its sheet is never a bare header.
    qsizetype k = 0;
    for (const BoardReport& report : set.reports()) {
        for (const BoardTable& table : report.tables()) {
            const Section& section = m_sections.at(k++);
            const auto& totals = table.totals();
            if (!table.outcome().showsRows()) {
                Sheet(section.ws, f).text(section.next, 0, table.outcome().headerNote());
                continue;
            }
            if (!totals)
                continue;
            Sheet s(section.ws, f);
            for (int i = 0; i < section.columns.size(); ++i) {
                if (i == 0)
                    s.text(section.next, 0, BoardXlsxExport::tr("Total"), f.bold);
                else
                    s.cell(section.next, lxw_col_t(i), section.columns[i], totals->cells[i], true);
            }
        }
    }

    // Filters.
    {
        lxw_worksheet* ws = addSheet(BoardXlsxExport::tr("Filters"));
        Sheet s(ws, f);
        s.width(0, 20);
        s.width(1, 48);
        lxw_row_t row = 0;
        for (const BoardExportFilter& filter : set.filters()) {
            s.text(row, 0, filter.label, f.bold);
            s.text(row, 1, filter.value);
            ++row;
        }
    }

    // Notes: per section, its notes, its outcome, its reconciliation warnings and its unavailable fields.
    {
        lxw_worksheet* ws = addSheet(BoardXlsxExport::tr("Notes"));
        Sheet s(ws, f);
        s.text(0, 0, BoardXlsxExport::tr("Section"), f.header);
        s.text(0, 1, BoardXlsxExport::tr("Kind"), f.header);
        s.text(0, 2, BoardXlsxExport::tr("Note"), f.header);
        s.width(0, 24);
        s.width(1, 22);
        s.width(2, 100);
        lxw_row_t row = 1;
        const auto line = [&](const QString& section, const QString& kind, const QString& note) {
            s.text(row, 0, section);
            s.text(row, 1, kind);
            s.text(row, 2, note, f.wrap);
            ++row;
        };
        k = 0;
        // The customer board's tabs are a report each and share badges: each is written once, naming the tabs
        // it applies to (a board of one report names the board).
        QHash<QString, QStringList> badgeTabs;
        if (set.reports().size() > 1)
            for (const BoardReport& report : set.reports())
                for (const QString& badge : report.badges())
                    for (const BoardTable& table : report.tables())
                        badgeTabs[badge] << table.title();
        QSet<QString> badgesWritten;
        for (const BoardReport& report : set.reports()) {
            for (const QString& badge : report.badges()) {
                if (badgesWritten.contains(badge))
                    continue;
                badgesWritten.insert(badge);
                const QStringList tabs = badgeTabs.value(badge);
                line(tabs.isEmpty() ? report.title() : locale.createSeparatedList(tabs),
                     BoardXlsxExport::tr("Board"), badge);
            }
            for (const BoardTable& table : report.tables()) {
                const Section& section = m_sections.at(k++);
                for (const QString& note : table.notes())
                    line(table.title(), BoardXlsxExport::tr("Note"), note);
                if (const QString h = table.outcome().headerNote(); !h.isEmpty())
                    line(table.title(), BoardXlsxExport::tr("Status"), h);
                for (const ReconciliationWarning& w : table.outcome().warnings())
                    line(table.title(), BoardXlsxExport::tr("Reconciliation warning"), w.message(locale));
                for (const QString& field : table.outcome().unavailableFields()) {
                    const int i = table.columnIndex(field);
                    const QString label = i < 0 ? field : table.columns()[i].label;
                    line(table.title(), BoardXlsxExport::tr("Unavailable field"),
                         BoardXlsxExport::tr("%1: %2 (its cells are empty)")
                             .arg(label, table.outcome().unavailableReason(field)));
                }
                // Single unavailable cells (a failed lookup, not a whole enrichment) are empty too: say
                // where.
                if (section.unavailableCells > 0 && table.outcome().unavailableFields().isEmpty())
                    line(table.title(), BoardXlsxExport::tr("Unavailable field"),
                         BoardXlsxExport::tr("%n cell(s) could not be computed and are left empty.", nullptr,
                                             int(std::min<qint64>(section.unavailableCells, INT_MAX))));
            }
        }
    }

    lxw_workbook* wb = std::exchange(m_wb, nullptr); // closing frees it
    errno = 0; // the cause of a failed write (a full disk), which the library's error code does not carry
    const lxw_error error = workbook_close(wb);
    if (error != LXW_NO_ERROR) {
        // The library's own text is English; the usual causes get a sentence in the reader's language.
        const QString why = error == LXW_ERROR_CREATING_XLSX_FILE
                                ? BoardXlsxExport::tr("the file could not be created in its folder")
                            : error == LXW_ERROR_CREATING_TMPFILE
                                ? BoardXlsxExport::tr("no temporary file could be made (is the disk full?)")
                            : errno != 0 ? qt_error_string(errno) // Qt's own, translated sentence
                                         : QString::fromUtf8(lxw_strerror(error));
        return Problem{
            u"export_failed"_s, BoardXlsxExport::tr("Could not write %1: %2").arg(m_path, why), {}};
    }
    return success();
}

} // namespace

Status BoardXlsxExport::write(const QString& path, const BoardExportSet& set) {
    Workbook workbook(path, {});
    if (Status s = workbook.opened(); !s)
        return s;
    for (const BoardReport& report : set.reports()) {
        for (const BoardTable& table : report.tables()) {
            if (Status s = workbook.beginTable(table); !s)
                return s;
            if (!table.outcome().showsRows())
                continue;
            for (const BoardTableRow& r : table.rows())
                if (Status s = workbook.row(r); !s)
                    return s;
        }
    }
    return workbook.finish(set);
}

Result<BoardExportSet>
BoardXlsxExport::computeAndWrite(const QString& path,
                                 const std::function<Result<BoardExportSet>(BoardRowSink& sink)>& compute,
                                 const QString& shownAs) {
    Workbook workbook(path, shownAs);
    if (Status s = workbook.opened(); !s)
        return s.problem();
    auto set = compute(workbook);
    if (!set)
        return set.problem();
    if (Status s = workbook.finish(set.value()); !s)
        return s.problem();
    return set;
}

} // namespace riskdesk
