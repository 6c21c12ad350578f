#include "HitLogicCompiler.h"

#include "HitLogicParser.h"
#include "RuleEvaluator.h"
#include "RuleProblem.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

using Node = HitLogicNode;

Result<Node> compileHitLogic(const QString& ruleName, const QJsonValue& expr, const QHash<QString, int>& byId,
                             QString* text) {
    auto combine = [&](const QJsonArray& parts, Node::Kind kind) -> Result<Node> {
        if (parts.isEmpty())
            return ruleProblem(ruleName, {},
                               RuleEvaluator::tr("hit_logic has an empty %1 list.")
                                   .arg(kind == Node::All ? u"all"_s : u"any"_s));
        Node node{kind, -1, {}};
        QStringList texts;
        for (const QJsonValue& part : parts) {
            QString t;
            auto child = compileHitLogic(ruleName, part, byId, &t);
            if (!child)
                return child;
            node.children.push_back(std::move(child).value());
            texts << (part.isObject() ? u"("_s + t + u")"_s : t);
        }
        *text = texts.join(kind == Node::All ? u" AND "_s : u" OR "_s);
        return node;
    };
    if (expr.isString()) {
        const QString s = expr.toString().trimmed();
        *text = s;
        if (byId.contains(s))
            return Node{Node::Leaf, byId.value(s), {}};
        return HitLogicParser(ruleName, byId, s).parse();
    }
    if (expr.isArray())
        return combine(expr.toArray(), Node::All);
    if (expr.isObject()) {
        const QJsonObject o = expr.toObject();
        // One operator per object: {"all": …, "any": …} leaves open which one is meant.
        if (o.size() != 1)
            return ruleProblem(ruleName, {},
                               RuleEvaluator::tr("hit_logic has an object with %1 keys; each {…} takes "
                                                 "exactly one of all, any or not.")
                                   .arg(o.size()));
        if (o.value(u"all"_s).isArray())
            return combine(o.value(u"all"_s).toArray(), Node::All);
        if (o.value(u"any"_s).isArray())
            return combine(o.value(u"any"_s).toArray(), Node::Any);
        // NOT of a list would be read as NOT (all of it): say which was meant instead of guessing.
        if (o.value(u"not"_s).isArray())
            return ruleProblem(ruleName, {},
                               RuleEvaluator::tr("hit_logic's not takes one condition id or one {…}, "
                                                 "not a list; for NOT (C1 AND C2) write "
                                                 "{\"not\": {\"all\": [\"C1\", \"C2\"]}}."));
        if (o.contains(u"not"_s)) {
            QString inner;
            auto child = compileHitLogic(ruleName, o.value(u"not"_s), byId, &inner);
            if (!child)
                return child;
            *text = u"NOT "_s + (o.value(u"not"_s).isObject() ? u"("_s + inner + u")"_s : inner);
            return Node{Node::Not, -1, {std::move(child).value()}};
        }
    }
    return ruleProblem(ruleName, {},
                       RuleEvaluator::tr("hit_logic must be a condition id, a list, or {all|any|not: …}."));
}

} // namespace riskdesk
