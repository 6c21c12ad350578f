#pragma once

#include "store/BulkDecisionReport.h"

#include <QDialog>

namespace riskdesk {

// The result of a bulk decision: how many were recorded (and how many of those were a first step of two),
// and every refused exception with its reason. A batch that stopped on a failure says so, and how many were
// never tried.
class BulkOutcomeDialog : public QDialog {
    Q_OBJECT
public:
    // At most this many refusals are listed one by one; the count says how many there are in all.
    static constexpr int kListedRefusals = 5000;
    static constexpr int kRowsShownWhole = 8; // up to this many refusals, the table shows every row at once

    BulkOutcomeDialog(const BulkDecisionReport& report, qint64 notTried, const QString& failure,
                      QWidget* parent = nullptr);

    // One line: what was recorded, refused and not tried (also shown under the queue).
    static QString summary(const BulkDecisionReport& report, qint64 notTried);
};

} // namespace riskdesk
