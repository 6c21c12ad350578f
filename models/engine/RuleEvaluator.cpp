#include "RuleEvaluator.h"

#include "domain/Timestamps.h"

#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>
#include <functional>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QStringList kDefaultExceptionKeywords{u"绕行"_s,     u"跨城办事"_s, u"跨城"_s,
                                            u"临时改签"_s, u"改签"_s,     u"变更"_s};

Truth fromBool(bool b) {
    return b ? Truth::True : Truth::False;
}

QString truthName(Truth t) {
    return t == Truth::True ? u"true"_s : t == Truth::False ? u"false"_s : u"unknown"_s;
}

QStringList stringList(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& item : v.toArray())
        if (item.isString())
            out << item.toString();
    return out;
}

// City names compare without the administrative suffix: "上海市" and "上海" are one city.
QString normalized(QString text) {
    text = text.trimmed();
    if (text.size() > 1 && text.endsWith(u'市'))
        text.chop(1);
    return text;
}

QString joinSet(QStringList items) {
    items.removeDuplicates(); // a set shows each member once
    return u"{"_s + items.join(u", "_s) + u"}"_s;
}

class Evaluation {
public:
    Evaluation(const QJsonObject& rule, const QJsonObject& record) : m_rule(rule), m_record(record) {
        m_name = rule.value(u"name"_s).toString(rule.value(u"rule_id"_s).toString(u"(unnamed rule)"_s));
    }

    Problem problem(const QString& condition, const QString& what) const {
        return Problem{u"rule_error"_s,
                       condition.isEmpty()
                           ? RuleEvaluator::tr("Rule \"%1\": %2").arg(m_name, what)
                           : RuleEvaluator::tr("Rule \"%1\", condition %2: %3").arg(m_name, condition, what),
                       condition};
    }

    // A field of the case: a flat key ("claim.location") or a path through nested objects.
    std::optional<QJsonValue> field(const QString& key) const {
        if (m_record.contains(key))
            return m_record.value(key);
        QJsonValue v = m_record;
        for (const QString& part : key.split(u'.')) {
            if (!v.isObject() || !v.toObject().contains(part))
                return std::nullopt;
            v = v.toObject().value(part);
        }
        return v;
    }

    // The values of several fields as one list of strings (arrays are flattened, empties dropped).
    Result<QStringList> values(const QString& condition, const QStringList& keys,
                               bool requirePresent = true) const {
        QStringList out;
        for (const QString& key : keys) {
            const auto v = field(key);
            if (!v) {
                if (requirePresent)
                    return problem(condition, RuleEvaluator::tr("the case has no field %1.").arg(key));
                continue;
            }
            const QJsonArray items = v->isArray() ? v->toArray() : QJsonArray{*v};
            for (const QJsonValue& item : items) {
                const QString text = item.isString()   ? item.toString()
                                     : item.isDouble() ? QString::number(item.toDouble(), 'g', 17)
                                     : item.isBool()   ? (item.toBool() ? u"true"_s : QString())
                                                       : QString();
                if (!text.trimmed().isEmpty())
                    out << text.trimmed();
            }
        }
        return out;
    }

    Result<ConditionOutcome> condition(const QJsonObject& c, int index) const;
    Result<Truth> logic(const QJsonValue& expr, const QHash<QString, ConditionOutcome>& byId,
                        QStringList* deciding, QString* text) const;
    Result<Truth> infix(const QString& expr, const QHash<QString, ConditionOutcome>& byId,
                        QStringList* deciding) const;

    const QString& name() const { return m_name; }

private:
    QJsonObject m_rule;
    QJsonObject m_record;
    QString m_name;
};

