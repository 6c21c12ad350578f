#include "ConditionCompiler.h"

#include "RuleEvaluator.h"
#include "RuleProblem.h"

#include <QHash>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using Op = CompiledCondition::Operator;
using Compare = CompiledCondition::Comparison;

const QStringList kDefaultExceptionKeywords{u"绕行"_s,     u"跨城办事"_s, u"跨城"_s,
                                            u"临时改签"_s, u"改签"_s,     u"变更"_s};

QStringList stringList(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& item : v.toArray())
        if (item.isString())
            out << item.toString();
    return out;
}

} // namespace

Result<CompiledCondition> compileCondition(const QString& ruleName, const QJsonObject& c, int index) {
    CompiledCondition out;
    out.id = c.value(u"id"_s).toString(u"C%1"_s.arg(index));
    out.op = c.value(u"operator"_s).toString().trimmed();
    auto keys = [&](const char* a, const char* b = nullptr) {
        QStringList k = stringList(c.value(QString::fromLatin1(a)));
        if (k.isEmpty() && b)
            k = stringList(c.value(QString::fromLatin1(b)));
        return k;
    };
    auto noFields = [&](const char* name) {
        return ruleProblem(ruleName, out.id,
                           RuleEvaluator::tr("%1 lists no fields.").arg(QString::fromLatin1(name)));
    };

    static const QHash<QString, Op> ops{
        {u"not_in_scope"_s, Op::Disjoint},    {u"not_in_set"_s, Op::Disjoint},
        {u"not_overlap"_s, Op::Disjoint},     {u"in_scope"_s, Op::Overlap},
        {u"overlap"_s, Op::Overlap},          {u"date_outside_range"_s, Op::DateOutside},
        {u"numeric_compare"_s, Op::Numeric},  {u"duplicate_value"_s, Op::Duplicate},
        {u"contains_any"_s, Op::ContainsAny}, {u"not_contains_any"_s, Op::NotContainsAny},
        {u"exists_any"_s, Op::ExistsAny},     {u"exists_all"_s, Op::ExistsAll},
        {u"all_present"_s, Op::ExistsAll},    {u"route_city_consistency"_s, Op::RouteCity}};
    if (out.op.isEmpty())
        return ruleProblem(ruleName, out.id, RuleEvaluator::tr("the condition has no operator."));
    if (!ops.contains(out.op))
        return ruleProblem(ruleName, out.id, RuleEvaluator::tr("unknown operator \"%1\".").arg(out.op));
    out.kind = ops.value(out.op);

    switch (out.kind) {
    case Op::Disjoint:
    case Op::Overlap:
        out.left = keys("left_fields");
        out.right = keys("right_fields");
        if (out.left.isEmpty())
            return noFields("left_fields");
        if (out.right.isEmpty())
            return noFields("right_fields");
        break;
    case Op::DateOutside:
        out.left = keys("date_fields");
        out.right = keys("range_start_fields");
        out.extra = keys("range_end_fields");
        if (out.left.isEmpty())
            return noFields("date_fields");
        if (out.right.isEmpty())
            return noFields("range_start_fields");
        if (out.extra.isEmpty())
            return noFields("range_end_fields");
        break;
    case Op::Numeric: {
        out.left = keys("left_fields", "fields");
        out.right = keys("right_fields");
        if (out.left.isEmpty())
            return noFields("left_fields");
        if (out.right.isEmpty()) {
            const QJsonValue t = c.contains(u"threshold"_s) ? c.value(u"threshold"_s) : c.value(u"value"_s);
            if (!t.isDouble())
                return ruleProblem(ruleName, out.id,
                                   RuleEvaluator::tr("numeric_compare needs right_fields, or a "
                                                     "numeric threshold or value."));
            out.threshold = t.toDouble();
        }
        out.compareName = c.value(u"compare"_s).toString(u"gt"_s).toLower();
        static const QHash<QString, Compare> compares{{u"gt"_s, Compare::Gt}, {u"gte"_s, Compare::Gte},
                                                      {u"lt"_s, Compare::Lt}, {u"lte"_s, Compare::Lte},
                                                      {u"eq"_s, Compare::Eq}, {u"ne"_s, Compare::Ne}};
        if (!compares.contains(out.compareName))
            return ruleProblem(
                ruleName, out.id,
                RuleEvaluator::tr("unknown comparison \"%1\" (use gt, gte, lt, lte, eq or ne).")
                    .arg(out.compareName));
        out.compare = compares.value(out.compareName);
        break;
    }
    case Op::ContainsAny:
    case Op::NotContainsAny:
        out.keywords = stringList(c.value(u"keywords"_s));
        [[fallthrough]];
    case Op::Duplicate:
    case Op::ExistsAny:
    case Op::ExistsAll:
        out.left = keys("fields");
        if (out.left.isEmpty())
            return noFields("fields");
        if ((out.kind == Op::ContainsAny || out.kind == Op::NotContainsAny) && out.keywords.isEmpty())
            return ruleProblem(ruleName, out.id, RuleEvaluator::tr("keywords lists no words."));
        break;
    case Op::RouteCity:
        out.left = keys("left_group", "left_fields");
        out.right = keys("right_group", "right_fields");
        out.extra = keys("exception_fields");
        out.keywords = stringList(c.value(u"exception_keywords"_s));
        if (out.keywords.isEmpty())
            out.keywords = kDefaultExceptionKeywords;
        if (out.left.isEmpty())
            return noFields("left_group");
        if (out.right.isEmpty())
            return noFields("right_group");
        for (const QString& key : out.left)
            if (key.endsWith(u"route_cities"))
                out.routeKeys << key;
        break;
    }
    return out;
}

} // namespace riskdesk
