#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace riskdesk {

// One condition of a rule as CompiledRule::compile resolved it: the operator and the comparison are enums,
// the field lists, keywords and threshold are read out of the JSON once, so evaluating it looks nothing up.
struct CompiledCondition {
    enum class Operator {
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
    enum class Comparison { Gt, Gte, Lt, Lte, Eq, Ne };

    QString id;
    QString op; // as written in the rule
    Operator kind = Operator::ExistsAny;
    // Field roles by operator: sets (left, right); dates (left = dates, right = range starts, extra = range
    // ends); numbers (left, right or a threshold); duplicates, keywords and presence (left); route cities
    // (left = group A, right = group B, extra = the reason fields).
    QStringList left, right, extra;
    QStringList routeKeys; // the keys of group A that hold a ticket's route
    // The same keys as positions in the rule's field list (CompiledRule::fieldKeys), which is how a record's
    // fields are handed to the operators (FactSlots): evaluating looks no key up.
    QList<int> leftSlots, rightSlots, extraSlots, routeSlots;
    // The distinct slots the condition reads, when its answer is worth remembering per combination of the
    // value lists there (text work: sets, keywords, duplicates; at most two slots); empty otherwise.
    QList<int> memoSlots;
    QStringList keywords;
    Comparison compare = Comparison::Gt;
    QString compareName;
    std::optional<double> threshold;
};

} // namespace riskdesk