Result<ConditionOutcome> Evaluation::condition(const QJsonObject& c, int index) const {
    ConditionOutcome out;
    out.id = c.value(u"id"_s).toString(u"C%1"_s.arg(index));
    out.op = c.value(u"operator"_s).toString().trimmed();
    const QString id = out.id;
    auto keys = [&](const char* a, const char* b = nullptr) {
        QStringList k = stringList(c.value(QString::fromLatin1(a)));
        if (k.isEmpty() && b)
            k = stringList(c.value(QString::fromLatin1(b)));
        return k;
    };
    auto needKeys = [&](const QStringList& k, const char* name) -> std::optional<Problem> {
        if (k.isEmpty())
            return problem(id, RuleEvaluator::tr("%1 lists no fields.").arg(QString::fromLatin1(name)));
        return std::nullopt;
    };

    static const QSet<QString> disjoint{u"not_in_scope"_s, u"not_in_set"_s, u"not_overlap"_s};
    static const QSet<QString> overlap{u"in_scope"_s, u"overlap"_s};
    if (disjoint.contains(out.op) || overlap.contains(out.op)) {
        const QStringList lk = keys("left_fields"), rk = keys("right_fields");
        if (auto p = needKeys(lk, "left_fields"))
            return *p;
        if (auto p = needKeys(rk, "right_fields"))
            return *p;
        auto left = values(id, lk), right = values(id, rk);
        if (!left)
            return left.problem();
        if (!right)
            return right.problem();
        QSet<QString> a, b;
        for (const QString& v : left.value())
            a.insert(normalized(v));
        for (const QString& v : right.value())
            b.insert(normalized(v));
        const bool meets = a.intersects(b);
        out.value = fromBool(disjoint.contains(out.op) ? !meets : meets);
        out.facts = u"A = %1; B = %2; A ∩ B %3 ∅"_s.arg(joinSet(left.value()), joinSet(right.value()),
                                                        meets ? u"≠"_s : u"="_s);
        return out;
    }
    if (out.op == u"date_outside_range") {
        const QStringList dk = keys("date_fields"), sk = keys("range_start_fields"),
                          ek = keys("range_end_fields");
        for (const auto& [k, n] : {std::pair{dk, "date_fields"}, std::pair{sk, "range_start_fields"},
                                   std::pair{ek, "range_end_fields"}})
            if (auto p = needKeys(k, n))
                return *p;
        auto dates = values(id, dk), starts = values(id, sk), ends = values(id, ek);
        for (const auto* r : {&dates, &starts, &ends})
            if (!*r)
                return r->problem();
        auto parse = [&](const QString& text) -> std::optional<QDateTime> {
            if (const auto t = timestamps::fromIso(text))
                return t;
            const QDate d = QDate::fromString(text, Qt::ISODate);
            return d.isValid() ? std::optional(d.startOfDay(QTimeZone::utc())) : std::nullopt;
        };
        if (dates.value().isEmpty() || starts.value().isEmpty() || ends.value().isEmpty()) {
            out.value = Truth::Unknown;
            out.facts = RuleEvaluator::tr("a date or the range is empty");
            return out;
        }
        const auto start = parse(starts.value().first()), end = parse(ends.value().first());
        if (!start || !end)
            return problem(id, RuleEvaluator::tr("the range [%1, %2] is not made of dates.")
                                   .arg(starts.value().first(), ends.value().first()));
        QStringList outside;
        for (const QString& text : dates.value()) {
            const auto d = parse(text);
            if (!d)
                return problem(id, RuleEvaluator::tr("\"%1\" is not a date.").arg(text));
            if (*d < *start || *d > *end)
                outside << text;
        }
        out.value = fromBool(!outside.isEmpty());
        out.facts = outside.isEmpty()
                        ? RuleEvaluator::tr("all of %1 in [%2, %3]")
                              .arg(joinSet(dates.value()), starts.value().first(), ends.value().first())
                        : RuleEvaluator::tr("%1 outside [%2, %3]")
                              .arg(joinSet(outside), starts.value().first(), ends.value().first());
        return out;
    }
    if (out.op == u"numeric_compare") {
        const QStringList lk = keys("left_fields", "fields"), rk = keys("right_fields");
        if (auto p = needKeys(lk, "left_fields"))
            return *p;
        auto left = values(id, lk);
        if (!left)
            return left.problem();
        double lhs = 0, rhs = 0;
        bool ok = !left.value().isEmpty();
        for (const QString& v : left.value()) {
            bool isNumber = false;
            lhs += v.toDouble(&isNumber);
            ok = ok && isNumber;
        }
        QString rightText;
        if (!rk.isEmpty()) {
            auto right = values(id, rk);
            if (!right)
                return right.problem();
            ok = ok && !right.value().isEmpty();
            if (ok) {
                bool isNumber = false;
                rhs = right.value().first().toDouble(&isNumber);
                ok = isNumber;
                rightText = right.value().first();
            }
        } else {
            const QJsonValue t = c.contains(u"threshold"_s) ? c.value(u"threshold"_s) : c.value(u"value"_s);
            if (!t.isDouble())
                return problem(id,
                               RuleEvaluator::tr(
                                   "numeric_compare needs right_fields, or a numeric threshold or value."));
            rhs = t.toDouble();
            rightText = QString::number(rhs, 'g', 17);
        }
        const QString compare = c.value(u"compare"_s).toString(u"gt"_s).toLower();
        static const QHash<QString, std::function<bool(double, double)>> compares{
            {u"gt"_s, std::greater<>()},  {u"gte"_s, std::greater_equal<>()},
            {u"lt"_s, std::less<>()},     {u"lte"_s, std::less_equal<>()},
            {u"eq"_s, std::equal_to<>()}, {u"ne"_s, std::not_equal_to<>()}};
        if (!compares.contains(compare))
            return problem(id,
                           RuleEvaluator::tr("unknown comparison \"%1\" (use gt, gte, lt, lte, eq or ne).")
                               .arg(compare));
        if (!ok) {
            out.value = Truth::Unknown;
            out.facts = RuleEvaluator::tr("%1 is not a number").arg(joinSet(left.value()));
            return out;
        }
        out.value = fromBool(compares.value(compare)(lhs, rhs));
        out.facts = u"%1 %2 %3"_s.arg(QString::number(lhs, 'g', 17), compare.toUpper(), rightText);
        return out;
    }
    if (out.op == u"duplicate_value") {
        const QStringList k = keys("fields");
        if (auto p = needKeys(k, "fields"))
            return *p;
        auto all = values(id, k);
        if (!all)
            return all.problem();
        QSet<QString> seen;
        QStringList repeated;
        for (const QString& v : all.value())
            if (seen.contains(v) && !repeated.contains(v))
                repeated << v;
            else
                seen.insert(v);
        out.value = fromBool(!repeated.isEmpty());
        out.facts = repeated.isEmpty() ? RuleEvaluator::tr("no value repeats")
                                       : RuleEvaluator::tr("repeated: %1").arg(joinSet(repeated));
        return out;
    }
    if (out.op == u"contains_any" || out.op == u"not_contains_any") {
        const QStringList k = keys("fields"), words = stringList(c.value(u"keywords"_s));
        if (auto p = needKeys(k, "fields"))
            return *p;
        if (words.isEmpty())
            return problem(id, RuleEvaluator::tr("keywords lists no words."));
        auto texts = values(id, k);
        if (!texts)
            return texts.problem();
        QStringList found;
        for (const QString& w : words)
            for (const QString& t : texts.value())
                if (t.contains(w, Qt::CaseInsensitive) && !found.contains(w))
                    found << w;
        out.value = fromBool(out.op == u"contains_any" ? !found.isEmpty() : found.isEmpty());
        out.facts = found.isEmpty() ? RuleEvaluator::tr("none of %1 found").arg(joinSet(words))
                                    : RuleEvaluator::tr("found %1").arg(joinSet(found));
        return out;
    }
    if (out.op == u"exists_any" || out.op == u"exists_all" || out.op == u"all_present") {
        const QStringList k = keys("fields");
        if (auto p = needKeys(k, "fields"))
            return *p;
        QStringList present, absent;
        for (const QString& key : k) {
            auto v = values(id, {key}, false);
            (v && !v.value().isEmpty() ? present : absent) << key;
        }
        out.value = fromBool(out.op == u"exists_any" ? !present.isEmpty() : absent.isEmpty());
        out.facts = RuleEvaluator::tr("present %1; absent %2").arg(joinSet(present), joinSet(absent));
        return out;
    }
    if (out.op == u"route_city_consistency") {
        const QStringList ak = keys("left_group", "left_fields"), bk = keys("right_group", "right_fields");
        QStringList ek = keys("exception_fields");
        QStringList words = stringList(c.value(u"exception_keywords"_s));
        if (words.isEmpty())
            words = kDefaultExceptionKeywords;
        if (auto p = needKeys(ak, "left_group"))
            return *p;
        if (auto p = needKeys(bk, "right_group"))
            return *p;
        auto a = values(id, ak, false), b = values(id, bk, false), reasons = values(id, ek, false);
        QStringList route;
        for (const QString& key : ak)
            if (key.endsWith(u"route_cities"))
                if (auto r = values(id, {key}, false))
                    route << r.value();
        if (a.value().isEmpty() || b.value().isEmpty()) {
            out.value = Truth::Unknown; // not pass, not hit: the approver needs the missing cities
            out.facts =
                RuleEvaluator::tr("needs supplement: %1 is empty").arg(a.value().isEmpty() ? u"A"_s : u"B"_s);
            return out;
        }
        QSet<QString> setA, setB;
        for (const QString& v : a.value())
            setA.insert(normalized(v));
        for (const QString& v : b.value())
            setB.insert(normalized(v));
        QStringList explained;
        for (const QString& w : words)
            for (const QString& t : reasons.value())
                if (t.contains(w) && !explained.contains(w))
                    explained << w;
        // A route city is explained by the declared places or by being where the ticket starts or ends.
        QStringList unexplained;
        for (qsizetype i = 1; i + 1 < route.size(); ++i) {
            const QString city = normalized(route.at(i));
            if (!setB.contains(city) && city != normalized(route.first()) &&
                city != normalized(route.last()) && !unexplained.contains(route.at(i)))
                unexplained << route.at(i);
        }
        const bool disjointSets = !setA.intersects(setB);
        out.value = fromBool((disjointSets && explained.isEmpty()) || !unexplained.isEmpty());
        out.facts = u"A = %1; B = %2; A ∩ B %3 ∅"_s.arg(joinSet(a.value()), joinSet(b.value()),
                                                        disjointSets ? u"="_s : u"≠"_s);
        if (!unexplained.isEmpty())
            out.facts += RuleEvaluator::tr("; unexplained route cities %1").arg(joinSet(unexplained));
        if (!explained.isEmpty())
            out.facts += RuleEvaluator::tr(
                             "; the reason mentions %1 (evidence for the approver, not an automatic pass)")
                             .arg(joinSet(explained));
        return out;
    }
    if (out.op.isEmpty())
        return problem(id, RuleEvaluator::tr("the condition has no operator."));
    return problem(id, RuleEvaluator::tr("unknown operator \"%1\".").arg(out.op));
}

