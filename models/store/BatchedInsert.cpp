#include "BatchedInsert.h"

#include "NativeStatement.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

BatchedInsert::BatchedInsert(QSqlDatabase db, QByteArray head, int columns, int rowsPerStatement)
    : m_db(std::move(db)), m_head(std::move(head)), m_columns(columns), m_rowsPerStatement(rowsPerStatement),
      m_full(prepare(rowsPerStatement)), m_prepared(m_full->prepared()) {}

BatchedInsert::~BatchedInsert() = default;

std::unique_ptr<NativeStatement> BatchedInsert::prepare(int rows) {
    QByteArray row = "(";
    for (int c = 0; c < m_columns; ++c)
        row += c == 0 ? "?" : ", ?";
    row += ')';
    QByteArray sql = m_head + " VALUES ";
    for (int r = 0; r < rows; ++r)
        sql += r == 0 ? row : ", " + row;
    return std::make_unique<NativeStatement>(m_db, sql.constData());
}

Status BatchedInsert::insert(const RowBlock& block) {
    if (block.values().size() != qsizetype(block.rows()) * m_columns)
        return Problem{u"bad_block"_s, tr("A block of rows does not match the table's columns."), {}};
    int row = 0;
    for (; row + m_rowsPerStatement <= block.rows(); row += m_rowsPerStatement)
        if (Status s = run(*m_full, block, row, m_rowsPerStatement); !s)
            return s;
    if (row == block.rows())
        return success();
    std::unique_ptr<NativeStatement> tail = prepare(block.rows() - row);
    return run(*tail, block, row, block.rows() - row);
}

Status BatchedInsert::run(NativeStatement& statement, const RowBlock& block, int firstRow, int rows) {
    if (!statement.prepared())
        return statement.prepared();
    // The text is bound in place: the block does not change until step() has returned.
    const qsizetype first = qsizetype(firstRow) * m_columns;
    for (int i = 0; i < rows * m_columns; ++i) {
        const RowBlock::Value& v = block.values().at(first + i);
        switch (v.kind) {
        case RowBlock::Value::Null:
            statement.bindNull(i + 1);
            break;
        case RowBlock::Value::Integer:
            statement.bind(i + 1, v.integer);
            break;
        case RowBlock::Value::Text:
            statement.bind(i + 1, block.text(v));
            break;
        }
    }
    return statement.step();
}

} // namespace riskdesk
