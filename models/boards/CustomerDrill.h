#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "CustomerQuery.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// The drill-downs of BOARD-2 (spec §2.7): the rows a cell of a tab was computed from, with a totals row whose
// sum equals the cell to the fen. A cell is "<column>:<member id>" or "<column>:total" (every member of the
// tab after its filters):
//   spend60d (D2, D6, D7)                         → valid service logs in the 60-day window
//   storedValueBalance, giftBalance (D3)          → the member's card accounts of that type
//   rechargeAmount, orderCount, giftAmount (D4)   → valid recharge orders in the period
//   visitsInPeriod (D5)                           → visit-detail rows in the period
// Index scores and snapshot figures (WBI, SPI, RS, 60-day visits) have no rows to list and are refused.
class CustomerDrill {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CustomerDrill)

public:
    // loadedThrough: the last day the data are loaded through (invalid when unknown): a tab measuring a
    // period of which no day is loaded has a no-data footer, as its cells have.
    static Result<BoardReport> compute(QSqlDatabase db, const CustomerQuery& query,
                                       const BoardRequest& request, const QDate& loadedThrough);
    // The columns of a tab that can be drilled into.
    static QStringList drillableColumns(CustomerDimension dimension);
};

} // namespace riskdesk