Result<Truth> Evaluation::logic(const QJsonValue& expr, const QHash<QString, ConditionOutcome>& byId,
                                QStringList* deciding, QString* text) const {
    auto combine = [&](const QJsonArray& parts, bool all, QString* partText) -> Result<Truth> {
        if (parts.isEmpty())
            return problem(
                {}, RuleEvaluator::tr("hit_logic has an empty %1 list.").arg(all ? u"all"_s : u"any"_s));
        QStringList texts;
        QList<Truth> truths;
        QList<QStringList> paths;
        for (const QJsonValue& part : parts) {
            QStringList path;
            QString t;
            auto v = logic(part, byId, &path, &t);
            if (!v)
                return v;
            truths << v.value();
            paths << path;
            texts << (part.isObject() ? u"("_s + t + u")"_s : t);
        }
        *partText = texts.join(all ? u" AND "_s : u" OR "_s);
        const Truth decisive = all ? Truth::False : Truth::True;
        for (qsizetype i = 0; i < truths.size(); ++i)
            if (truths.at(i) == decisive) {
                *deciding << paths.at(i);
                return decisive;
            }
        for (qsizetype i = 0; i < truths.size(); ++i)
            if (truths.at(i) == Truth::Unknown) {
                *deciding << paths.at(i);
                return Truth::Unknown;
            }
        for (const QStringList& p : paths)
            *deciding << p;
        return all ? Truth::True : Truth::False;
    };
    if (expr.isString()) {
        const QString s = expr.toString().trimmed();
        *text = s;
        if (byId.contains(s)) {
            *deciding << s;
            return byId.value(s).value;
        }
        return infix(s, byId, deciding);
    }
    if (expr.isArray())
        return combine(expr.toArray(), true, text);
    if (expr.isObject()) {
        const QJsonObject o = expr.toObject();
        if (o.value(u"all"_s).isArray())
            return combine(o.value(u"all"_s).toArray(), true, text);
        if (o.value(u"any"_s).isArray())
            return combine(o.value(u"any"_s).toArray(), false, text);
        if (o.contains(u"not"_s)) {
            QString inner;
            auto v = logic(o.value(u"not"_s), byId, deciding, &inner);
            if (!v)
                return v;
            *text = u"NOT "_s + (o.value(u"not"_s).isObject() ? u"("_s + inner + u")"_s : inner);
            return v.value() == Truth::Unknown ? Truth::Unknown : fromBool(v.value() == Truth::False);
        }
    }
    return problem({}, RuleEvaluator::tr("hit_logic must be a condition id, a list, or {all|any|not: …}."));
}

