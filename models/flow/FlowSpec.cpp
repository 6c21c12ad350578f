#include "FlowSpec.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QJsonObject FlowSpec::toJson() const {
    QJsonArray fieldsJson;
    for (const FlowField& f : fields)
        fieldsJson.append(QJsonObject{{u"key"_s, f.key}, {u"label"_s, f.label}});
    return QJsonObject{{u"title"_s, title},
                       {u"domain_label"_s, domainLabel},
                       {u"severity"_s, severity},
                       {u"severity_label"_s, severityLabel},
                       {u"fields"_s, fieldsJson},
                       {u"start"_s, start},
                       {u"evidence"_s, evidence},
                       {u"decision"_s, decision},
                       {u"basis"_s, basis},
                       {u"pass_text"_s, passText},
                       {u"fail_text"_s, failText},
                       {u"fact_lines"_s, QJsonArray::fromStringList(factLines)},
                       {u"condition_lines"_s, QJsonArray::fromStringList(conditionLines)},
                       {u"hit_logic"_s, hitLogic}};
}

} // namespace riskdesk
