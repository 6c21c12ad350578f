#pragma once

#include <vector>

namespace riskdesk {

// A rule's hit logic as a tree: a leaf names a condition by its index in the rule, the other kinds combine
// their children. The text and structured forms of hit_logic compile to the same tree.
struct HitLogicNode {
    enum Kind { Leaf, All, Any, Not } kind = Leaf;
    int condition = -1;
    std::vector<HitLogicNode> children;
};

} // namespace riskdesk
