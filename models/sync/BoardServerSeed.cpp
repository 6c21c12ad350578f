#include "BoardServerSeed.h"

#include "boards/BoardDataCatalog.h"
#include "domain/Timestamps.h"
#include "store/SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kSliceRows = 50000;

enum class Form { Plain, Money, Time };

// One value in COPY's text form.
void appendValue(QByteArray& out, const QVariant& value, Form form) {
    if (value.isNull()) {
        out += "\\N";
        return;
    }
    if (form == Form::Money) {
        const qint64 fen = value.toLongLong();
        const qint64 whole = fen < 0 ? -fen : fen;
        if (fen < 0)
            out += '-';
        out += QByteArray::number(whole / 100) + '.' + QByteArray::number(whole % 100).rightJustified(2, '0');
        return;
    }
    if (form == Form::Time) {
        out += timestamps::toIso(timestamps::fromMs(value.toLongLong())).toUtf8();
        return;
    }
    for (char c : value.toString().toUtf8()) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += c;
        }
    }
}

struct SeedTable {
    QString server;            // riskdesk_board.<server>
    QStringList serverColumns; // in the same order as the workspace's
    QStringList workspaceColumns;
    QList<Form> forms;
    QString workspaceTable;
};

QList<SeedTable> seedTables() {
    QList<SeedTable> tables;
    for (const BoardDataset& d : BoardDataCatalog::datasets()) {
        SeedTable t{d.table, {u"tenant_id"_s}, {u"tenant_id"_s}, {Form::Plain}, d.sqliteTable()};
        for (const BoardColumn& c : d.columns) {
            t.serverColumns << c.name;
            t.workspaceColumns << c.sqliteName();
            t.forms << (c.kind == BoardColumn::Kind::Money  ? Form::Money
                        : c.kind == BoardColumn::Kind::Time ? Form::Time
                                                            : Form::Plain);
        }
        if (!d.bizDateFrom.isEmpty()) {
            t.serverColumns << u"biz_date"_s;
            t.workspaceColumns << u"biz_date"_s;
            t.forms << Form::Plain;
        }
        t.serverColumns << u"etl_version"_s;
        t.workspaceColumns << u"etl_version"_s;
        t.forms << Form::Plain;
        tables << t;
    }
    const QStringList memberSites{u"tenant_id"_s, u"tenant_member_id"_s, u"site_id"_s};
    tables << SeedTable{u"member_sites"_s,
                        memberSites,
                        memberSites,
                        {Form::Plain, Form::Plain, Form::Plain},
                        u"bd_member_sites"_s};
    const QStringList loads{u"tenant_id"_s, u"etl_version"_s, u"loaded_at"_s, u"source"_s, u"row_count"_s};
    tables << SeedTable{u"loads"_s,
                        loads,
                        loads,
                        {Form::Plain, Form::Plain, Form::Time, Form::Plain, Form::Plain},
                        u"bd_loads"_s};
    return tables;
}

} // namespace

Result<qint64> BoardServerSeed::copy(PgConnection& server, QSqlDatabase workspace) {
    qint64 copied = 0;
    for (const SeedTable& t : seedTables()) {
        const QString temp = u"seed_board_"_s + t.server;
        if (Status s = server.execScript(u"CREATE TEMP TABLE %1 (LIKE riskdesk_board.%2 INCLUDING DEFAULTS) "
                                         "ON COMMIT DROP"_s.arg(temp, t.server));
            !s)
            return s.problem();
        const QString copySql = u"COPY %1 (%2) FROM STDIN"_s.arg(temp, t.serverColumns.join(u", "_s));
        QSqlQuery q(workspace);
        q.setForwardOnly(true);
        if (!q.exec(u"SELECT %1 FROM %2"_s.arg(t.workspaceColumns.join(u", "_s), t.workspaceTable)))
            return sqlProblem(q, tr("Reading the workspace's %1").arg(t.workspaceTable));
        QByteArray rows;
        int inSlice = 0;
        while (q.next()) {
            for (int c = 0; c < t.forms.size(); ++c) {
                if (c > 0)
                    rows += '\t';
                appendValue(rows, q.value(c), t.forms.at(c));
            }
            rows += '\n';
            ++copied;
            if (++inSlice == kSliceRows) {
                if (Status s = server.copyIn(copySql, rows); !s)
                    return s.problem();
                rows.clear();
                inSlice = 0;
            }
        }
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the workspace's %1").arg(t.workspaceTable));
        if (inSlice > 0)
            if (Status s = server.copyIn(copySql, rows); !s)
                return s.problem();
        if (Status s = server.execScript(u"INSERT INTO riskdesk_board.%1 (%2) SELECT %2 FROM %3"_s.arg(
                t.server, t.serverColumns.join(u", "_s), temp));
            !s)
            return s.problem();
    }
    return copied;
}

} // namespace riskdesk