// "C1 AND (C2 OR NOT C3)": the text form of hit logic.
Result<Truth> Evaluation::infix(const QString& expr, const QHash<QString, ConditionOutcome>& byId,
                                QStringList* deciding) const {
    static const QRegularExpression tokenizer(u"\\(|\\)|[^\\s()]+"_s);
    QStringList tokens;
    for (auto it = tokenizer.globalMatch(expr); it.hasNext();)
        tokens << it.next().captured();
    qsizetype pos = 0;
    std::function<Result<Truth>()> orExpr, andExpr, unary;
    unary = [&]() -> Result<Truth> {
        if (pos >= tokens.size())
            return problem({}, RuleEvaluator::tr("hit_logic \"%1\" ends too early.").arg(expr));
        const QString t = tokens.at(pos++);
        if (t.compare(u"NOT"_s, Qt::CaseInsensitive) == 0) {
            auto v = unary();
            return !v ? v
                      : Result<Truth>(v.value() == Truth::Unknown ? Truth::Unknown
                                                                  : fromBool(v.value() == Truth::False));
        }
        if (t == u"(") {
            auto v = orExpr();
            if (!v)
                return v;
            if (pos >= tokens.size() || tokens.at(pos++) != u")")
                return problem({},
                               RuleEvaluator::tr("hit_logic \"%1\" misses a closing parenthesis.").arg(expr));
            return v;
        }
        if (!byId.contains(t))
            return problem(
                {},
                RuleEvaluator::tr("hit_logic names \"%1\", which is not a condition of this rule.").arg(t));
        *deciding << t;
        return byId.value(t).value;
    };
    auto binary = [&](const QString& word, std::function<Result<Truth>()>& next,
                      bool isAnd) -> Result<Truth> {
        auto v = next();
        if (!v)
            return v;
        Truth acc = v.value();
        while (pos < tokens.size() && tokens.at(pos).compare(word, Qt::CaseInsensitive) == 0) {
            ++pos;
            auto r = next();
            if (!r)
                return r;
            const Truth x = r.value();
            if (isAnd)
                acc = (acc == Truth::False || x == Truth::False)       ? Truth::False
                      : (acc == Truth::Unknown || x == Truth::Unknown) ? Truth::Unknown
                                                                       : Truth::True;
            else
                acc = (acc == Truth::True || x == Truth::True)         ? Truth::True
                      : (acc == Truth::Unknown || x == Truth::Unknown) ? Truth::Unknown
                                                                       : Truth::False;
        }
        return acc;
    };
    andExpr = [&]() { return binary(u"AND"_s, unary, true); };
    orExpr = [&]() { return binary(u"OR"_s, andExpr, false); };
    auto v = orExpr();
    if (v && pos != tokens.size())
        return problem(
            {}, RuleEvaluator::tr("hit_logic \"%1\" has more after \"%2\".").arg(expr, tokens.at(pos - 1)));
    return v;
}

} // namespace

