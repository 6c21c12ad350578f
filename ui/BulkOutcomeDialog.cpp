#include "BulkOutcomeDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString BulkOutcomeDialog::summary(const BulkDecisionReport& report, qint64 notTried) {
    QStringList parts{tr("%n decision(s) recorded", nullptr, int(report.applied.size()))};
    if (report.firstSteps > 0)
        parts << tr("%n of them a first step of two", nullptr, report.firstSteps);
    parts << tr("%n refused", nullptr, int(report.refused.size()));
    if (notTried > 0)
        parts << tr("%n not tried", nullptr, int(notTried));
    return parts.join(tr("; ")) + tr(".");
}

BulkOutcomeDialog::BulkOutcomeDialog(const BulkDecisionReport& report, qint64 notTried,
                                     const QString& failure, QWidget* parent)
    : QDialog(parent) {
    setObjectName(u"bulkOutcomeDialog"_s);
    setWindowTitle(tr("Bulk decision"));
    auto* layout = new QVBoxLayout(this);
    auto* summaryLabel = new QLabel(summary(report, notTried));
    summaryLabel->setObjectName(u"bulkOutcomeSummary"_s);
    summaryLabel->setWordWrap(true);
    layout->addWidget(summaryLabel);
    if (!failure.isEmpty()) {
        auto* stopped =
            new QLabel(tr("The batch stopped: %1 Nothing of the unfinished part was stored; decide "
                          "the rest again once the problem is solved.")
                           .arg(failure));
        stopped->setObjectName(u"bulkOutcomeFailure"_s);
        stopped->setWordWrap(true);
        stopped->setStyleSheet(u"color: #b91c1c;"_s);
        layout->addWidget(stopped);
    }
    if (!report.refused.isEmpty()) {
        const int listed = int(std::min<qsizetype>(report.refused.size(), kListedRefusals));
        layout->addWidget(
            new QLabel(listed < report.refused.size()
                           ? tr("Refused (the first %1 of %2):").arg(listed).arg(report.refused.size())
                           : tr("Refused:")));
        auto* table = new QTableWidget(listed, 2);
        table->setObjectName(u"bulkRefusals"_s);
        table->setAccessibleName(tr("Refused exceptions"));
        table->setHorizontalHeaderLabels({tr("Exception"), tr("Reason")});
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move between rows
        table->verticalHeader()->setVisible(false);
        table->horizontalHeader()->setStretchLastSection(true);
        // A reason is a sentence that says what to do: shown whole, wrapped, never cut at the column's edge.
        table->setWordWrap(true);
        // Rows of two lines, fixed, so five thousand of them cost nothing to lay out; the tooltip has the
        // rest.
        table->setTextElideMode(Qt::ElideNone);
        table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        // A line of Chinese is drawn in the CJK fallback font, taller than the interface font's own line: the
        // row height takes the taller of the two, or the second line of a Chinese reason is cut off.
        const QFontMetrics metrics = table->fontMetrics();
        const int line = std::max(metrics.lineSpacing(), metrics.boundingRect(u"审批"_s).height() + 2);
        table->verticalHeader()->setDefaultSectionSize(line * 2 + 8);
        for (int i = 0; i < listed; ++i) {
            const BulkRefusal& r = report.refused.at(i);
            table->setItem(i, 0, new QTableWidgetItem(r.recordId));
            auto* reason = new QTableWidgetItem(r.message);
            reason->setToolTip(r.message);
            table->setItem(i, 1, reason);
        }
        table->resizeColumnToContents(0);
        // A few refusals: the table as tall as its rows, not a box of empty lines; more scroll in a taller
        // one.
        if (listed <= kRowsShownWhole)
            table->setFixedHeight(table->horizontalHeader()->sizeHint().height() +
                                  listed * table->verticalHeader()->defaultSectionSize() +
                                  2 * table->frameWidth());
        layout->addWidget(table, 1);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->button(QDialogButtonBox::Close)->setObjectName(u"bulkOutcomeClose"_s);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    if (report.refused.size() <= kRowsShownWhole) {
        // Little to list: a box as tall as what it says, Close under it (helper-84: a wide box of empty
        // space, the sentence at one end and the button at the other).
        layout->addStretch(1);
        layout->addWidget(buttons);
        const int width = report.refused.isEmpty() ? 460 : 760;
        resize(width, std::max(layout->totalHeightForWidth(width), layout->totalMinimumSize().height()));
        return;
    }
    layout->addWidget(buttons);
    resize(760, 480);
}

} // namespace riskdesk
