#include "BoardDrillPanel.h"

#include "SaveFileDialog.h"
#include "WrappingLabel.h"
#include "boards/BoardExportName.h"
#include "boards/BoardLoad.h"
#include "boards/CoachBoard.h"
#include "boards/CustomerBoard.h"
#include "boards/FinanceBoard.h"
#include "boards/RiskOpsBoard.h"
#include "boards/SkillBoard.h"
#include "item/BoardDrillModel.h"
#include "settings/AppSettings.h"
#include "store/DatabaseThread.h"
#include "store/OverwriteGuard.h"
#include "store/Workspace.h"

#include <QCheckBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

Result<BoardReport> computeBoard(QSqlDatabase db, BoardKind board, const QString& userId,
                                 const BoardRequest& request) {
    const auto scope = BoardScope::open(db, request.tenant, userId);
    if (!scope)
        return scope.problem();
    switch (board) {
    case BoardKind::Skills:
        return SkillBoard::compute(db, scope.value(), request);
    case BoardKind::Coach:
        return CoachBoard::compute(db, scope.value(), request);
    case BoardKind::Customer:
        return CustomerBoard::compute(db, scope.value(), request);
    case BoardKind::Finance:
        return FinanceBoard::compute(db, scope.value(), request);
    case BoardKind::RiskOps:
        return RiskOpsBoard::compute(db, scope.value(), request);
    }
    return Problem{u"bad_board"_s, BoardDrillPanel::tr("Unknown board."), {}};
}

} // namespace

BoardDrillPanel::BoardDrillPanel(DatabaseThread* database, QWidget* parent)
    : QWidget(parent), m_database(database) {
    setObjectName(u"boardDrillPanel"_s);
    m_title = new QLabel(this);
    m_title->setObjectName(u"drillTitle"_s);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_back = new QPushButton(tr("Back"), this);
    m_back->setObjectName(u"drillBack"_s);
    m_back->setToolTip(tr("Return to the previous drill-down"));
    m_close = new QPushButton(tr("Close"), this);
    m_close->setObjectName(u"drillClose"_s);
    m_close->setToolTip(tr("Close the drill-down (Esc)"));
    m_export = new QPushButton(tr("Export CSV…"), this);
    m_export->setObjectName(u"drillExport"_s);
    m_export->setToolTip(tr("Every row of this drill-down as CSV (UTF-8 with BOM, opens in Excel)"));

    m_showVoided = new QCheckBox(tr("Show voided rows"), this);
    m_showVoided->setObjectName(u"drillShowVoided"_s);
    m_showVoided->setToolTip(
        tr("Also list the voided service-log rows, greyed out. They are never counted: the footer stays the "
           "clicked figure."));
    m_showVoided->hide();

    auto* top = new QHBoxLayout;
    top->addWidget(m_back);
    top->addWidget(m_title, 1);
    top->addWidget(m_export);
    top->addWidget(m_close);

    m_status = new QLabel(this);
    m_status->setObjectName(u"drillStatus"_s);
    m_error = new QLabel(this);
    m_error->setObjectName(u"drillError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b91c1c;"_s);
    m_retry = new QPushButton(tr("Retry"), this);
    m_retry->setObjectName(u"drillRetry"_s);
    auto* errorRow = new QHBoxLayout;
    errorRow->addWidget(m_error, 1);
    errorRow->addWidget(m_retry);

    m_model = new BoardDrillModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(u"drillTable"_s);
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move between rows
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionsClickable(true);
    m_table->horizontalHeader()->setSortIndicatorShown(false);
    // Columns as wide as their cells (fitColumns): a stretched last column set each amount far from its row.
    m_table->horizontalHeader()->setStretchLastSection(false);

    // On a line of its own, wrapped: beside the pager in a panel of a 1,024 px window it read
    // "应计收入：¥1,524,." and the pager lost its unit, the very figure the panel is there to show cut off
    // (helper-91).
    m_footer = new WrappingLabel(this);
    m_footer->setObjectName(u"drillFooter"_s);
    m_footer->setFont(bold);
    m_previous = new QPushButton(tr("Previous"), this);
    m_previous->setObjectName(u"drillPrevious"_s);
    m_next = new QPushButton(tr("Next"), this);
    m_next->setObjectName(u"drillNext"_s);
    m_paging = new QLabel(this);
    m_paging->setObjectName(u"drillPaging"_s);
    auto* bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(m_previous);
    bottom->addWidget(m_paging);
    bottom->addWidget(m_next);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_showVoided);
    layout->addWidget(m_status);
    layout->addLayout(errorRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_footer);
    layout->addLayout(bottom);

    connect(m_back, &QPushButton::clicked, this, &BoardDrillPanel::back);
    connect(m_close, &QPushButton::clicked, this, &BoardDrillPanel::closePanel);
    connect(m_retry, &QPushButton::clicked, this, &BoardDrillPanel::retry);
    connect(m_export, &QPushButton::clicked, this, &BoardDrillPanel::chooseExportFile);
    connect(m_showVoided, &QCheckBox::toggled, this, &BoardDrillPanel::setShowVoided);
    connect(m_previous, &QPushButton::clicked, this, [this] {
        if (!m_stack.isEmpty())
            showPage(m_stack.last().request.page - 1);
    });
    connect(m_next, &QPushButton::clicked, this, [this] {
        if (!m_stack.isEmpty())
            showPage(m_stack.last().request.page + 1);
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        const BoardTable& table = m_model->table();
        if (m_stack.isEmpty() || !index.isValid() || index.row() >= table.rows().size())
            return;
        Q_EMIT rowActivated(m_stack.last().board, table.key(), table.rows().at(index.row()).id);
    });
    connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this,
            [this](int section) { sortByColumn(section); });
    m_error->hide();
    m_retry->hide();
    m_back->hide();
    setMinimumWidth(420);
}

