#include "BoardSectionView.h"

#include "BoardCellDelegate.h"
#include "BoardChartView.h"
#include "StaticTextCache.h"
#include "WrappingLabel.h"
#include "item/BoardTableModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kRowHeight = 26;
constexpr int kMaxVisibleRows = 20;

QTableView* makeView(const QString& name) {
    auto* view = new QTableView;
    view->setObjectName(name);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setSelectionBehavior(QAbstractItemView::SelectItems);
    view->setTabKeyNavigation(false); // Tab leaves the table, as on every page; the arrow keys move in it
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->setVisible(false);
    // Fixed row heights: the view never measures rows, however many pages it is shown.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(kRowHeight);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setItemDelegate(new BoardCellDelegate(view));
    return view;
}

} // namespace

BoardSectionView::BoardSectionView(QWidget* parent) : QFrame(parent) {
    setObjectName(u"boardSection"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 8);
    layout->setSpacing(4);
    m_title = new QLabel;
    m_title->setObjectName(u"sectionTitle"_s);
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_title->setFont(f);
    layout->addWidget(m_title);
    m_notes = new WrappingLabel;
    m_notes->setObjectName(u"sectionNotes"_s);
    m_notes->setStyleSheet(u"color: #475569;"_s);
    layout->addWidget(m_notes);
    m_warnings = new WrappingLabel;
    m_warnings->setObjectName(u"sectionWarnings"_s);
    m_warnings->setStyleSheet(u"background: #fff7ed; color: #9a3412; padding: 4px 8px;"_s);
    layout->addWidget(m_warnings);

    auto banner = [this](QFrame*& frame, QLabel*& text, const QString& name, const QString& style) {
        frame = new QFrame;
        frame->setObjectName(name);
        frame->setStyleSheet(style);
        auto* row = new QHBoxLayout(frame);
        row->setContentsMargins(8, 6, 8, 6);
        text = new WrappingLabel;
        text->setObjectName(name + u"Text"_s);
        row->addWidget(text, 1);
        auto* retry = new QPushButton(tr("Retry"));
        retry->setObjectName(name + u"Retry"_s);
        row->addWidget(retry);
        connect(retry, &QPushButton::clicked, this, [this] { Q_EMIT retryRequested(key()); });
        return frame;
    };
    layout->addWidget(banner(m_partial, m_partialText, u"partialBanner"_s,
                             u"#partialBanner { background: #fef3c7; color: #78350f; }"_s));
    layout->addWidget(banner(m_error, m_errorText, u"errorPanel"_s,
                             u"#errorPanel { background: #fee2e2; color: #7f1d1d; }"_s));
    // No data is not a failure: a calm panel, no retry (nothing would change until the data are loaded).
    m_noData = new WrappingLabel;
    m_noData->setObjectName(u"noDataPanel"_s);
    m_noData->setStyleSheet(u"#noDataPanel { background: #f1f5f9; color: #334155; padding: 6px 8px; }"_s);
    layout->addWidget(m_noData);

    m_chartArea = new QWidget;
    m_chartArea->setObjectName(u"chartArea"_s);
    auto* chartLayout = new QVBoxLayout(m_chartArea);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chartArea);

    m_model = new BoardTableModel(BoardTableModel::Mode::Rows, this);
    m_totalsModel = new BoardTableModel(BoardTableModel::Mode::Totals, this);
    m_view = makeView(u"sectionTable"_s);
    m_view->setModel(m_model);
    // The header's click asks for a new query; the view itself never sorts. Turning the view's sorting off
    // also hides the header's arrow, so the arrow is turned on after it (else no column showed its order).
    m_view->setSortingEnabled(false);
    m_view->horizontalHeader()->setSectionsClickable(true);
    m_view->horizontalHeader()->setSortIndicatorShown(true); // then per section: see setTable
    m_totalsView = makeView(u"totalsTable"_s);
    m_totalsView->setModel(m_totalsModel);
    m_totalsView->horizontalHeader()->setVisible(false);
    m_totalsView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_totalsView->setFixedHeight(kRowHeight + 2 * m_totalsView->frameWidth());
    // An empty set (a search that finds no one) says so in words, not with an empty grid and a totals row
    // of zeros (helper-91).
    m_noRows = new QLabel(BoardTable::emptySetText());
    m_noRows->setObjectName(u"noRowsLabel"_s);
    m_noRows->setForegroundRole(QPalette::PlaceholderText);
    m_noRows->setMargin(6);
    layout->addWidget(m_view);
    layout->addWidget(m_noRows);
    layout->addWidget(m_totalsView);

    m_pager = new QWidget;
    auto* pager = new QHBoxLayout(m_pager);
    pager->setContentsMargins(0, 0, 0, 0);
    m_pageLabel = new QLabel;
    m_pageLabel->setObjectName(u"pagingLabel"_s);
    m_first = new QPushButton(tr("First"));
    m_first->setObjectName(u"firstPage"_s);
    m_previous = new QPushButton(tr("Previous"));
    m_previous->setObjectName(u"previousPage"_s);
    m_next = new QPushButton(tr("Next"));
    m_next->setObjectName(u"nextPage"_s);
    m_pageSize = new QComboBox;
    m_pageSize->setObjectName(u"pageSize"_s);
    for (int n : {20, 50, 100})
        m_pageSize->addItem(tr("%1 per page").arg(n), n);
    pager->addWidget(m_pageLabel);
    pager->addStretch(1);
    pager->addWidget(m_pageSize);
    pager->addWidget(m_first);
    pager->addWidget(m_previous);
    pager->addWidget(m_next);
    layout->addWidget(m_pager);

    connect(m_view->horizontalHeader(), &QHeaderView::sectionClicked, this, &BoardSectionView::headerClicked);
    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex& i) { activate(i, false); });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& i) { activate(i, false); });
    connect(m_totalsView, &QTableView::clicked, this, [this](const QModelIndex& i) { activate(i, true); });
    connect(m_totalsView, &QTableView::activated, this, [this](const QModelIndex& i) { activate(i, true); });
    connect(m_view->horizontalHeader(), &QHeaderView::sectionResized, this,
            &BoardSectionView::syncTotalsColumns);
    connect(m_view->horizontalScrollBar(), &QScrollBar::valueChanged, m_totalsView->horizontalScrollBar(),
            &QScrollBar::setValue);
    // Moving between pages keeps the section's page size; choosing a size starts again on page 1.
    auto goTo = [this](qint64 page) { Q_EMIT pageRequested(key(), page, table().pageSize()); };
    connect(m_first, &QPushButton::clicked, this, [goTo] { goTo(1); });
    connect(m_previous, &QPushButton::clicked, this,
            [this, goTo] { goTo(std::max<qint64>(1, table().page() - 1)); });
    connect(m_next, &QPushButton::clicked, this, [this, goTo] { goTo(table().page() + 1); });
    connect(m_pageSize, &QComboBox::activated, this,
            [this] { Q_EMIT pageRequested(key(), 1, m_pageSize->currentData().toInt()); });
}

