#include "BoardTable.h"

#include "domain/CsvField.h"
#include "domain/TextRules.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QJsonValue cellJson(const BoardTableColumn& column, const BoardCell& cell) {
    switch (column.type) {
    case BoardTableColumn::Type::Text:
        // A text field whose lookup failed carries its state, like a number would.
        if (cell.value.state() == CellState::Unavailable)
            return cell.value.toJson(column.unit);
        return cell.text;
    case BoardTableColumn::Type::Value:
        return cell.value.toJson(column.unit);
    case BoardTableColumn::Type::Change:
        return cell.change ? QJsonValue(cell.change->toJson()) : QJsonValue(QJsonValue::Null);
    }
    return {};
}

QString cellCsv(const BoardTableColumn& column, const BoardCell& cell) {
    switch (column.type) {
    case BoardTableColumn::Type::Text:
        return cell.value.state() == CellState::Unavailable ? QString() : cell.csvText.value_or(cell.text);
    case BoardTableColumn::Type::Value:
        return cell.value.csv(column.unit);
    case BoardTableColumn::Type::Change:
        if (!cell.change || !cell.change->tenths())
            return cell.change && cell.change->kind() == PeriodChange::Kind::New ? u"new"_s : QString();
        return BoardValue::ofSum(*cell.change->tenths()).csv(ValueUnit::Tenths);
    }
    return {};
}

const char* unitKey(ValueUnit unit) {
    switch (unit) {
    case ValueUnit::Fen:
        return "money";
    case ValueUnit::Count:
        return "count";
    case ValueUnit::Seconds:
        return "hours";
    case ValueUnit::Tenths:
        return "percent";
    case ValueUnit::Hundredths:
        return "score";
    case ValueUnit::HoursOneDecimal:
        return "hours";
    case ValueUnit::CountTenths:
        return "count";
    }
    return "";
}

} // namespace

BoardCell BoardCell::ofText(const QString& text, const QString& note) {
    BoardCell c;
    c.text = text;
    c.note = note;
    return c;
}

BoardCell BoardCell::ofValue(const BoardValue& value, const QString& note) {
    BoardCell c;
    c.value = value;
    c.note = note;
    return c;
}

BoardCell BoardCell::ofChange(const PeriodChange& change, const QString& note) {
    BoardCell c;
    c.change = change;
    c.note = note;
    return c;
}

BoardTable::BoardTable(QString key, QString title, QList<BoardTableColumn> columns)
    : m_key(std::move(key)), m_title(std::move(title)), m_columns(std::move(columns)), m_outcome(m_key) {}

int BoardTable::columnIndex(const QString& key) const {
    for (int i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].key == key)
            return i;
    return -1;
}

void BoardTable::addRow(BoardTableRow row) {
    Q_ASSERT(row.cells.size() == m_columns.size());
    m_rows.append(std::move(row));
}

void BoardTable::setTotals(BoardTableRow totals) {
    Q_ASSERT(totals.cells.size() == m_columns.size());
    m_totals = std::move(totals);
}

void BoardTable::setPaging(qint64 total, qint64 page, int pageSize) {
    m_total = total;
    m_page = page;
    m_pageSize = pageSize;
}

const BoardCell* BoardTable::cell(const BoardTableRow& row, const QString& columnKey) const {
    const int i = columnIndex(columnKey);
    return i < 0 || i >= row.cells.size() ? nullptr : &row.cells[i];
}

const BoardTableRow* BoardTable::rowById(const QVariant& id) const {
    for (const BoardTableRow& row : m_rows)
        if (row.id == id || row.id.toString() == id.toString())
            return &row;
    return nullptr;
}

QJsonObject BoardTable::toJson() const {
    QJsonArray columns;
    for (const BoardTableColumn& c : m_columns) {
        QJsonObject o{{u"key"_s, c.key}, {u"label"_s, c.label}};
        switch (c.type) {
        case BoardTableColumn::Type::Text:
            o.insert(u"type"_s, u"text"_s);
            break;
        case BoardTableColumn::Type::Value:
            o.insert(u"type"_s, QString::fromLatin1(unitKey(c.unit)));
            break;
        case BoardTableColumn::Type::Change:
            o.insert(u"type"_s, u"change"_s);
            break;
        }
        columns.append(o);
    }
    const auto rowJson = [this](const BoardTableRow& row) {
        QJsonObject o = row.detail;
        o.insert(u"id"_s, QJsonValue::fromVariant(row.id));
        for (int i = 0; i < m_columns.size(); ++i) {
            o.insert(m_columns[i].key, cellJson(m_columns[i], row.cells[i]));
            if (!row.cells[i].note.isEmpty())
                o.insert(m_columns[i].key + u"Note"_s, row.cells[i].note);
        }
        return o;
    };
    QJsonArray rows;
    if (m_outcome.showsRows())
        for (const BoardTableRow& row : m_rows)
            rows.append(rowJson(row));
    QJsonObject o{{u"key"_s, m_key},
                  {u"title"_s, m_title},
                  {u"columns"_s, columns},
                  {u"rows"_s, rows},
                  {u"total"_s, double(m_total)},
                  {u"page"_s, double(m_page)},
                  {u"pageSize"_s, m_pageSize},
                  {u"outcome"_s, m_outcome.toJson()}};
    if (m_totals)
        o.insert(u"totals"_s, rowJson(*m_totals));
    if (!m_sort.isEmpty())
        o.insert(u"sort"_s, m_sort);
    if (!m_notes.isEmpty())
        o.insert(u"notes"_s, QJsonArray::fromStringList(m_notes));
    return o;
}

