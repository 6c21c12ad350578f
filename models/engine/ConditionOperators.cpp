#include "ConditionOperators.h"

#include "RuleProblem.h"
#include "domain/Timestamps.h"

#include <QTimeZone>
#include <QVarLengthArray>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk::conditionops {

namespace {

using Op = CompiledCondition::Operator;
using Compare = CompiledCondition::Comparison;

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

template <typename F> void forEachValue(FactSlots record, const QList<int>& slots, F&& f) {
    for (const int slot : slots)
        if (const FactRecord::Field* field = record[size_t(slot)])
            for (const QString& v : field->values)
                f(v);
}

QStringList collect(FactSlots record, const QList<int>& slots) {
    QStringList out;
    forEachValue(record, slots, [&](const QString& v) { out << v; });
    return out;
}

bool isEmpty(FactSlots record, const QList<int>& slots) {
    for (const int slot : slots)
        if (const FactRecord::Field* field = record[size_t(slot)]; field && !field->values.isEmpty())
            return false;
    return true;
}

// The first field of the lists (keys with their slots) that the record lacks, as the Problem that names it.
std::optional<Problem>
missing(const QString& ruleName, const CompiledCondition& c, FactSlots record,
        std::initializer_list<std::pair<const QStringList*, const QList<int>*>> lists) {
    for (const auto& [keys, slots] : lists)
        for (qsizetype i = 0; i < slots->size(); ++i)
            if (!record[size_t(slots->at(i))])
                return ruleProblem(ruleName, c.id,
                                   RuleEvaluator::tr("the case has no field %1.").arg(keys->at(i)));
    return std::nullopt;
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

// not_in_scope / not_in_set / not_overlap (disjoint) and in_scope / overlap: whether the cities of A and B
// meet.
Result<Truth> setRelation(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                          ConditionOutcome* explain) {
    if (auto p = missing(ruleName, c, r, {{&c.left, &c.leftSlots}, {&c.right, &c.rightSlots}}))
        return *p;
    QVarLengthArray<QStringView, 16> a, b;
    forEachValue(r, c.leftSlots, [&](const QString& v) { a.append(normalizedCity(v)); });
    forEachValue(r, c.rightSlots, [&](const QString& v) { b.append(normalizedCity(v)); });
    bool meets = false;
    for (QStringView x : a)
        meets = meets || std::find(b.begin(), b.end(), x) != b.end();
    if (explain)
        explain->facts = u"A = %1; B = %2; A ∩ B %3 ∅"_s.arg(
            joinSet(collect(r, c.leftSlots)), joinSet(collect(r, c.rightSlots)), meets ? u"≠"_s : u"="_s);
    return fromBool(c.kind == Op::Disjoint ? !meets : meets);
}

// date_outside_range: whether a date falls outside [first range start, first range end].
Result<Truth> dateOutsideRange(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                               ConditionOutcome* explain) {
    if (auto p = missing(ruleName, c, r,
                         {{&c.left, &c.leftSlots}, {&c.right, &c.rightSlots}, {&c.extra, &c.extraSlots}}))
        return *p;
    if (isEmpty(r, c.leftSlots) || isEmpty(r, c.rightSlots) || isEmpty(r, c.extraSlots)) {
        if (explain)
            explain->facts = RuleEvaluator::tr("a date or the range is empty");
        return Truth::Unknown;
    }
    const QString startText = collect(r, c.rightSlots).first(), endText = collect(r, c.extraSlots).first();
    const auto start = instant(startText), end = instant(endText);
    if (!start || !end)
        return ruleProblem(
            ruleName, c.id,
            RuleEvaluator::tr("the range [%1, %2] is not made of dates.").arg(startText, endText));
    QStringList outside;
    std::optional<Problem> bad;
    forEachValue(r, c.leftSlots, [&](const QString& text) {
        const auto d = instant(text);
        if (!d && !bad)
            bad = ruleProblem(ruleName, c.id, RuleEvaluator::tr("\"%1\" is not a date.").arg(text));
        else if (d && (*d < *start || *d > *end))
            outside << text;
    });
    if (bad)
        return *bad;
    if (explain)
        explain->facts =
            outside.isEmpty()
                ? RuleEvaluator::tr("all of %1 in [%2, %3]")
                      .arg(joinSet(collect(r, c.leftSlots)), startText, endText)
                : RuleEvaluator::tr("%1 outside [%2, %3]").arg(joinSet(outside), startText, endText);
    return fromBool(!outside.isEmpty());
}

// numeric_compare: the sum of the left fields against the first right value or the threshold.
Result<Truth> numericCompare(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                             ConditionOutcome* explain) {
    // The numbers were read when the record was built; here each field is looked up once.
    double lhs = 0, rhs = c.threshold.value_or(0);
    bool ok = true, any = false;
    for (qsizetype i = 0; i < c.left.size(); ++i) {
        const FactRecord::Field* f = r[size_t(c.leftSlots.at(i))];
        if (!f)
            return ruleProblem(ruleName, c.id,
                               RuleEvaluator::tr("the case has no field %1.").arg(c.left.at(i)));
        lhs += f->sum;
        ok = ok && f->allNumbers;
        any = any || !f->values.isEmpty();
    }
    ok = ok && any;
    QString rightText;
    if (!c.threshold) {
        const FactRecord::Field* right = nullptr;
        for (qsizetype i = 0; i < c.right.size(); ++i) {
            const FactRecord::Field* f = r[size_t(c.rightSlots.at(i))];
            if (!f)
                return ruleProblem(ruleName, c.id,
                                   RuleEvaluator::tr("the case has no field %1.").arg(c.right.at(i)));
            if (!right && !f->values.isEmpty())
                right = f;
        }
        ok = ok && right && right->firstIsNumber;
        if (ok) {
            rhs = right->first;
            if (explain)
                rightText = right->values.first();
        }
    } else if (explain) {
        rightText = QString::number(rhs, 'g', 17);
    }
    if (!ok) {
        if (explain)
            explain->facts = RuleEvaluator::tr("%1 is not a number").arg(joinSet(collect(r, c.leftSlots)));
        return Truth::Unknown;
    }
    if (explain)
        explain->facts = u"%1 %2 %3"_s.arg(QString::number(lhs, 'g', 17), c.compareName.toUpper(), rightText);
    return fromBool(compareNumbers(c.compare, lhs, rhs));
}

// duplicate_value: whether a value appears twice among the fields.
Result<Truth> duplicateValue(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                             ConditionOutcome* explain) {
    if (auto p = missing(ruleName, c, r, {{&c.left, &c.leftSlots}}))
        return *p;
    QVarLengthArray<QStringView, 16> seen;
    QStringList repeated;
    forEachValue(r, c.leftSlots, [&](const QString& v) {
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

// contains_any and not_contains_any: whether a keyword appears in the fields' text (case-insensitive).
Result<Truth> containsKeyword(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                              ConditionOutcome* explain) {
    if (auto p = missing(ruleName, c, r, {{&c.left, &c.leftSlots}}))
        return *p;
    QStringList found;
    for (const QString& w : c.keywords) {
        bool inText = false;
        forEachValue(r, c.leftSlots,
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

// exists_any and exists_all / all_present: which fields hold a value (a field the record lacks is absent).
Result<Truth> fieldsPresent(const CompiledCondition& c, FactSlots r, ConditionOutcome* explain) {
    QStringList present, absent;
    for (qsizetype i = 0; i < c.left.size(); ++i) {
        const FactRecord::Field* f = r[size_t(c.leftSlots.at(i))];
        (f && !f->values.isEmpty() ? present : absent) << c.left.at(i);
    }
    if (explain)
        explain->facts = RuleEvaluator::tr("present %1; absent %2").arg(joinSet(present), joinSet(absent));
    return fromBool(c.kind == Op::ExistsAny ? !present.isEmpty() : absent.isEmpty());
}

// route_city_consistency: the declared places (A) against the route (B); a hit when they never meet and the
// reason gives no explanation, or when the route passes a city neither declared nor at its ends.
Result<Truth> routeCityConsistency(const CompiledCondition& c, FactSlots r, ConditionOutcome* explain) {
    if (isEmpty(r, c.leftSlots) || isEmpty(r, c.rightSlots)) {
        if (explain) // not pass, not hit: the approver needs the missing cities
            explain->facts = RuleEvaluator::tr("needs supplement: %1 is empty")
                                 .arg(isEmpty(r, c.leftSlots) ? u"A"_s : u"B"_s);
        return Truth::Unknown;
    }
    QVarLengthArray<QStringView, 16> a, b;
    forEachValue(r, c.leftSlots, [&](const QString& v) { a.append(normalizedCity(v)); });
    forEachValue(r, c.rightSlots, [&](const QString& v) { b.append(normalizedCity(v)); });
    auto inB = [&](QStringView city) { return std::find(b.begin(), b.end(), city) != b.end(); };
    bool disjointSets = true;
    for (QStringView x : a)
        disjointSets = disjointSets && !inB(x);
    QStringList explained;
    for (const QString& w : c.keywords) {
        bool inReason = false;
        forEachValue(r, c.extraSlots, [&](const QString& t) { inReason = inReason || t.contains(w); });
        if (inReason && !explained.contains(w))
            explained << w;
    }
    // A route city is explained by the declared places or by being where the ticket starts or ends.
    const QStringList route = collect(r, c.routeSlots);
    QStringList unexplained;
    for (qsizetype i = 1; i + 1 < route.size(); ++i) {
        const QStringView city = normalizedCity(route.at(i));
        if (!inB(city) && city != normalizedCity(route.first()) && city != normalizedCity(route.last()) &&
            !unexplained.contains(route.at(i)))
            unexplained << route.at(i);
    }
    if (explain) {
        explain->facts = u"A = %1; B = %2; A ∩ B %3 ∅"_s.arg(joinSet(collect(r, c.leftSlots)),
                                                             joinSet(collect(r, c.rightSlots)),
                                                             disjointSets ? u"="_s : u"≠"_s);
        if (!unexplained.isEmpty())
            explain->facts += RuleEvaluator::tr("; unexplained route cities %1").arg(joinSet(unexplained));
        if (!explained.isEmpty())
            explain->facts += RuleEvaluator::tr("; the reason mentions %1 (evidence for the "
                                                "approver, not an automatic pass)")
                                  .arg(joinSet(explained));
    }
    return fromBool((disjointSets && explained.isEmpty()) || !unexplained.isEmpty());
}

Result<Truth> evaluate(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                       ConditionOutcome* explain) {
    switch (c.kind) {
    case Op::Disjoint:
    case Op::Overlap:
        return setRelation(ruleName, c, r, explain);
    case Op::DateOutside:
        return dateOutsideRange(ruleName, c, r, explain);
    case Op::Numeric:
        return numericCompare(ruleName, c, r, explain);
    case Op::Duplicate:
        return duplicateValue(ruleName, c, r, explain);
    case Op::ContainsAny:
    case Op::NotContainsAny:
        return containsKeyword(ruleName, c, r, explain);
    case Op::ExistsAny:
    case Op::ExistsAll:
        return fieldsPresent(c, r, explain);
    case Op::RouteCity:
        return routeCityConsistency(c, r, explain);
    }
    return Truth::Unknown;
}

} // namespace riskdesk::conditionops
