#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk board load|export-template: board data from CSV files (boards/SPEC.md Appendix C); board verify:
// the synced partitions of a workspace against the checksums they were pulled with (§7.5).
class BoardCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardCommand)

public:
    static int load(const QStringList& arguments, AppSettings& settings);
    static int exportTemplate(const QStringList& arguments, AppSettings& settings);
    static int verify(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
