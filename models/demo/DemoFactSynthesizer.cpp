#include "DemoFactSynthesizer.h"

#include "domain/Money.h"

#include <QDate>
#include <QJsonArray>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QStringList kCities{u"上海"_s, u"杭州"_s, u"南京"_s, u"北京"_s,
                          u"深圳"_s, u"合肥"_s, u"苏州"_s, u"广州"_s};
const QStringList kReasons{u"拜访客户"_s,
                           u"项目验收"_s,
                           u"参加行业培训"_s,
                           u"航班取消，临时改签"_s,
                           u"绕行合肥跨城办事"_s,
                           u"现场巡检"_s,
                           u"采购礼品卡用于客户答谢"_s,
                           u"会议期间代购办公用品"_s,
                           u"客户现场变更部署方案"_s};

} // namespace

QString DemoFactSynthesizer::city() {
    return kCities.at(below(int(kCities.size())));
}

QJsonObject DemoFactSynthesizer::record(const QStringList& keys, const QJsonObject& known) {
    QJsonObject out = known;
    const QString home = city();
    const QDate base = QDate(2026, 1, 1).addDays(below(300));
    const int length = 3 + below(8);
    auto money = [&](int fromYuan, int toYuan) { return double(fromYuan + below(toYuan - fromYuan)); };
    auto sometimes = [&](int percent, const QString& value) { return chance(percent) ? value : QString(); };
    for (const QString& key : keys) {
        if (out.contains(key))
            continue;
        QJsonValue v;
        if (key.endsWith(u"nightly_rate")) {
            v = money(200, 900);
        } else if (key.endsWith(u"city_cap")) {
            v = money(500, 650);
        } else if (key.endsWith(u"route_cities")) {
            QJsonArray route{city()};
            if (chance(15))
                route.append(city());
            route.append(chance(75) ? home : city());
            v = route;
        } else if (key.endsWith(u"high_risk_countries")) {
            v = QJsonArray{u"XX"_s, u"KP"_s};
        } else if (key.contains(u"country")) {
            const int roll = below(100);
            v = roll < 80 ? u"CN"_s : roll < 90 ? u"SG"_s : u"XX"_s;
        } else if (key == u"item.item_location") {
            v = chance(50) ? QJsonValue(QJsonArray{}) : QJsonValue(QJsonArray{chance(85) ? home : city()});
        } else if (key.contains(u"city") || key.contains(u"location")) {
            v = chance(80) ? home : city();
        } else if (key.contains(u"reason")) {
            v = chance(30) ? QString() : kReasons.at(below(int(kReasons.size())));
        } else if (key.contains(u"start_date")) {
            v = base.toString(Qt::ISODate);
        } else if (key.contains(u"end_date")) {
            v = base.addDays(length).toString(Qt::ISODate);
        } else if (key.contains(u"date")) {
            v = base.addDays(chance(85) ? below(length + 1)
                                        : (chance(50) ? -1 - below(5) : length + 1 + below(5)))
                    .toString(Qt::ISODate);
        } else if (key == u"invoice.number") {
            QJsonArray numbers;
            for (int i = 0, n = 1 + below(3); i < n; ++i)
                numbers.append(u"INV-%1"_s.arg(100000 + below(900000)));
            if (chance(12))
                numbers.append(numbers.first());
            v = numbers;
        } else if (key == u"invoice.amount") {
            v = QJsonArray{money(80, 3000), money(80, 3000)};
        } else if (key.endsWith(u"avg_amount_30d")) {
            v = money(800, 30000);
        } else if (key.endsWith(u"sum_insured")) {
            v = money(30000, 200000);
        } else if (key.contains(u"amount")) {
            const int roll = below(100);
            v = roll < 70 ? money(100, 20000) : roll < 90 ? money(20000, 60000) : money(60000, 150000);
        } else if (key.contains(u"count")) {
            v = below(9);
        } else if (key.startsWith(u"device.is_")) {
            v = chance(6) ? QJsonValue(true) : QJsonValue(false);
        } else if (key.startsWith(u"attachment.")) {
            v = sometimes(55, u"%1.pdf"_s.arg(key.section(u'.', -1)));
        } else {
            v = sometimes(85, u"%1-%2"_s.arg(key.section(u'.', -1).toUpper()).arg(1000 + below(9000)));
        }
        out.insert(key, v);
    }
    return out;
}

qint64 DemoFactSynthesizer::amountCents(const QJsonObject& record) {
    for (const QString& key : {u"claim.amount"_s, u"txn.amount"_s})
        if (record.value(key).isDouble())
            return Money::centsOf(record.value(key).toDouble()).value_or(0);
    double sum = 0;
    for (const QJsonValue& v : record.value(u"invoice.amount"_s).toArray())
        sum += v.toDouble();
    if (record.value(u"item.nightly_rate"_s).isDouble())
        sum += record.value(u"item.nightly_rate"_s).toDouble();
    // A sum beyond any real amount (or not a number) claims none; the caller then picks one.
    return Money::centsOf(sum).value_or(0);
}

} // namespace riskdesk
