#pragma once

#include "DirectoryTypes.h"
#include "ExceptionRequest.h"
#include "Result.h"
#include "RiskException.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <optional>

namespace riskdesk {

// Checks an exception record's content; each problem names the reference field and what is wrong.
class ExceptionValidator {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionValidator)

public:
    static QList<Problem> validate(const RiskException& exception);
    // A request before it is filed: every problem of validate() that a request can have, and those of filing:
    // target_type one of the wire names, the rule (`rule`: the tenant's rule the request names, if any) known
    // and active, the window within the rule's maximum validity (RuleTerms) and not over by `now`.
    static QList<Problem> validateRequest(const ExceptionRequest& request, const std::optional<Rule>& rule,
                                          const QDateTime& now);
    static bool isValidRecordId(const QString& id);
    // An attachment filed with a request and kept by its SHA-256 (riskdesk-attachment: + 64 lower-case hex
    // digits), which attachment_url may name besides an http(s) address.
    static bool isFiledAttachmentUrl(const QString& url);
    static constexpr int kMaxJustificationCharacters = 10000;
    // The longest validity window, and the range of its times: the server (riskdesk.create_exception) holds
    // an exception to the same.
    static constexpr int kMaxWindowDays = 366;
    static QDateTime earliestTime(); // 2000-01-01T00:00:00Z
    static QDateTime latestTime();   // 2200-01-01T00:00:00Z, excluded
};

} // namespace riskdesk
