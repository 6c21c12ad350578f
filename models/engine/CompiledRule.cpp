#include "CompiledRule.h"

#include "domain/TextRules.h"
#include "domain/Timestamps.h"

#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>
#include <QVarLengthArray>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QStringList kDefaultExceptionKeywords{u"绕行"_s,     u"跨城办事"_s, u"跨城"_s,
                                            u"临时改签"_s, u"改签"_s,     u"变更"_s};

enum class Op {
    Disjoint,
    Overlap,
    DateOutside,
    Numeric,
    Duplicate,
    ContainsAny,
    NotContainsAny,
    ExistsAny,
    ExistsAll,
    RouteCity
};
enum class Compare { Gt, Gte, Lt, Lte, Eq, Ne };

struct Condition {
    QString id;
    QString op; // as written in the rule
    Op kind = Op::ExistsAny;
    // Field roles by operator: sets (left, right); dates (left = dates, right = range starts, extra = range
    // ends); numbers (left, right or a threshold); duplicates, keywords and presence (left); route cities
    // (left = group A, right = group B, extra = the reason fields).
    QStringList left, right, extra;
    QStringList routeKeys; // the keys of group A that hold a ticket's route
    QStringList keywords;
    Compare compare = Compare::Gt;
    QString compareName;
    std::optional<double> threshold;
};

struct Node {
    enum Kind { Leaf, All, Any, Not } kind = Leaf;
    int condition = -1;
    std::vector<Node> children;
};

Truth fromBool(bool b) {
    return b ? Truth::True : Truth::False;
}

// City names compare without the administrative suffix: "上海市" and "上海" are one city.
QStringView normalizedCity(QStringView text) {
    return text.size() > 1 && text.endsWith(u'市') ? text.chopped(1) : text;
}

QString joinSet(QStringList items) {
    items.removeDuplicates(); // a set shows each member once
    return u"{"_s + items.join(u", "_s) + u"}"_s;
}

QStringList stringList(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& item : v.toArray())
        if (item.isString())
            out << item.toString();
    return out;
}

template <typename F> void forEachValue(const FactRecord& record, const QStringList& keys, F&& f) {
    for (const QString& key : keys)
        if (const QStringList* values = record.find(key))
            for (const QString& v : *values)
                f(v);
}

QStringList collect(const FactRecord& record, const QStringList& keys) {
    QStringList out;
    forEachValue(record, keys, [&](const QString& v) { out << v; });
    return out;
}

bool isEmpty(const FactRecord& record, const QStringList& keys) {
    for (const QString& key : keys)
        if (const QStringList* values = record.find(key); values && !values->isEmpty())
            return false;
    return true;
}

// Dates are compared as UTC instants; a plain "YYYY-MM-DD" (by far the commonest) skips the general parser.
std::optional<qint64> instant(const QString& text) {
    if (text.size() == 10 && text.at(4) == u'-' && text.at(7) == u'-') {
        bool y = false, m = false, d = false;
        const QDate date(QStringView(text).left(4).toInt(&y), QStringView(text).mid(5, 2).toInt(&m),
                         QStringView(text).mid(8, 2).toInt(&d));
        if (y && m && d && date.isValid())
            return (date.toJulianDay() - 2440588) * 86400000LL;
    }
    if (const auto t = timestamps::fromIso(text))
        return t->toMSecsSinceEpoch();
    const QDate d = QDate::fromString(text, Qt::ISODate);
    return d.isValid() ? std::optional(d.startOfDay(QTimeZone::utc()).toMSecsSinceEpoch()) : std::nullopt;
}

bool compareNumbers(Compare c, double a, double b) {
    switch (c) {
    case Compare::Gt:
        return a > b;
    case Compare::Gte:
        return a >= b;
    case Compare::Lt:
        return a < b;
    case Compare::Lte:
        return a <= b;
    case Compare::Eq:
        return a == b;
    case Compare::Ne:
        return a != b;
    }
    return false;
}

} // namespace

struct CompiledRule::Compiled {
    QString name;
    QList<Condition> conditions;
    Node logic;
    QString logicText;
    QStringList keys;

    Problem problem(const QString& condition, const QString& what) const {
        return Problem{u"rule_error"_s,
                       condition.isEmpty()
                           ? RuleEvaluator::tr("Rule \"%1\": %2").arg(name, what)
                           : RuleEvaluator::tr("Rule \"%1\", condition %2: %3").arg(name, condition, what),
                       condition};
    }