bool BoardDrillPanel::openCell(BoardKind board, const BoardRequest& request, const QString& tableKey,
                               const QString& columnKey, const QVariant& rowId, const QString& title) {
    const auto target = BoardDrillKey::of(board, request, tableKey, columnKey, rowId);
    if (!target)
        return false;
    open(board, request, *target, title);
    return true;
}

void BoardDrillPanel::open(BoardKind board, const BoardRequest& base, const QString& drill,
                           const QString& title) {
    open(board, base, BoardDrillKey::fromCell(board, drill), title);
}

void BoardDrillPanel::open(BoardKind board, const BoardRequest& base, const BoardDrillTarget& target,
                           const QString& title) {
    Entry entry{board, target.apply(base), target, title};
    entry.request.pageSize = m_pageSize;
    entry.request.showVoided = BoardDrillKey::listsVoidable(board, entry.request.drill) && showsVoided(entry);
    push(std::move(entry));
}

void BoardDrillPanel::push(Entry entry) {
    if (isHidden())
        m_stack.clear(); // a closed panel starts a new stack
    m_stack.append(std::move(entry));
    show();
    setFocus();
    load();
}

bool BoardDrillPanel::showsVoided(const Entry& entry) const {
    // Beside the board's filters (BoardsPage): per tenant, user and board.
    return m_database->settings().showVoided(entry.request.tenant, m_userId,
                                             BoardLoad::boardKey(entry.board));
}

void BoardDrillPanel::setShowVoided(bool shown) {
    if (m_stack.isEmpty() ||
        !BoardDrillKey::listsVoidable(m_stack.last().board, m_stack.last().request.drill))
        return;
    Entry& entry = m_stack.last();
    m_database->settings().setShowVoided(entry.request.tenant, m_userId, BoardLoad::boardKey(entry.board),
                                         shown);
    if (entry.request.showVoided == shown)
        return;
    entry.request.showVoided = shown;
    entry.request.page = 1;
    load();
}