QString RuleEvaluation::outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Pass:
        return u"pass"_s;
    case Outcome::Hit:
        return u"hit"_s;
    case Outcome::NeedsSupplement:
        return u"needs_supplement"_s;
    }
    return {};
}

QJsonObject RuleEvaluation::toJson() const {
    QJsonArray conditionsJson;
    for (const ConditionOutcome& c : conditions)
        conditionsJson.append(QJsonObject{
            {u"id"_s, c.id}, {u"operator"_s, c.op}, {u"value"_s, truthName(c.value)}, {u"facts"_s, c.facts}});
    return QJsonObject{{u"rule"_s, ruleName},
                       {u"outcome"_s, outcomeName(outcome)},
                       {u"hit_logic"_s, hitLogic},
                       {u"deciding_conditions"_s, QJsonArray::fromStringList(decidingConditions)},
                       {u"conditions"_s, conditionsJson}};
}

Result<RuleEvaluation> RuleEvaluator::evaluate(const QJsonObject& rule, const QJsonObject& record) {
    Evaluation e(rule, record);
    const QJsonObject params = rule.value(u"params"_s).toObject();
    const QJsonValue conditions = params.value(u"conditions"_s);
    if (!conditions.isArray() || conditions.toArray().isEmpty())
        return e.problem({}, tr("params.conditions must be a non-empty list."));
    RuleEvaluation out;
    out.ruleName = e.name();
    QHash<QString, ConditionOutcome> byId;
    int index = 0;
    for (const QJsonValue& c : conditions.toArray()) {
        ++index;
        if (!c.isObject())
            return e.problem(u"C%1"_s.arg(index), tr("the condition is not an object."));
        auto outcome = e.condition(c.toObject(), index);
        if (!outcome)
            return outcome.problem();
        if (byId.contains(outcome.value().id))
            return e.problem(outcome.value().id, tr("two conditions have this id."));
        byId.insert(outcome.value().id, outcome.value());
        out.conditions << outcome.value();
    }
    // Without hit logic every condition must hold, as the reference's AND of decision titles.
    QJsonValue logic = params.value(u"hit_logic"_s);
    if (logic.isUndefined() || logic.isNull() || (logic.isString() && logic.toString().trimmed().isEmpty())) {
        QJsonArray ids;
        for (const ConditionOutcome& c : out.conditions)
            ids.append(c.id);
        logic = ids;
    }
    auto truth = e.logic(logic, byId, &out.decidingConditions, &out.hitLogic);
    if (!truth)
        return truth.problem();
    out.decidingConditions.removeDuplicates();
    out.outcome = truth.value() == Truth::True    ? RuleEvaluation::Outcome::Hit
                  : truth.value() == Truth::False ? RuleEvaluation::Outcome::Pass
                                                  : RuleEvaluation::Outcome::NeedsSupplement;
    return out;
}

} // namespace riskdesk