const BoardTable& BoardSectionView::table() const {
    return m_model->table();
}

QString BoardSectionView::key() const {
    return table().key();
}

void BoardSectionView::setTable(const BoardTable& table, const QLocale& locale,
                                const QList<SortColumn>& sortable, bool pageable) {
    m_locale = locale;
    m_pageable = pageable;
    m_title->setText(table.title());
    m_notes->setText(table.notes().join(u'\n'));
    m_notes->setVisible(!table.notes().isEmpty());
    const SectionOutcome& o = table.outcome();
    QStringList warnings;
    for (const ReconciliationWarning& w : o.warnings())
        warnings << u"⚠ "_s + w.label() + u": "_s + w.message(locale);
    m_warnings->setText(warnings.join(u'\n'));
    m_warnings->setVisible(!warnings.isEmpty());

    const bool failed = o.status() == SectionOutcome::Status::Error;
    m_error->setVisible(failed);
    if (failed)
        m_errorText->setText(
            tr("⚠ This section could not be computed: %1").arg(o.coreError().value_or(QString())));
    m_noData->setVisible(o.status() == SectionOutcome::Status::NoData);
    if (o.noDataReason())
        m_noData->setText(tr("— No data: %1").arg(*o.noDataReason()));
    const bool partial = o.status() == SectionOutcome::Status::Partial;
    m_partial->setVisible(partial);
    if (partial) {
        QStringList reasons;
        for (const EnrichmentFailure& e : o.failures())
            reasons << u"%1 (%2)"_s.arg(e.reason, e.fields.join(u", "_s));
        m_partialText->setText(tr("⚠ Part of the data is unavailable"));
        m_partialText->setToolTip(reasons.join(u'\n'));
    }

    m_model->setTable(table, locale);
    m_totalsModel->setTable(table, locale);
    m_model->setSortable(sortable, table.sort());
    QHeaderView* header = m_view->horizontalHeader();
    // A section in a fixed order has no arrow, and its header does not react to a click.
    header->setSortIndicatorShown(!sortable.isEmpty());
    header->setSectionsClickable(!sortable.isEmpty());
    showSortInEffect();
    // A failed core query shows its reason, never an empty table; no data shows why there is none.
    const bool rows = o.showsRows();
    const bool empty = rows && table.isEmptySet();
    m_view->setVisible(rows);
    m_noRows->setVisible(empty);
    m_totalsView->setVisible(rows && !empty && table.totals().has_value());
    const int visibleRows = std::min<int>(int(table.rows().size()), kMaxVisibleRows);
    m_view->setFixedHeight(
        header->sizeHint().height() + std::max(visibleRows, 1) * 26 + 2 * m_view->frameWidth() +
        (m_view->horizontalScrollBar()->isVisible() ? m_view->horizontalScrollBar()->height() : 0));
    m_view->setVerticalScrollBarPolicy(table.rows().size() > kMaxVisibleRows ? Qt::ScrollBarAsNeeded
                                                                             : Qt::ScrollBarAlwaysOff);
    fitColumns();

    const bool paged = rows && pageable && table.pageSize() > 0;
    m_pager->setVisible(rows && table.total() > 0);
    m_pageLabel->setText(pagingText());
    m_first->setVisible(paged);
    m_previous->setVisible(paged);
    m_next->setVisible(paged);
    m_pageSize->setVisible(paged);
    if (paged) {
        const int sizeIndex = m_pageSize->findData(table.pageSize());
        if (sizeIndex >= 0)
            m_pageSize->setCurrentIndex(sizeIndex);
        m_first->setEnabled(table.page() > 1);
        m_previous->setEnabled(table.page() > 1);
        m_next->setEnabled(table.page() * table.pageSize() < table.total());
    }
}

