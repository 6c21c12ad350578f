#include "FlowSpecBuilder.h"

#include "FlowWording.h"
#include "engine/RuleRecognizer.h"

#include <QHash>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kMaxLines = 4; // fact, condition and decision lines the diagram has room for

QString text(const QJsonValue& v) {
    return v.isString() ? v.toString().trimmed() : v.isDouble() ? QString::number(v.toDouble()) : QString();
}

QString firstOf(std::initializer_list<QString> candidates) {
    for (const QString& c : candidates)
        if (!c.isEmpty())
            return c;
    return {};
}

QStringList strings(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& item : v.toArray())
        if (const QString t = text(item); !t.isEmpty())
            out << t;
    return out;
}

QString letteredField(int index, const QString& label, const QString& key) {
    return u"%1=%2[%3]"_s.arg(QChar(u'A' + index), label.isEmpty() ? key : label, key);
}

QStringList fieldLines(const QList<FlowField>& fields) {
    QStringList out;
    for (int i = 0; i < std::min<int>(int(fields.size()), kMaxLines); ++i)
        out << letteredField(i, fields.at(i).label, fields.at(i).key);
    return out;
}

// A node's words: its description, else its title, else the fallback.
QString nodeText(const QList<QJsonObject>& nodes, const QString& fallback) {
    const QJsonObject node = nodes.isEmpty() ? QJsonObject() : nodes.first();
    return firstOf({text(node.value(u"description"_s)), text(node.value(u"title"_s)), fallback});
}

} // namespace

QString FlowSpecBuilder::severityLabel(const QString& severity) {
    const QString s = severity.trimmed().toLower();
    const bool known = s == u"low" || s == u"medium" || s == u"high" || s == u"critical";
    return RuleRecognizer::riskLevelLabel(known ? s : u"medium"_s);
}

QString FlowSpecBuilder::domainLabel(const QString& domain) {
    const QString d = domain.trimmed().toLower();
    if (d == u"travel")
        return tr("Travel");
    if (d == u"expense")
        return tr("Expenses");
    if (d == u"payment")
        return tr("Payments");
    if (d == u"merchant")
        return tr("Merchants");
    if (d == u"account")
        return tr("Accounts");
    if (d == u"insurance")
        return tr("Insurance claims");
    return domain.trimmed();
}

