#pragma once

#include "FlowSpec.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace riskdesk {

// Builds a rule's diagram spec the two ways the reference does: from the rule's flow model (its start,
// evidence, decision, pass and risk nodes) when it has decision nodes, or else from metadata.flow and params
// (rule_ir facts, conditions, hit logic, the formula or condition summary as fallback). Every text a payload
// leaves out gets the reference's default, in the current language.
class FlowSpecBuilder {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FlowSpecBuilder)

public:
    // payload: name, params, metadata and optionally fields ([{key, label}]), severity, domain, flow_model.
    static FlowSpec build(const QJsonObject& payload);

    static QString severityLabel(const QString& severity); // low risk … critical risk; unknown → medium
    static QString domainLabel(const QString& domain);
};

} // namespace riskdesk