QByteArray BoardTable::toCsv(bool withBom, bool machineNames) const {
    const QStringList unavailable = m_outcome.unavailableFields();
    QStringList header;
    for (const BoardTableColumn& c : m_columns)
        header << CsvField::plain(machineNames ? c.key : c.label);
    if (!unavailable.isEmpty())
        header << u"_unavailable"_s;
    QString text = header.join(u',') + u"\r\n"_s;
    const auto line = [&](const BoardTableRow& row, const QString& first) {
        QStringList fields;
        for (int i = 0; i < m_columns.size(); ++i)
            if (i == 0 && !first.isEmpty())
                fields << CsvField::plain(first);
            else if (m_columns[i].type == BoardTableColumn::Type::Text) // names and labels from the loads
                fields << CsvField::text(cellCsv(m_columns[i], row.cells[i]));
            else
                fields << CsvField::plain(cellCsv(m_columns[i], row.cells[i]));
        if (!unavailable.isEmpty())
            fields << CsvField::plain(m_outcome.unavailableColumn());
        text += fields.join(u',') + u"\r\n"_s;
    };
    // A section with no data or a failed core query has no rows to give, whatever it holds (§2.5).
    if (m_outcome.showsRows()) {
        for (const BoardTableRow& row : m_rows)
            line(row, {});
        if (m_totals)
            line(*m_totals, tr("Total"));
    }
    QByteArray bytes = withBom ? QByteArray("\xEF\xBB\xBF") : QByteArray();
    return bytes + text.toUtf8();
}

QString BoardTable::cellDisplay(const BoardTableColumn& column, const BoardCell& cell,
                                const QLocale& locale) {
    switch (column.type) {
    case BoardTableColumn::Type::Text:
        return cell.value.state() == CellState::Unavailable ? cell.value.display(column.unit, locale)
                                                            : cell.text;
    case BoardTableColumn::Type::Value:
        return cell.value.display(column.unit, locale);
    case BoardTableColumn::Type::Change:
        if (!cell.change)
            return QString(QChar(0x2014));
        return (cell.change->arrow().isEmpty() ? QString() : cell.change->arrow() + u' ') +
               cell.change->text();
    }
    return {};
}

QString BoardTable::emptySetText() {
    return tr("No row matches these filters.");
}

QString BoardTable::toText(const QLocale& locale) const {
    QList<QStringList> grid;
    QStringList header;
    for (const BoardTableColumn& c : m_columns)
        header << c.label;
    grid << header;
    for (const BoardTableRow& row : m_rows) {
        QStringList line;
        for (int i = 0; i < m_columns.size(); ++i)
            line << TextRules::forTerminalCell(cellDisplay(m_columns[i], row.cells[i], locale));
        grid << line;
    }
    if (m_totals && !isEmptySet()) {
        QStringList line;
        for (int i = 0; i < m_columns.size(); ++i)
            line << (i == 0 ? tr("Total") : cellDisplay(m_columns[i], m_totals->cells[i], locale));
        grid << line;
    }
    // Width in terminal cells: wide (CJK) characters take two.
    const auto width = [](const QString& s) {
        int w = 0;
        for (const QChar ch : s)
            w += (ch.unicode() >= 0x1100 &&
                  (ch.unicode() <= 0x115F || (ch.unicode() >= 0x2E80 && ch.unicode() <= 0xA4CF) ||
                   (ch.unicode() >= 0xAC00 && ch.unicode() <= 0xD7A3) ||
                   (ch.unicode() >= 0xF900 && ch.unicode() <= 0xFAFF) ||
                   (ch.unicode() >= 0xFE30 && ch.unicode() <= 0xFE4F) ||
                   (ch.unicode() >= 0xFF00 && ch.unicode() <= 0xFF60) ||
                   (ch.unicode() >= 0xFFE0 && ch.unicode() <= 0xFFE6)))
                     ? 2
                     : (ch.isLowSurrogate() ? 0 : 1);
        return w;
    };
    QList<int> widths(m_columns.size(), 0);
    for (const QStringList& line : grid)
        for (int i = 0; i < line.size(); ++i)
            widths[i] = std::max(widths[i], width(line[i]));
    QString out = u"== "_s + m_title + u" =="_s + u'\n';
    for (const QString& note : m_notes)
        out += note + u'\n';
    if (const QString h = m_outcome.headerNote(); !h.isEmpty())
        out += h + u'\n';
    for (const ReconciliationWarning& w : m_outcome.warnings())
        out += w.message(locale) + u'\n';
    if (!m_outcome.showsRows())
        return out;
    for (const QStringList& line : grid) {
        QString text;
        for (int i = 0; i < line.size(); ++i) {
            const int pad = widths[i] - width(line[i]);
            // Numbers align right, text left.
            const bool right = i > 0 && m_columns[i].type != BoardTableColumn::Type::Text;
            text += right ? QString(pad, u' ') + line[i] : line[i] + QString(pad, u' ');
            if (i + 1 < line.size())
                text += u"  "_s;
        }
        out += text.trimmed().isEmpty() ? QString() : text + u'\n';
    }
    if (isEmptySet()) {
        out += emptySetText() + u'\n';
        return out;
    }
    if (m_pageSize > 0)
        // n only picks the plural form: every figure is written in the locale's digits and separators.
        out += tr("Page %1 of %2 (%3 row(s) in all)", nullptr, int(std::min<qint64>(m_total, INT_MAX)))
                   .arg(locale.toString(m_page),
                        locale.toString(std::max<qint64>(1, (m_total + m_pageSize - 1) / m_pageSize)),
                        locale.toString(m_total)) +
               u'\n';
    return out;
}

} // namespace riskdesk
