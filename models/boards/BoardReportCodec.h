#pragma once

#include "BoardReport.h"
#include "domain/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDataStream>

namespace riskdesk {

// A whole BoardReport as bytes and back, field for field (states, reasons, changes, outcomes, warnings), so
// the board cache (spec §2.9) can hand the window exactly what a fresh computation would have shown. The
// bytes carry a format version: anything else, or a truncated record, is refused rather than half-read.
class BoardReportCodec {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardReportCodec)

public:
    static QByteArray encode(const BoardReport& report);
    static Result<BoardReport> decode(const QByteArray& bytes);

private:
    static void writeValue(QDataStream& out, const BoardValue& value);
    static BoardValue readValue(QDataStream& in);
    static void writeChange(QDataStream& out, const std::optional<PeriodChange>& change);
    static std::optional<PeriodChange> readChange(QDataStream& in);
    static void writeWarning(QDataStream& out, const ReconciliationWarning& warning);
    static ReconciliationWarning readWarning(QDataStream& in);
};

} // namespace riskdesk
