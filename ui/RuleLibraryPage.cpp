#include "RuleLibraryPage.h"

#include "FlowDiagramView.h"
#include "flow/FlowSpecBuilder.h"
#include "store/DatabaseThread.h"
#include "store/DirectoryRepository.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

RuleLibraryPage::RuleLibraryPage(DatabaseThread* database, QWidget* parent)
    : QWidget(parent), m_database(database) {
    setObjectName(u"rulesPage"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);
    auto* splitter = new QSplitter(Qt::Vertical);
    m_table = new QTableWidget(0, 4);
    m_table->setObjectName(u"ruleTable"_s);
    m_table->setAccessibleName(tr("Rules"));
    m_table->setHorizontalHeaderLabels({tr("Rule"), tr("Name"), tr("Severity"), tr("Domain")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move between rows
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->setSortingEnabled(false);
    splitter->addWidget(m_table);
    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 4, 0, 0);
    m_summary = new QLabel;
    m_summary->setObjectName(u"ruleSummary"_s);
    m_summary->setWordWrap(true);
    lowerLayout->addWidget(m_summary);
    m_diagram = new FlowDiagramView;
    lowerLayout->addWidget(m_diagram, 1);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showRule(row); });
}

void RuleLibraryPage::setSession(const Session& session) {
    m_session = session;
    const QString tenant = session.tenantId;
    auto task =
        m_database->task([tenant](Workspace& w) { return DirectoryRepository(w.db()).rules(tenant); });
    QCoro::connect(std::move(task), this, [this](const Result<QList<Rule>>& rules) {
        m_table->setRowCount(0);
        m_diagram->clear();
        if (!rules) {
            m_summary->setText(rules.problem().message);
            return;
        }
        m_rules = rules.value();
        m_table->setRowCount(int(m_rules.size()));
        for (int row = 0; row < m_rules.size(); ++row) {
            const Rule& r = m_rules.at(row);
            const QStringList cells{r.ruleId, r.name, displayName(r.severity),
                                    FlowSpecBuilder::domainLabel(r.domain)};
            for (int c = 0; c < cells.size(); ++c)
                m_table->setItem(row, c, new QTableWidgetItem(cells.at(c)));
        }
        m_table->resizeColumnToContents(0);
        m_summary->setText(tr("%n rule(s) in %1", nullptr, int(m_rules.size())).arg(m_session.tenantName));
        if (!m_rules.isEmpty())
            m_table->selectRow(0);
        Q_EMIT loaded();
    });
}

void RuleLibraryPage::showRule(int row) {
    if (row < 0 || row >= m_rules.size()) {
        m_diagram->clear();
        return;
    }
    const Rule& rule = m_rules.at(row);
    const FlowSpec spec = FlowSpecBuilder::build(rule.payload);
    m_summary->setText(tr("%1 · %2 · %3").arg(rule.ruleId, spec.severityLabel, spec.domainLabel));
    m_diagram->setSpec(spec);
}

} // namespace riskdesk
