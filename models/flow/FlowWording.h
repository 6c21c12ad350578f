#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace riskdesk {

// How a diagram words a rule's conditions and hit logic, in the current language (in Chinese, the
// reference's own words): "C1: 交通票行程城市、住宿发票城市 ∩ 申报目的地、明细发生地点 = ∅".
class FlowWording {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FlowWording)

public:
    // One condition line; labelByKey names fields, index numbers a condition without an id (from 1).
    static QString condition(const QJsonObject& condition, const QHash<QString, QString>& labelByKey,
                             int index);
    // all → AND, any → OR, not → NOT, nested parts in parentheses; text is kept as written.
    static QString hitLogic(const QJsonValue& logic);
    // Up to three fields by label, joined as a list (or "field set" when there are none).
    static QString fieldGroup(const QJsonValue& keys, const QHash<QString, QString>& labelByKey);
    static QString listSeparator();
};

} // namespace riskdesk