void BoardDrillPanel::back() {
    if (m_stack.size() <= 1) {
        closePanel();
        return;
    }
    m_stack.removeLast();
    load();
}

void BoardDrillPanel::closePanel() {
    ++m_generation; // whatever is still being read is not shown
    m_loading = false;
    m_stack.clear();
    m_report.reset();
    m_model->clear();
    hide();
    Q_EMIT closed();
}

void BoardDrillPanel::retry() {
    if (!m_stack.isEmpty())
        load();
}

void BoardDrillPanel::showPage(qint64 page) {
    if (m_stack.isEmpty() || page < 1)
        return;
    m_stack.last().request.page = page;
    load();
}

bool BoardDrillPanel::sortByColumn(int column) {
    if (m_stack.isEmpty())
        return false;
    Entry& entry = m_stack.last();
    const QString key = BoardDrillKey::sortKey(entry.board, entry.request.drill, m_model->columnKey(column));
    if (key.isEmpty()) {
        m_status->setText(tr("This list has a fixed order; it cannot be sorted by this column."));
        return false;
    }
    // The first click sorts descending (the largest rows first), the next one flips the order.
    const bool descending = entry.request.sort != key + u":desc"_s;
    entry.request.sort = key + (descending ? u":desc"_s : u":asc"_s);
    entry.request.page = 1;
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSortIndicator(column,
                                                  descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    load();
    return true;
}

std::optional<BoardRequest> BoardDrillPanel::currentRequest() const {
    if (m_stack.isEmpty())
        return std::nullopt;
    return m_stack.last().request;
}

const BoardTable* BoardDrillPanel::currentTable() const {
    if (!m_report || m_report->tables().isEmpty())
        return nullptr;
    return &m_report->tables().first();
}

void BoardDrillPanel::load() {
    const Entry entry = m_stack.last();
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_title->setText(entry.title);
    m_back->setVisible(m_stack.size() > 1);
    m_showVoided->setVisible(BoardDrillKey::listsVoidable(entry.board, entry.request.drill));
    {
        const QSignalBlocker quiet(m_showVoided); // showing the entry's state is no toggle
        m_showVoided->setChecked(entry.request.showVoided);
    }
    m_status->setText(tr("Loading the rows…"));
    m_error->hide();
    m_retry->hide();
    m_previous->setEnabled(false);
    m_next->setEnabled(false);
    if (entry.request.sort.isEmpty())
        m_table->horizontalHeader()->setSortIndicatorShown(false);
    const QString userId = m_userId;
    auto task = m_database->task([board = entry.board, userId, request = entry.request](Workspace& w) {
        return computeBoard(w.db(), board, userId, request);
    });
    QCoro::connect(std::move(task), this, [this, generation](const Result<BoardReport>& report) {
        if (generation != m_generation)
            return; // the user moved on: a newer page, sort, drill, or the panel was closed
        m_loading = false;
        if (!report) {
            showError(report.problem().message);
            return;
        }
        showReport(report.value());
    });
}

void BoardDrillPanel::showReport(const BoardReport& report) {
    const Entry& entry = m_stack.last();
    m_report = report;
    if (report.tables().isEmpty()) {
        showError(tr("The drill-down returned no table."));
        return;
    }
    const BoardTable& table = report.tables().first();
    m_model->setTable(table, entry.request.locale);
    fitColumns();
    QStringList notes = table.notes();
    if (const QString note = table.outcome().headerNote(); !note.isEmpty())
        notes << note;
    m_status->setText(notes.join(u'\n'));
    if (const auto footer = entry.target.footer(report))
        m_footer->setText(
            tr("%1: %2").arg(footer->label, footer->value.display(footer->unit, entry.request.locale)));
    else
        m_footer->setText(tr("%n row(s)", nullptr, int(std::min<qint64>(table.total(), INT_MAX))));
    const qint64 size = table.pageSize() > 0 ? table.pageSize() : std::max<qint64>(table.total(), 1);
    const qint64 pages = std::max<qint64>(1, (table.total() + size - 1) / size);
    const qint64 page = entry.request.page;
    m_paging->setText(tr("Page %1 of %2 · %3 rows")
                          .arg(entry.request.locale.toString(page), entry.request.locale.toString(pages),
                               entry.request.locale.toString(table.total())));
    m_previous->setEnabled(page > 1);
    m_next->setEnabled(page < pages);
    Q_EMIT loaded();
}

void BoardDrillPanel::fitColumns() {
    // Each column as wide as its page's widest cell, within reason: at Qt's 100 px default, ids, times and
    // names were cut short while half the panel stood empty (helper-72). One page is at most a few hundred
    // rows, so measuring it costs little.
    constexpr int kMaxWidth = 360;
    m_table->resizeColumnsToContents();
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), kMaxWidth));
}