QString BoardSectionView::pagingText() const {
    const BoardTable& t = table();
    return pagingText(t.page(), t.pageSize(), t.rows().size(), t.total(), m_locale);
}

QString BoardSectionView::pagingText(qint64 page, int pageSize, qint64 shown, qint64 total,
                                     const QLocale& locale) {
    if (total <= 0)
        return tr("No rows");
    const qint64 first = pageSize > 0 ? (page - 1) * pageSize + 1 : 1;
    const qint64 last = first + std::max<qint64>(shown, 1) - 1;
    return tr("%1–%2 of %3").arg(locale.toString(first), locale.toString(last), locale.toString(total));
}

void BoardSectionView::showSortInEffect() {
    const QString sort = table().sort();
    const int sortColumn = table().columnIndex(sort.section(u':', 0, 0));
    QHeaderView* header = m_view->horizontalHeader();
    if (sortColumn >= 0 && m_model->anySortable())
        header->setSortIndicator(sortColumn,
                                 sort.endsWith(u":asc"_s) ? Qt::AscendingOrder : Qt::DescendingOrder);
    else
        header->setSortIndicator(-1, Qt::DescendingOrder);
}

void BoardSectionView::headerClicked(int column) {
    // The header has already moved its arrow to the clicked column: it is put back to the order the rows
    // are in (a column outside the catalogue sorts nothing), or set to the order asked for.
    if (!m_model->isSortable(column)) {
        showSortInEffect();
        return;
    }
    const QString columnKey = m_model->columnKey(column);
    const QStringList current = table().sort().split(u':');
    // The same column again flips its direction; another column starts in its natural direction, the one
    // the command line takes for a bare --sort COLUMN.
    Qt::SortOrder order = m_model->naturalOrder(column);
    if (current.value(0) == columnKey)
        order = current.value(1) == u"desc"_s ? Qt::AscendingOrder : Qt::DescendingOrder;
    m_view->horizontalHeader()->setSortIndicator(column, order);
    Q_EMIT sortRequested(key(), columnKey + (order == Qt::AscendingOrder ? u":asc"_s : u":desc"_s));
}

void BoardSectionView::activate(const QModelIndex& index, bool totals) {
    if (!index.isValid() || !index.data(BoardTableModel::AggregateRole).toBool())
        return;
    Q_EMIT cellActivated(key(), index.data(BoardTableModel::ColumnKeyRole).toString(),
                         totals ? QVariant() : index.data(BoardTableModel::RowIdRole));
}

