#include "DemoBoardBuilder.h"

#include "boards/CustomerRankings.h"
#include "boards/ServiceLogSummaries.h"
#include "store/NativeStatement.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QSqlQuery>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// One prepared INSERT per table, made when the table's first row comes.
class WorkspaceSink : public DemoBoardSink {
public:
    explicit WorkspaceSink(QSqlDatabase db)
        : m_db(std::move(db)), m_statements(size_t(DemoBoardTable::Count)) {}

    Status write(DemoBoardTable table, const DemoBoardRow& row) override {
        std::unique_ptr<NativeStatement>& statement = m_statements[size_t(table)];
        if (!statement) {
            const QList<QByteArray>& columns = DemoBoardGenerator::columns(table);
            QByteArray marks = "?";
            for (qsizetype i = 1; i < columns.size(); ++i)
                marks += ", ?";
            const QByteArray sql = "INSERT INTO " + QByteArray(DemoBoardGenerator::tableName(table)) + " (" +
                                   columns.join(", ") + ") VALUES (" + marks + ")";
            statement = std::make_unique<NativeStatement>(m_db, sql.constData());
            if (!statement->prepared())
                return statement->prepared();
        }
        int index = 1;
        for (const DemoBoardRow::Cell& cell : row.cells()) {
            switch (cell.kind) {
            case DemoBoardRow::Cell::Null:
                statement->bindNull(index);
                break;
            case DemoBoardRow::Cell::Integer:
                statement->bind(index, cell.integer);
                break;
            case DemoBoardRow::Cell::Real:
                statement->bind(index, cell.real);
                break;
            case DemoBoardRow::Cell::Text:
                statement->bind(index, QByteArrayView(cell.text));
                break;
            }
            ++index;
        }
        return statement->step();
    }

private:
    QSqlDatabase m_db;
    std::vector<std::unique_ptr<NativeStatement>> m_statements;
};

} // namespace

Result<DemoBoardSummary> DemoBoardBuilder::build(QSqlDatabase db, const DemoBoardOptions& options) {
    WriteTransaction transaction(db);
    if (!transaction.begun())
        return transaction.begun().problem();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT 1 FROM bd_site_settings WHERE tenant_id = ? LIMIT 1"_s);
    q.addBindValue(options.tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the board sites"));
    if (q.next())
        return Problem{u"boards_not_empty"_s,
                       tr("Tenant \"%1\" already has board data; the demo business is written only once.")
                           .arg(options.tenantId),
                       {}};
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the board sites"));

    // The secondary indexes and the summary triggers of the tables written, dropped now and made again after
    // the rows (the summaries are then derived once, below).
    QStringList tables;
    for (int t = 0; t < int(DemoBoardTable::Count); ++t)
        tables << u"'%1'"_s.arg(QString::fromLatin1(DemoBoardGenerator::tableName(DemoBoardTable(t))));
    if (!q.exec(u"SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' OR type = 'trigger')"
                " AND sql IS NOT NULL AND tbl_name IN (%1) ORDER BY type, name"_s.arg(tables.join(u", "_s))))
        return sqlProblem(q, tr("Reading the board indexes"));
    QStringList drops, creates;
    while (q.next()) {
        drops << u"DROP %1 \"%2\""_s.arg(q.value(0).toString().toUpper(), q.value(1).toString());
        creates << q.value(2).toString();
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the board indexes"));
    for (const QString& drop : std::as_const(drops))
        if (!q.exec(drop))
            return sqlProblem(q, tr("Preparing the board tables"));

    WorkspaceSink sink(db);
    auto summary = DemoBoardGenerator::generate(options, sink);
    if (!summary)
        return summary.problem();
    for (const QString& create : std::as_const(creates))
        if (!q.exec(create))
            return sqlProblem(q, tr("Building the board indexes"));
    if (Status s = ServiceLogSummaries::rebuildTenant(db, options.tenantId); !s)
        return s.problem();
    // The customer board's rankings: the last day with logs and the anchor's day (the triggers were off).
    if (Status s = CustomerRankings::rebuildTenant(db, options.tenantId, options.anchorMs); !s)
        return s.problem();
    if (Status s = transaction.commit(); !s)
        return s.problem();
    return summary;
}

} // namespace riskdesk
