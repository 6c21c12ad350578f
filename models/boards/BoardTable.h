#pragma once

#include "BoardValue.h"
#include "PeriodChange.h"
#include "SectionOutcome.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QLocale>
#include <QString>
#include <QVariant>
#include <optional>

namespace riskdesk {

// One column of a board table: its machine name (the view's column or the JSON field), the label the UI
// shows in its language, and what its cells hold.
struct BoardTableColumn {
    enum class Type {
        Text,   // a name, a tier, a date: shown as is
        Value,  // a BoardValue in unit
        Change, // a period-over-period change (PeriodChange)
    };
    QString key;
    QString label;
    Type type = Type::Value;
    ValueUnit unit = ValueUnit::Fen;
};

// One cell: text, a figure in one of the four states, or a change. note is extra detail for the tooltip
// ("unknown coach", the compared range, the level's label).
struct BoardCell {
    QString text;
    BoardValue value;
    std::optional<PeriodChange> change;
    QString note;
    // What CSV writes for a text cell when it differs from the screen (the level "4-亲密" instead of the
    // emoji, empty for "—").
    std::optional<QString> csvText;

    static BoardCell ofText(const QString& text, const QString& note = {});
    static BoardCell ofValue(const BoardValue& value, const QString& note = {});
    static BoardCell ofChange(const PeriodChange& change, const QString& note = {});
};

// A row: its entity id (the tie-break of the sort, the drill-down's anchor), one cell per column, and any
// nested detail for JSON (a coach's top 3, a member's related coaches).
struct BoardTableRow {
    BoardTableRow() = default;
    BoardTableRow(QVariant id_, QList<BoardCell> cells_, QJsonObject detail_ = {})
        : id(std::move(id_)), cells(std::move(cells_)), detail(std::move(detail_)) {}
    QVariant id;
    QList<BoardCell> cells;
    QJsonObject detail;
};

// One board section as a table (spec §2.4, §2.5): its columns, the rows of the requested page, the totals row
// over the whole filtered set, the exact total, the sort used, and the section's outcome (partial, error,
// reconciliation warnings). The same object feeds the command line's JSON, CSV and text, and the window.
class BoardTable {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardTable)

public:
    BoardTable() = default;
    BoardTable(QString key, QString title, QList<BoardTableColumn> columns);

    const QString& key() const { return m_key; }
    const QString& title() const { return m_title; }
    const QList<BoardTableColumn>& columns() const { return m_columns; }
    int columnIndex(const QString& key) const;

    // A row's cells must match the columns one for one (checked; a mismatch is a programming error).
    void addRow(BoardTableRow row);
    const QList<BoardTableRow>& rows() const { return m_rows; }
    void setTotals(BoardTableRow totals);
    const std::optional<BoardTableRow>& totals() const { return m_totals; }

    // Paging: the exact number of rows of the whole filtered set, and the page shown.
    void setPaging(qint64 total, qint64 page, int pageSize);
    qint64 total() const { return m_total; }
    // No row in the whole set (a search that finds no one): said in words, with no totals row of zeros.
    bool isEmptySet() const { return m_rows.isEmpty() && m_total <= 0; }
    static QString emptySetText();
    qint64 page() const { return m_page; }
    int pageSize() const { return m_pageSize; }
    void setSort(const QString& canonical) { m_sort = canonical; }
    const QString& sort() const { return m_sort; }
    // Lines shown under the title: badges and summary lines ("refunds: ¥300.00 (1 order)").
    void addNote(const QString& note) { m_notes << note; }
    const QStringList& notes() const { return m_notes; }

    SectionOutcome& outcome() { return m_outcome; }
    const SectionOutcome& outcome() const { return m_outcome; }

    // The cell of a row by column key (nullptr when there is no such column).
    const BoardCell* cell(const BoardTableRow& row, const QString& columnKey) const;
    // The row with this id (nullptr when it is not on the page).
    const BoardTableRow* rowById(const QVariant& id) const;

    // {"key", "title", "columns", "rows": [{"id", <column>: cell}], "totals", "total", "page", "pageSize",
    // "sort", "notes", "outcome"}. A value cell is BoardValue::toJson, a change is PeriodChange::toJson.
    QJsonObject toJson() const;
    // RFC 4180 CSV of every row (spec §2.8): raw values, ISO dates, CRLF; a BOM when asked; the header in the
    // UI's language or the machine names; an _unavailable column when a field was unavailable; the totals
    // row last, its first cell saying so.
    QByteArray toCsv(bool withBom, bool machineNames) const;
    // Aligned plain text for a terminal, in the locale's formats.
    QString toText(const QLocale& locale) const;

    static QString cellDisplay(const BoardTableColumn& column, const BoardCell& cell, const QLocale& locale);

private:
    QString m_key;
    QString m_title;
    QList<BoardTableColumn> m_columns;
    QList<BoardTableRow> m_rows;
    std::optional<BoardTableRow> m_totals;
    qint64 m_total = 0;
    qint64 m_page = 1;
    int m_pageSize = 0;
    QString m_sort;
    QStringList m_notes;
    SectionOutcome m_outcome;
};

} // namespace riskdesk
