#include "FinanceLabels.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString FinanceLabels::category(const QString& code) {
    if (code == u"table"_s)
        return tr("Table fees");
    if (code == u"coach"_s)
        return tr("Coach service");
    if (code == u"goods"_s)
        return tr("Goods & drinks");
    if (code == u"other"_s)
        return tr("Other");
    return code;
}

QString FinanceLabels::discountType(const QString& code) {
    if (code == u"member"_s)
        return tr("Member discount");
    if (code == u"voucher"_s)
        return tr("Group-buy voucher");
    if (code == u"comp"_s)
        return tr("Comps");
    if (code == u"rounding"_s)
        return tr("Rounding-off");
    if (code == u"other"_s)
        return tr("Other");
    return code;
}

QString FinanceLabels::tender(const QString& code) {
    if (code == u"wechat"_s)
        return tr("WeChat Pay");
    if (code == u"alipay"_s)
        return tr("Alipay");
    if (code == u"cash"_s)
        return tr("Cash");
    if (code == u"bank"_s)
        return tr("Bank card");
    if (code == u"recharge"_s)
        return tr("Stored-value recharge");
    if (code == u"platform"_s)
        return tr("Platform settlement");
    if (code == u"stored_value"_s)
        return tr("Stored-value card payment");
    if (code == u"gift"_s)
        return tr("Gift card payment");
    if (code == u"voucher"_s)
        return tr("Group-buy voucher redemption");
    return code;
}

QString FinanceLabels::expenseGroup(const QString& code) {
    if (code == u"personnel"_s)
        return tr("Personnel");
    if (code == u"operating"_s)
        return tr("Operating expenses");
    if (code == u"purchases"_s)
        return tr("Purchases");
    if (code == u"platform"_s)
        return tr("Platform fees");
    return code;
}

QString FinanceLabels::expenseItem(const QString& code) {
    if (code == u"coach_course"_s)
        return tr("Coach course cost");
    if (code == u"staff"_s)
        return tr("Other staff pay");
    if (code == u"rent"_s)
        return tr("Rent");
    if (code == u"utilities"_s)
        return tr("Utilities");
    if (code == u"maintenance"_s)
        return tr("Maintenance");
    if (code == u"consumables"_s)
        return tr("Consumables");
    if (code == u"goods"_s)
        return tr("Goods for resale");
    return platform(code);
}

QString FinanceLabels::platform(const QString& code) {
    if (code == u"meituan"_s)
        return tr("Meituan");
    if (code == u"douyin"_s)
        return tr("Douyin");
    return code;
}

QString FinanceLabels::cardType(const QString& code) {
    if (code == u"stored_value"_s)
        return tr("Stored-value card");
    if (code == u"gift"_s)
        return tr("Gift card");
    return code;
}

QString FinanceLabels::exclusionReason(const QString& tenderCode) {
    if (tenderCode == u"stored_value"_s)
        return tr("its cash was counted when the card was recharged");
    if (tenderCode == u"gift"_s)
        return tr("gift value is never cash");
    if (tenderCode == u"voucher"_s)
        return tr("counted when the platform settles");
    return {};
}

const QStringList& FinanceLabels::categoryOrder() {
    static const QStringList order{u"table"_s, u"coach"_s, u"goods"_s, u"other"_s};
    return order;
}

const QStringList& FinanceLabels::discountTypeOrder() {
    static const QStringList order{u"member"_s, u"voucher"_s, u"comp"_s, u"rounding"_s, u"other"_s};
    return order;
}

const QStringList& FinanceLabels::expenseGroupOrder() {
    static const QStringList order{u"personnel"_s, u"operating"_s, u"purchases"_s, u"platform"_s};
    return order;
}

int FinanceLabels::rank(const QStringList& order, const QString& code) {
    const int i = int(order.indexOf(code));
    return i < 0 ? int(order.size()) : i;
}

} // namespace riskdesk
