#include "HitLogicParser.h"

#include "RuleEvaluator.h"
#include "RuleProblem.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

using Node = HitLogicNode;

HitLogicParser::HitLogicParser(const QString& ruleName, const QHash<QString, int>& byId, const QString& expr)
    : m_ruleName(ruleName), m_byId(byId), m_expr(expr) {
    static const QRegularExpression tokenizer(u"\\(|\\)|[^\\s()]+"_s);
    for (auto it = tokenizer.globalMatch(expr); it.hasNext();)
        m_tokens << it.next().captured();
}

Result<Node> HitLogicParser::parse() {
    auto v = binary(Node::Any);
    if (v && m_pos != m_tokens.size())
        return ruleProblem(
            m_ruleName, {},
            RuleEvaluator::tr("hit_logic \"%1\" has more after \"%2\".").arg(m_expr, m_tokens.at(m_pos - 1)));
    return v;
}

Result<Node> HitLogicParser::binary(Node::Kind kind) {
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

Result<Node> HitLogicParser::unary() {
    if (m_pos >= m_tokens.size())
        return ruleProblem(m_ruleName, {}, RuleEvaluator::tr("hit_logic \"%1\" ends too early.").arg(m_expr));
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
            return ruleProblem(
                m_ruleName, {},
                RuleEvaluator::tr("hit_logic \"%1\" misses a closing parenthesis.").arg(m_expr));
        return v;
    }
    if (!m_byId.contains(t))
        return ruleProblem(
            m_ruleName, {},
            RuleEvaluator::tr("hit_logic names \"%1\", which is not a condition of this rule.").arg(t));
    return Node{Node::Leaf, m_byId.value(t), {}};
}

} // namespace riskdesk
