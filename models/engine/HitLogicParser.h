#pragma once

#include "HitLogicNode.h"
#include "domain/Result.h"

#include <QHash>
#include <QStringList>

namespace riskdesk {

// "C1 AND (C2 OR NOT C3)": the text form of hit logic, parsed into the same tree as the structured forms. NOT
// binds tightest, then AND, then OR; the words are case-insensitive. A name that is no condition of the rule,
// a missing parenthesis or anything left over is a Problem naming the rule.
class HitLogicParser {
public:
    HitLogicParser(const QString& ruleName, const QHash<QString, int>& byId, const QString& expr);

    Result<HitLogicNode> parse();

private:
    Result<HitLogicNode> binary(HitLogicNode::Kind kind);
    Result<HitLogicNode> unary();

    QString m_ruleName;
    const QHash<QString, int>& m_byId;
    QString m_expr;
    QStringList m_tokens;
    qsizetype m_pos = 0;
};

} // namespace riskdesk