void BoardDrillPanel::showError(const QString& message) {
    m_status->clear();
    m_error->setText(tr("The rows could not be read: %1").arg(message));
    m_error->show();
    m_retry->show();
    m_model->clear();
    m_footer->clear();
    m_paging->clear();
    Q_EMIT failed(message);
}

void BoardDrillPanel::exportCsv(const QString& path) {
    if (m_stack.isEmpty()) {
        Q_EMIT exported(false, tr("Nothing to export: no drill-down is open."));
        return;
    }
    const Entry& entry = m_stack.last();
    BoardRequest request = entry.request;
    request.page = 1;
    request.pageSize = 0; // every row of the sorted set, not just the page (§2.8)
    const QString userId = m_userId;
    auto task = m_database->task([board = entry.board, userId, request,
                                  path](Workspace& w) -> Result<qint64> {
        const auto report = computeBoard(w.db(), board, userId, request);
        if (!report)
            return report.problem();
        if (report.value().tables().isEmpty())
            return Problem{u"empty"_s, BoardDrillPanel::tr("The drill-down returned no table."), {}};
        const BoardTable& table = report.value().tables().first();
        if (Status s = OverwriteGuard::check(path); !s)
            return s.problem();
        QSaveFile file(path); // all or nothing: a failed export never leaves half a file
        if (!file.open(QIODevice::WriteOnly) || file.write(table.toCsv(true, false)) < 0 || !file.commit())
            return Problem{u"write_failed"_s,
                           BoardDrillPanel::tr("Cannot write %1: %2").arg(path, file.errorString()),
                           {}};
        return table.total();
    });
    QCoro::connect(std::move(task), this, [this, path](const Result<qint64>& rows) {
        const QString message =
            rows ? tr("Exported %n row(s) to %1.", nullptr, int(std::min<qint64>(rows.value(), INT_MAX)))
                       .arg(path)
                 : rows.problem().message;
        m_status->setText(message);
        Q_EMIT exported(rows.ok(), message);
    });
}

QString BoardDrillPanel::suggestedFileName(BoardKind board, const BoardRequest& request,
                                           const QDateTime& at) {
    QDate from = request.asOfDay.isValid() ? request.asOfDay : request.today;
    QDate to = from;
    if (request.period) {
        from = request.period->from();
        to = request.period->to();
    }
    // Named as the board's own exports are (one function), "drill" in place of a section: a drill-down's rows
    // were named as the whole board, at the desktop's time rather than the site's (helper-88).
    return BoardExportName::fileName(board, request.site, from, to, at, u"csv"_s, u"drill"_s);
}

void BoardDrillPanel::chooseExportFile() {
    if (m_stack.isEmpty())
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(folder).filePath(suggestedFileName(
        m_stack.last().board, m_stack.last().request,
        m_siteTime ? m_siteTime(m_stack.last().request.site) : QDateTime::currentDateTime()));
    const QString path =
        SaveFileDialog::ask(this, tr("Export the drill-down"), suggested, tr("CSV files (*.csv)"), u"csv"_s);
    if (!path.isEmpty())
        exportCsv(path);
}

void BoardDrillPanel::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        closePanel();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace riskdesk