    std::optional<Problem> missing(const Condition& c, const FactRecord& record,
                                   std::initializer_list<const QStringList*> lists) const {
        for (const QStringList* fields : lists)
            for (const QString& key : *fields)
                if (!record.find(key))
                    return problem(c.id, RuleEvaluator::tr("the case has no field %1.").arg(key));
        return std::nullopt;
    }

    Result<Truth> evaluate(const Condition& c, const FactRecord& record, ConditionOutcome* explain) const;
    Truth logicValue(const Node& node, const QVarLengthArray<Truth, 8>& truths, QStringList* deciding) const;
    Result<RuleEvaluation::Outcome> run(const FactRecord& record, RuleEvaluation* explain) const;
};

namespace {

using Compiled = CompiledRule::Compiled;

Result<Condition> compileCondition(const Compiled& rule, const QJsonObject& c, int index) {
    Condition out;
    out.id = c.value(u"id"_s).toString(u"C%1"_s.arg(index));
    out.op = c.value(u"operator"_s).toString().trimmed();
    auto keys = [&](const char* a, const char* b = nullptr) {
        QStringList k = stringList(c.value(QString::fromLatin1(a)));
        if (k.isEmpty() && b)
            k = stringList(c.value(QString::fromLatin1(b)));
        return k;
    };
    auto noFields = [&](const char* name) {
        return rule.problem(out.id, RuleEvaluator::tr("%1 lists no fields.").arg(QString::fromLatin1(name)));
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
        return rule.problem(out.id, RuleEvaluator::tr("the condition has no operator."));
    if (!ops.contains(out.op))
        return rule.problem(out.id, RuleEvaluator::tr("unknown operator \"%1\".").arg(out.op));
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
                return rule.problem(
                    out.id, RuleEvaluator::tr(
                                "numeric_compare needs right_fields, or a numeric threshold or value."));
            out.threshold = t.toDouble();
        }
        out.compareName = c.value(u"compare"_s).toString(u"gt"_s).toLower();
        static const QHash<QString, Compare> compares{{u"gt"_s, Compare::Gt}, {u"gte"_s, Compare::Gte},
                                                      {u"lt"_s, Compare::Lt}, {u"lte"_s, Compare::Lte},
                                                      {u"eq"_s, Compare::Eq}, {u"ne"_s, Compare::Ne}};
        if (!compares.contains(out.compareName))
            return rule.problem(
                out.id, RuleEvaluator::tr("unknown comparison \"%1\" (use gt, gte, lt, lte, eq or ne).")
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
            return rule.problem(out.id, RuleEvaluator::tr("keywords lists no words."));
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

// "C1 AND (C2 OR NOT C3)": the text form of hit logic, parsed into the same tree as the structured forms.
class InfixParser {
public:
    InfixParser(const Compiled& rule, const QHash<QString, int>& byId, const QString& expr)
        : m_rule(rule), m_byId(byId), m_expr(expr) {
        static const QRegularExpression tokenizer(u"\\(|\\)|[^\\s()]+"_s);
        for (auto it = tokenizer.globalMatch(expr); it.hasNext();)
            m_tokens << it.next().captured();
    }

    Result<Node> parse() {
        auto v = binary(Node::Any);
        if (v && m_pos != m_tokens.size())
            return m_rule.problem({}, RuleEvaluator::tr("hit_logic \"%1\" has more after \"%2\".")
                                          .arg(m_expr, m_tokens.at(m_pos - 1)));
        return v;
    }

private:
    Result<Node> binary(Node::Kind kind) {
        auto first = kind == Node::Any ? binary(Node::All) : unary();
        if (!first)
            return first;
        const QString word = kind == Node::Any ? u"OR"_s : u"AND"_s;
        if (m_pos >= m_tokens.size() || m_tokens.at(m_pos).compare(word, Qt::CaseInsensitive) != 0)
            return first;
        Node node{kind, -1, {std::move(first).value()}};
        while (m_pos < m_tokens.size() && m_tokens.at(m_pos).compare(word, Qt::CaseInsensitive) == 0) {
            ++m_pos;
            auto next = kind == Node::Any ? binary(Node::All) : unary();
            if (!next)
                return next;
            node.children.push_back(std::move(next).value());
        }
        return node;
    }

    Result<Node> unary() {
        if (m_pos >= m_tokens.size())
            return m_rule.problem({}, RuleEvaluator::tr("hit_logic \"%1\" ends too early.").arg(m_expr));
        const QString t = m_tokens.at(m_pos++);
        if (t.compare(u"NOT"_s, Qt::CaseInsensitive) == 0) {
            auto inner = unary();
            if (!inner)
                return inner;
            return Node{Node::Not, -1, {std::move(inner).value()}};
        }
        if (t == u"(") {
            auto v = binary(Node::Any);
            if (!v)
                return v;
            if (m_pos >= m_tokens.size() || m_tokens.at(m_pos++) != u")")
                return m_rule.problem(
                    {}, RuleEvaluator::tr("hit_logic \"%1\" misses a closing parenthesis.").arg(m_expr));
            return v;
        }
        if (!m_byId.contains(t))
            return m_rule.problem(
                {},
                RuleEvaluator::tr("hit_logic names \"%1\", which is not a condition of this rule.").arg(t));
        return Node{Node::Leaf, m_byId.value(t), {}};
    }

    const Compiled& m_rule;
    const QHash<QString, int>& m_byId;
    QString m_expr;
    QStringList m_tokens;
    qsizetype m_pos = 0;
};

Result<Node> compileLogic(const Compiled& rule, const QJsonValue& expr, const QHash<QString, int>& byId,
                          QString* text) {
    auto combine = [&](const QJsonArray& parts, Node::Kind kind) -> Result<Node> {
        if (parts.isEmpty())
            return rule.problem({}, RuleEvaluator::tr("hit_logic has an empty %1 list.")
                                        .arg(kind == Node::All ? u"all"_s : u"any"_s));
        Node node{kind, -1, {}};
        QStringList texts;
        for (const QJsonValue& part : parts) {
            QString t;
            auto child = compileLogic(rule, part, byId, &t);
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
        return InfixParser(rule, byId, s).parse();
    }
    if (expr.isArray())
        return combine(expr.toArray(), Node::All);
    if (expr.isObject()) {
        const QJsonObject o = expr.toObject();
        // One operator per object: {"all": …, "any": …} leaves open which one is meant.
        if (o.size() != 1)
            return rule.problem({}, RuleEvaluator::tr("hit_logic has an object with %1 keys; each {…} takes "
                                                      "exactly one of all, any or not.")
                                        .arg(o.size()));
        if (o.value(u"all"_s).isArray())
            return combine(o.value(u"all"_s).toArray(), Node::All);
        if (o.value(u"any"_s).isArray())
            return combine(o.value(u"any"_s).toArray(), Node::Any);
        // NOT of a list would be read as NOT (all of it): say which was meant instead of guessing.
        if (o.value(u"not"_s).isArray())
            return rule.problem({}, RuleEvaluator::tr("hit_logic's not takes one condition id or one {…}, "
                                                      "not a list; for NOT (C1 AND C2) write "
                                                      "{\"not\": {\"all\": [\"C1\", \"C2\"]}}."));
        if (o.contains(u"not"_s)) {
            QString inner;
            auto child = compileLogic(rule, o.value(u"not"_s), byId, &inner);
            if (!child)
                return child;
            *text = u"NOT "_s + (o.value(u"not"_s).isObject() ? u"("_s + inner + u")"_s : inner);
            return Node{Node::Not, -1, {std::move(child).value()}};
        }
    }
    return rule.problem({},
                        RuleEvaluator::tr("hit_logic must be a condition id, a list, or {all|any|not: …}."));
}

} // namespace

Result<CompiledRule> CompiledRule::compile(const QJsonObject& rule) {
    auto compiled = std::make_shared<Compiled>();
    compiled->name = rule.value(u"name"_s).toString(rule.value(u"rule_id"_s).toString(u"(unnamed rule)"_s));
    const QJsonObject params = rule.value(u"params"_s).toObject();
    const QJsonValue conditions = params.value(u"conditions"_s);
    if (!conditions.isArray() || conditions.toArray().isEmpty())
        return compiled->problem({}, RuleEvaluator::tr("params.conditions must be a non-empty list."));
    QHash<QString, int> byId;
    int index = 0;
    for (const QJsonValue& c : conditions.toArray()) {
        ++index;
        if (!c.isObject())
            return compiled->problem(u"C%1"_s.arg(index),
                                     RuleEvaluator::tr("the condition is not an object."));
        auto condition = compileCondition(*compiled, c.toObject(), index);
        if (!condition)
            return condition.problem();
        if (byId.contains(condition.value().id))
            return compiled->problem(condition.value().id, RuleEvaluator::tr("two conditions have this id."));
        byId.insert(condition.value().id, int(compiled->conditions.size()));
        for (const QStringList* keys :
             {&condition.value().left, &condition.value().right, &condition.value().extra})
            for (const QString& key : *keys)
                if (!compiled->keys.contains(key))
                    compiled->keys << key;
        compiled->conditions << std::move(condition).value();
    }
    // Without hit logic every condition must hold, as the reference's AND of decision titles. Hit logic that
    // is there but says nothing (null, "") is a mistake, not a request for that default.
    QJsonValue logic = params.value(u"hit_logic"_s);
    if (logic.isNull() || (logic.isString() && TextRules::isBlank(logic.toString())))
        return compiled->problem({}, RuleEvaluator::tr("hit_logic is empty: combine the conditions (e.g. "
                                                       "\"C1 AND C2\"), or leave hit_logic out to require "
                                                       "all of them."));
    if (logic.isUndefined()) {
        QJsonArray ids;
        for (const Condition& c : compiled->conditions)
            ids.append(c.id);
        logic = ids;
    }
    auto tree = compileLogic(*compiled, logic, byId, &compiled->logicText);
    if (!tree)
        return tree.problem();
    compiled->logic = std::move(tree).value();
    return CompiledRule(std::move(compiled));
}

const QString& CompiledRule::name() const {
    return m_compiled->name;
}

const QStringList& CompiledRule::fieldKeys() const {
    return m_compiled->keys;
}

Result<Truth> CompiledRule::Compiled::evaluate(const Condition& c, const FactRecord& r,
                                               ConditionOutcome* explain) const {
    switch (c.kind) {
    case Op::Disjoint:
    case Op::Overlap: {
        if (auto p = missing(c, r, {&c.left, &c.right}))
            return *p;
        QVarLengthArray<QStringView, 16> a, b;
        forEachValue(r, c.left, [&](const QString& v) { a.append(normalizedCity(v)); });
        forEachValue(r, c.right, [&](const QString& v) { b.append(normalizedCity(v)); });
        bool meets = false;
        for (QStringView x : a)
            meets = meets || std::find(b.begin(), b.end(), x) != b.end();
        if (explain)
            explain->facts = u"A = %1; B = %2; A ∩ B %3 ∅"_s.arg(
                joinSet(collect(r, c.left)), joinSet(collect(r, c.right)), meets ? u"≠"_s : u"="_s);
        return fromBool(c.kind == Op::Disjoint ? !meets : meets);
    }
    case Op::DateOutside: {
        if (auto p = missing(c, r, {&c.left, &c.right, &c.extra}))
            return *p;
        if (isEmpty(r, c.left) || isEmpty(r, c.right) || isEmpty(r, c.extra)) {
            if (explain)
                explain->facts = RuleEvaluator::tr("a date or the range is empty");
            return Truth::Unknown;
        }
        const QString startText = collect(r, c.right).first(), endText = collect(r, c.extra).first();
        const auto start = instant(startText), end = instant(endText);
        if (!start || !end)
            return problem(
                c.id, RuleEvaluator::tr("the range [%1, %2] is not made of dates.").arg(startText, endText));
        QStringList outside;
        std::optional<Problem> bad;
        forEachValue(r, c.left, [&](const QString& text) {
            const auto d = instant(text);
            if (!d && !bad)
                bad = problem(c.id, RuleEvaluator::tr("\"%1\" is not a date.").arg(text));
            else if (d && (*d < *start || *d > *end))
                outside << text;
        });
        if (bad)
            return *bad;
        if (explain)
            explain->facts =
                outside.isEmpty()
                    ? RuleEvaluator::tr("all of %1 in [%2, %3]")
                          .arg(joinSet(collect(r, c.left)), startText, endText)
                    : RuleEvaluator::tr("%1 outside [%2, %3]").arg(joinSet(outside), startText, endText);
        return fromBool(!outside.isEmpty());
    }
    case Op::Numeric: {
        // The numbers were read when the record was built; here each field is looked up once.
        double lhs = 0, rhs = c.threshold.value_or(0);
        bool ok = true, any = false;
        for (const QString& key : c.left) {
            const FactRecord::Field* f = r.field(key);
            if (!f)
                return problem(c.id, RuleEvaluator::tr("the case has no field %1.").arg(key));
            lhs += f->sum;
            ok = ok && f->allNumbers;
            any = any || !f->values.isEmpty();
        }
        ok = ok && any;
        QString rightText;
        if (!c.threshold) {
            const FactRecord::Field* right = nullptr;
            for (const QString& key : c.right) {
                const FactRecord::Field* f = r.field(key);
                if (!f)
                    return problem(c.id, RuleEvaluator::tr("the case has no field %1.").arg(key));
                if (!right && !f->values.isEmpty())
                    right = f;
            }
            ok = ok && right && right->firstIsNumber;
            if (ok) {
                rhs = right->first;
                rightText = right->values.first();
            }
        } else if (explain) {
            rightText = QString::number(rhs, 'g', 17);
        }
        if (!ok) {
            if (explain)
                explain->facts = RuleEvaluator::tr("%1 is not a number").arg(joinSet(collect(r, c.left)));
            return Truth::Unknown;
        }
        if (explain)
            explain->facts =
                u"%1 %2 %3"_s.arg(QString::number(lhs, 'g', 17), c.compareName.toUpper(), rightText);
        return fromBool(compareNumbers(c.compare, lhs, rhs));
    }
    case Op::Duplicate: {
        if (auto p = missing(c, r, {&c.left}))
            return *p;
        QVarLengthArray<QStringView, 16> seen;
        QStringList repeated;
        forEachValue(r, c.left, [&](const QString& v) {
            if (std::find(seen.begin(), seen.end(), QStringView(v)) != seen.end()) {
                if (!repeated.contains(v))
                    repeated << v;
            } else {
                seen.append(v);
            }
        });
        if (explain)
            explain->facts = repeated.isEmpty() ? RuleEvaluator::tr("no value repeats")
                                                : RuleEvaluator::tr("repeated: %1").arg(joinSet(repeated));
        return fromBool(!repeated.isEmpty());
    }
    case Op::ContainsAny:
    case Op::NotContainsAny: {
        if (auto p = missing(c, r, {&c.left}))
            return *p;
        QStringList found;
        for (const QString& w : c.keywords) {
            bool inText = false;
            forEachValue(r, c.left,
                         [&](const QString& t) { inText = inText || t.contains(w, Qt::CaseInsensitive); });
            if (inText) {
                found << w;
                if (!explain)
                    break; // one keyword settles it
            }
        }
        if (explain)
            explain->facts = found.isEmpty() ? RuleEvaluator::tr("none of %1 found").arg(joinSet(c.keywords))
                                             : RuleEvaluator::tr("found %1").arg(joinSet(found));
        return fromBool(c.kind == Op::ContainsAny ? !found.isEmpty() : found.isEmpty());
    }
    case Op::ExistsAny:
    case Op::ExistsAll: {
        QStringList present, absent;
        for (const QString& key : c.left)
            (isEmpty(r, {key}) ? absent : present) << key;
        if (explain)
            explain->facts =
                RuleEvaluator::tr("present %1; absent %2").arg(joinSet(present), joinSet(absent));
        return fromBool(c.kind == Op::ExistsAny ? !present.isEmpty() : absent.isEmpty());
    }
    case Op::RouteCity: {
        if (isEmpty(r, c.left) || isEmpty(r, c.right)) {
            if (explain) // not pass, not hit: the approver needs the missing cities
                explain->facts = RuleEvaluator::tr("needs supplement: %1 is empty")
                                     .arg(isEmpty(r, c.left) ? u"A"_s : u"B"_s);
            return Truth::Unknown;
        }
        QVarLengthArray<QStringView, 16> a, b;
        forEachValue(r, c.left, [&](const QString& v) { a.append(normalizedCity(v)); });
        forEachValue(r, c.right, [&](const QString& v) { b.append(normalizedCity(v)); });
        auto inB = [&](QStringView city) { return std::find(b.begin(), b.end(), city) != b.end(); };
        bool disjointSets = true;
        for (QStringView x : a)
            disjointSets = disjointSets && !inB(x);
        QStringList explained;
        for (const QString& w : c.keywords) {
            bool inReason = false;
            forEachValue(r, c.extra, [&](const QString& t) { inReason = inReason || t.contains(w); });
            if (inReason && !explained.contains(w))
                explained << w;
        }
        // A route city is explained by the declared places or by being where the ticket starts or ends.
        const QStringList route = collect(r, c.routeKeys);
        QStringList unexplained;
        for (qsizetype i = 1; i + 1 < route.size(); ++i) {
            const QStringView city = normalizedCity(route.at(i));
            if (!inB(city) && city != normalizedCity(route.first()) && city != normalizedCity(route.last()) &&
                !unexplained.contains(route.at(i)))
                unexplained << route.at(i);
        }
        if (explain) {
            explain->facts = u"A = %1; B = %2; A ∩ B %3 ∅"_s.arg(
                joinSet(collect(r, c.left)), joinSet(collect(r, c.right)), disjointSets ? u"="_s : u"≠"_s);
            if (!unexplained.isEmpty())
                explain->facts +=
                    RuleEvaluator::tr("; unexplained route cities %1").arg(joinSet(unexplained));
            if (!explained.isEmpty())
                explain->facts +=
                    RuleEvaluator::tr(
                        "; the reason mentions %1 (evidence for the approver, not an automatic pass)")
                        .arg(joinSet(explained));
        }
        return fromBool((disjointSets && explained.isEmpty()) || !unexplained.isEmpty());
    }
    }
    return Truth::Unknown;
}

// Three-valued: in an AND a false part decides, in an OR a true part; otherwise an unknown part leaves the
// whole unknown. The deciding branch is the part that settled it, or every part when all agreed.
Truth CompiledRule::Compiled::logicValue(const Node& node, const QVarLengthArray<Truth, 8>& truths,
                                         QStringList* deciding) const {
    switch (node.kind) {
    case Node::Leaf:
        if (deciding)
            *deciding << conditions.at(node.condition).id;
        return truths.at(node.condition);
    case Node::Not: {
        const Truth v = logicValue(node.children.front(), truths, deciding);
        return v == Truth::Unknown ? Truth::Unknown : fromBool(v == Truth::False);
    }
    case Node::All:
    case Node::Any: {
        const Truth decisive = node.kind == Node::All ? Truth::False : Truth::True;
        QList<QStringList> paths(qsizetype(node.children.size()));
        QVarLengthArray<Truth, 8> values;
        for (size_t i = 0; i < node.children.size(); ++i)
            values.append(logicValue(node.children[i], truths, deciding ? &paths[qsizetype(i)] : nullptr));
        for (const Truth settle : {decisive, Truth::Unknown})
            for (qsizetype i = 0; i < values.size(); ++i)
                if (values.at(i) == settle) {
                    if (deciding)
                        *deciding << paths.at(i);
                    return settle;
                }
        if (deciding)
            for (const QStringList& p : paths)
                *deciding << p;
        return node.kind == Node::All ? Truth::True : Truth::False;
    }
    }
    return Truth::Unknown;
}

Result<RuleEvaluation::Outcome> CompiledRule::Compiled::run(const FactRecord& record,
                                                            RuleEvaluation* explain) const {
    QVarLengthArray<Truth, 8> truths;
    for (const Condition& c : conditions) {
        ConditionOutcome* outcome = nullptr;
        if (explain) {
            explain->conditions.append(ConditionOutcome{c.id, c.op, Truth::Unknown, {}});
            outcome = &explain->conditions.last();
        }
        auto v = evaluate(c, record, outcome);
        if (!v)
            return v.problem();
        truths.append(v.value());
        if (outcome)
            outcome->value = v.value();
    }
    const Truth t = logicValue(logic, truths, explain ? &explain->decidingConditions : nullptr);
    return t == Truth::True    ? RuleEvaluation::Outcome::Hit
           : t == Truth::False ? RuleEvaluation::Outcome::Pass
                               : RuleEvaluation::Outcome::NeedsSupplement;
}

Result<RuleEvaluation::Outcome> CompiledRule::outcome(const FactRecord& record) const {
    return m_compiled->run(record, nullptr);
}

Result<RuleEvaluation> CompiledRule::explain(const FactRecord& record) const {
    RuleEvaluation out;
    out.ruleName = m_compiled->name;
    out.hitLogic = m_compiled->logicText;
    auto outcome = m_compiled->run(record, &out);
    if (!outcome)
        return outcome.problem();
    out.outcome = outcome.value();
    out.decidingConditions.removeDuplicates();
    return out;
}

} // namespace riskdesk