FlowSpec FlowSpecBuilder::build(const QJsonObject& payload) {
    FlowSpec spec;
    spec.title = firstOf({text(payload.value(u"name"_s)), tr("Risk rule decision flow")});
    spec.severity = text(payload.value(u"severity"_s)).toLower();
    spec.severityLabel = severityLabel(spec.severity);
    spec.domainLabel = domainLabel(text(payload.value(u"domain"_s)));
    QHash<QString, QString> labelByKey;
    for (const QJsonValue& v : payload.value(u"fields"_s).toArray()) {
        const QJsonObject f = v.toObject();
        FlowField field{text(f.value(u"key"_s)), text(f.value(u"label"_s))};
        if (field.key.isEmpty())
            continue;
        spec.fields << field;
        labelByKey.insert(field.key, field.label.isEmpty() ? field.key : field.label);
    }
    const QString defaultStart = tr("Business document submitted");
    const QString defaultEvidence = tr("Read the rule's fields");
    const QString defaultPass = tr("No risk hit, continue");
    const QString defaultFail = tr("%1 hit, to manual review").arg(spec.severityLabel);

    // 1. The flow model, when it has decision nodes.
    const QJsonObject model = payload.value(u"flow_model"_s).toObject();
    QHash<QString, QList<QJsonObject>> byType;
    for (const QJsonValue& v : model.value(u"nodes"_s).toArray())
        if (v.isObject())
            byType[text(v.toObject().value(u"type"_s))].append(v.toObject());
    const QList<QJsonObject> decisions = byType.value(u"decision"_s);
    if (!decisions.isEmpty()) {
        spec.start = nodeText(byType.value(u"start"_s), defaultStart);
        spec.evidence = nodeText(byType.value(u"evidence"_s), defaultEvidence);
        spec.passText = nodeText(byType.value(u"pass"_s), defaultPass);
        spec.failText = nodeText(byType.value(u"risk"_s), defaultFail);
        for (qsizetype i = 0; i < std::min<qsizetype>(decisions.size(), kMaxLines); ++i) {
            const QJsonObject& node = decisions.at(i);
            const QString title =
                firstOf({text(node.value(u"title"_s)), text(node.value(u"id"_s)), tr("Decision")});
            spec.conditionLines << u"%1: %2"_s.arg(title, text(node.value(u"description"_s)));
            spec.conditionIds << text(node.value(u"id"_s));
        }
        if (decisions.size() > kMaxLines)
            spec.conditionLines.last() += tr("; %n more decision node(s) summarised by the hit logic",
                                             nullptr, int(decisions.size() - kMaxLines));
        spec.basis = spec.conditionLines.isEmpty() ? nodeText(decisions, tr("Decide whether the risk is hit"))
                                                   : spec.conditionLines.first();
        spec.decision = nodeText(decisions, spec.basis);
        const QList<QJsonObject> evidence = byType.value(u"evidence"_s);
        const QStringList evidenceKeys =
            strings(evidence.isEmpty() ? QJsonValue() : evidence.first().value(u"fields"_s));
        if (evidenceKeys.isEmpty()) {
            spec.factLines = fieldLines(spec.fields);
        } else {
            for (int i = 0; i < std::min<int>(int(evidenceKeys.size()), kMaxLines); ++i)
                spec.factLines << letteredField(i, labelByKey.value(evidenceKeys.at(i), evidenceKeys.at(i)),
                                                evidenceKeys.at(i));
        }
        spec.hitLogic = text(model.value(u"metadata"_s).toObject().value(u"hit_logic"_s));
        if (spec.hitLogic.isEmpty()) {
            QStringList titles;
            for (const QString& line : spec.conditionLines)
                titles << line.section(u':', 0, 0);
            spec.hitLogic = titles.join(u" AND "_s);
        }
        return spec;
    }

    // 2. metadata.flow and params.
    const QJsonObject metadata = payload.value(u"metadata"_s).toObject();
    const QJsonObject flow = metadata.value(u"flow"_s).toObject();
    const QJsonObject params = payload.value(u"params"_s).toObject();
    const QString summary = text(metadata.value(u"condition_summary"_s));
    spec.start = firstOf({text(flow.value(u"start"_s)), defaultStart});
    spec.evidence = firstOf({text(flow.value(u"evidence"_s)), defaultEvidence});
    spec.decision = firstOf({text(flow.value(u"decision"_s)), summary, tr("Decide whether the risk is hit")});
    spec.basis = firstOf({summary, text(flow.value(u"decision"_s)), tr("Decide by the rule's fields")});
    spec.passText = firstOf({text(flow.value(u"pass"_s)), defaultPass});
    spec.failText = firstOf({text(flow.value(u"fail"_s)), defaultFail});

    const QJsonArray facts = params.value(u"rule_ir"_s).toObject().value(u"facts"_s).toArray();
    for (qsizetype i = 0; i < std::min<qsizetype>(facts.size(), kMaxLines); ++i) {
        const QJsonValue v = facts.at(i);
        if (!v.isObject())
            continue;
        const QJsonObject fact = v.toObject();
        const QString id = text(fact.value(u"id"_s));
        const QString label = firstOf({text(fact.value(u"label"_s)), id, tr("Fact")});
        QStringList labels;
        for (const QString& key : strings(fact.value(u"fields"_s)).mid(0, 3))
            labels << labelByKey.value(key, key);
        const QString fieldText =
            labels.isEmpty() ? tr("rule fields") : labels.join(FlowWording::listSeparator());
        spec.factLines << (id.isEmpty() ? QString() : id + u'=') + label + u": "_s + fieldText;
    }
    if (spec.factLines.isEmpty())
        spec.factLines = fieldLines(spec.fields);

    const QJsonArray conditions = params.value(u"conditions"_s).toArray();
    for (int index = 1; index <= std::min<int>(int(conditions.size()), kMaxLines); ++index) {
        const QJsonValue v = conditions.at(index - 1);
        if (!v.isObject())
            continue;
        spec.conditionLines << FlowWording::condition(v.toObject(), labelByKey, index);
        const QString id = text(v.toObject().value(u"id"_s));
        spec.conditionIds << (id.isEmpty() ? u"C%1"_s.arg(index) : id);
    }
    if (spec.conditionLines.isEmpty())
        if (const QString s = text(params.value(u"condition_summary"_s)); !s.isEmpty())
            spec.conditionLines << s;
    spec.hitLogic = firstOf({FlowWording::hitLogic(params.value(u"hit_logic"_s)),
                             text(params.value(u"formula"_s)), text(params.value(u"condition_summary"_s))});
    return spec;
}

} // namespace riskdesk
