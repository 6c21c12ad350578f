#include "AssessmentPolicy.h"

#include "domain/Money.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kMaxPoints = 1000;
constexpr qint64 kMaxCount = 1000000000; // transactions in a day or an hour

// Reads keys by path, remembering the first problem, so a bad policy file gets one precise message.
class PolicyReader {
public:
    explicit PolicyReader(const QJsonObject& root) : m_root(root) {}

    QJsonValue at(const QString& path) const {
        QJsonValue v = m_root;
        for (const QString& key : path.split(u'.'))
            v = v.toObject().value(key);
        return v;
    }

    double number(const QString& path, std::optional<double> fallback = std::nullopt) {
        const QJsonValue v = at(path);
        if (v.isUndefined() && fallback)
            return *fallback;
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            fail(path, AssessmentPolicy::tr("%1 must be a number.").arg(path));
            return 0;
        }
        return v.toDouble();
    }

    // Checked before converting: a double outside the integer type (1e300) has no integer value, and
    // converting it is undefined behaviour; the cap on points keeps every sum of them far from overflow.
    int points(const QString& path) {
        const double d = number(path);
        if (d != std::floor(d) || !(d >= 0 && d <= kMaxPoints)) {
            fail(path, AssessmentPolicy::tr("%1 must be a whole number of points from 0 to %2.")
                           .arg(path)
                           .arg(kMaxPoints));
            return 0;
        }
        return int(d);
    }

    qint64 whole(const QString& path, qint64 minimum, qint64 maximum) {
        const double d = number(path);
        if (d != std::floor(d) || !(d >= double(minimum) && d <= double(maximum))) {
            fail(path, AssessmentPolicy::tr("%1 must be a whole number from %2 to %3.")
                           .arg(path)
                           .arg(minimum)
                           .arg(maximum));
            return 0;
        }
        return qint64(d);
    }

    qint64 cents(const QString& path) {
        const double amount = number(path);
        const std::optional<qint64> c = Money::centsOf(amount);
        if (!c && !m_problem)
            fail(path, AssessmentPolicy::tr("%1 must be an amount from 0 to %2.")
                           .arg(path, QString::number(Money::kMaxAmount, 'f', 0)));
        return c.value_or(0);
    }

    QString text(const QString& path, bool required = false) {
        const QJsonValue v = at(path);
        if (v.isUndefined() && !required)
            return {};
        if (!v.isString() || (required && v.toString().trimmed().isEmpty())) {
            fail(path, AssessmentPolicy::tr("%1 must be a non-empty string.").arg(path));
            return {};
        }
        return v.toString();
    }

    ScoredSignal signal(const QString& path) {
        return ScoredSignal{points(path + u".score"_s), text(path + u".reason"_s),
                            text(path + u".recommendation"_s)};
    }

    QJsonArray array(const QString& path) {
        const QJsonValue v = at(path);
        if (!v.isArray()) {
            fail(path, AssessmentPolicy::tr("%1 must be a list.").arg(path));
            return {};
        }
        return v.toArray();
    }

    void fail(const QString& path, const QString& message) {
        if (!m_problem)
            m_problem = Problem{u"bad_policy"_s, message, path};
    }
    const std::optional<Problem>& problem() const { return m_problem; }

private:
    QJsonObject m_root;
    std::optional<Problem> m_problem;
};

} // namespace

Result<AssessmentPolicy> AssessmentPolicy::fromJson(const QJsonObject& json) {
    PolicyReader r(json);
    AssessmentPolicy p;
    p.name = r.text(u"policy"_s, true);
    p.version = int(r.whole(u"version"_s, 0, std::numeric_limits<int>::max()));

    const QJsonArray bands = r.array(u"amount_bands"_s);
    for (qsizetype i = 0; i < bands.size(); ++i) {
        const QString at = u"amount_bands.%1"_s.arg(i);
        PolicyReader band(bands.at(i).toObject());
        AmountBand b;
        b.aboveCents = band.cents(u"above"_s);
        b.signal =
            ScoredSignal{band.points(u"score"_s), band.text(u"reason"_s), band.text(u"recommendation"_s)};
        if (band.problem())
            r.fail(at, tr("%1: %2").arg(at, band.problem()->message));
        p.amountBands.append(b);
    }
    std::sort(p.amountBands.begin(), p.amountBands.end(),
              [](const AmountBand& a, const AmountBand& b) { return a.aboveCents > b.aboveCents; });

    p.dailyCountAtLeast = r.whole(u"velocity.daily_count.at_least"_s, 0, kMaxCount);
    p.dailyCount = r.signal(u"velocity.daily_count"_s);
    p.dailyAmountAtLeastCents = r.cents(u"velocity.daily_amount.at_least"_s);
    p.dailyAmount = r.signal(u"velocity.daily_amount"_s);
    p.hourlyCountAtLeast = r.whole(u"velocity.hourly_count.at_least"_s, 0, kMaxCount);
    p.hourlyCount = r.signal(u"velocity.hourly_count"_s);
    p.velocityCap = r.points(u"velocity.cap"_s);
    p.blacklisted = r.signal(u"blacklist"_s);
    p.missingDeviceId = r.signal(u"device.missing_device_id"_s);
    p.emulator = r.signal(u"device.emulator"_s);
    p.rooted = r.signal(u"device.rooted"_s);
    p.missingLocation = r.signal(u"location.missing"_s);
    for (const QJsonValue& c : r.array(u"location.high_risk_countries"_s))
        if (!p.highRiskCountries.contains(c.toString()))
            p.highRiskCountries.append(c.toString());
    p.highRiskLocation = r.signal(u"location.high_risk"_s);
    p.multiplier = r.number(u"multiplier"_s);
    p.maxScore = r.number(u"max_score"_s);

    const QJsonArray levels = r.array(u"levels"_s);
    for (qsizetype i = 0; i < levels.size(); ++i) {
        PolicyReader level(levels.at(i).toObject());
        p.levels.append(RiskLevelRule{level.number(u"at_least"_s), level.text(u"level"_s, true),
                                      level.text(u"decision"_s, true)});
        if (level.problem())
            r.fail(u"levels.%1"_s.arg(i), tr("levels.%1: %2").arg(i).arg(level.problem()->message));
    }
    std::sort(p.levels.begin(), p.levels.end(),
              [](const RiskLevelRule& a, const RiskLevelRule& b) { return a.atLeast > b.atLeast; });
    p.otherwise = RiskLevelRule{0, r.text(u"otherwise.level"_s, true), r.text(u"otherwise.decision"_s, true)};
    if (r.problem())
        return *r.problem();
    return p;
}

const AssessmentPolicy& AssessmentPolicy::reference() {
    static const AssessmentPolicy policy = [] {
        QFile file(u":/riskdesk/policy/default_policy.json"_s);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("the reference policy is missing from this build");
        auto parsed = fromJson(QJsonDocument::fromJson(file.readAll()).object());
        if (!parsed)
            qFatal("the reference policy does not parse: %s", qPrintable(parsed.problem().message));
        return parsed.value();
    }();
    return policy;
}

} // namespace riskdesk