namespace {

// How wide a text looks, in halves of a CJK character: enough to pick the few cells worth measuring. By code
// point: an emoji (two UTF-16 units) is about one CJK character wide, not two; a variation selector or joiner
// is not seen at all.
int textWeight(const QString& text) {
    int w = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        if (ch.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            w += 2;
            ++i;
        } else if (ch.unicode() == 0x200D || (ch.unicode() >= 0xFE00 && ch.unicode() <= 0xFE0F)) {
            continue;
        } else {
            w += ch.unicode() >= 0x1100 ? 2 : 1;
        }
    }
    return w;
}

} // namespace

// Columns as wide as their widest text and their header, as QTableView::resizeColumnsToContents makes them,
// without laying out every cell in the style's item layout: per column only the texts that look longest
// (textWeight) are measured, with the delegate's margins. A board switch used to spend most of its
// section time here (every cell of every page shaped by the style).
void BoardSectionView::fitColumns() {
    const int columns = m_model->columnCount();
    if (columns == 0)
        return;
    constexpr qsizetype kAtLeast = 3, kAtMost = 12; // texts measured exactly per column
    const int margin = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1) +
                       (m_view->showGrid() ? 1 : 0);
    QFont bold = m_totalsView->font();
    bold.setBold(true);
    QHeaderView* header = m_view->horizontalHeader();
    const auto widest = [&](const QAbstractItemModel* model, int column, const QFont& font) {
        QList<std::pair<int, QString>> texts; // (weight, text)
        texts.reserve(model->rowCount());
        int heaviest = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            QString text = model->index(r, column).data().toString();
            const int weight = textWeight(text);
            heaviest = std::max(heaviest, weight);
            texts.append({weight, std::move(text)});
        }
        std::stable_sort(texts.begin(), texts.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        // Fractional advances, rounded up, and a pixel to spare: an integer advance rounded down by a
        // fraction made the widest figure of a column ("¥76,258,518.24") elided by the very pixel it lacked.
        // Measured as BoardCellDelegate draws them (and kept for it: the widest texts are the ones shown).
        StaticTextCache& exact = StaticTextCache::shared();
        qreal width = 0;
        // The heaviest few, and any text within a CJK character of the heaviest (up to a limit): the weight
        // is an estimate, and two texts of one weight can differ by a character on screen.
        for (qsizetype i = 0; i < texts.size(); ++i) {
            if (i >= kAtLeast && (i >= kAtMost || texts.at(i).first < heaviest - 2))
                break;
            width = std::max(width, exact.width(texts.at(i).second, font));
        }
        return width > 0 ? int(std::ceil(width)) + 1 + margin : 0;
    };
    for (int c = 0; c < columns; ++c) {
        int width = header->isHidden() ? 0 : header->sectionSizeHint(c);
        width = std::max(width, widest(m_model, c, m_view->font()));
        if (m_totalsView->isVisibleTo(this))
            width = std::max(width, widest(m_totalsModel, c, bold));
        header->resizeSection(c, std::max(width, header->minimumSectionSize()));
    }
    syncTotalsColumns();
}

void BoardSectionView::setCharts(const QList<BoardChart>& charts, const QLocale& locale,
                                 TrendColors::Scheme scheme) {
    auto* layout = qobject_cast<QVBoxLayout*>(m_chartArea->layout());
    QList<BoardChartView*> shown;
    for (const BoardChart& chart : charts) {
        BoardChartView* view = m_chartViews.value(chart.key);
        if (!view) {
            view = new BoardChartView(m_chartArea);
            m_chartViews.insert(chart.key, view);
        }
        // In the chart's order above the table, whatever was shown before.
        if (layout->indexOf(view) != int(shown.size())) {
            layout->removeWidget(view);
            layout->insertWidget(int(shown.size()), view);
        }
        view->setChart(chart, locale, scheme);
        view->setVisible(true);
        shown << view;
    }
    for (BoardChartView* view : std::as_const(m_chartViews))
        if (!shown.contains(view))
            view->setVisible(false);
    m_shownCharts = shown;
}

QList<BoardChartView*> BoardSectionView::chartViews() const {
    return m_shownCharts;
}

void BoardSectionView::syncTotalsColumns() {
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_totalsView->setColumnWidth(c, m_view->columnWidth(c));
}

} // namespace riskdesk
