#include "DemoWorkspaceBuilder.h"

#include "DemoBoardBuilder.h"
#include "DemoFactSynthesizer.h"
#include "attach/AttachmentCache.h"
#include "attach/AttachmentIntake.h"
#include "domain/ApprovalLogEntry.h"
#include "domain/ExceptionColumns.h"
#include "domain/RecordId.h"
#include "domain/RiskException.h"
#include "domain/RiskExceptionCodec.h"
#include "domain/SystemComment.h"
#include "domain/Timestamps.h"
#include "engine/CompiledRule.h"
#include "store/ApprovalLogRepository.h"
#include "store/AssessmentStore.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionBulkLoad.h"
#include "store/RuleOutcomeBackfill.h"
#include "store/SqlProblem.h"
#include "store/TargetHistoryStore.h"
#include "store/Workspace.h"
#include "store/WorkspaceHealthRecord.h"
#include "store/WorkspaceIdentity.h"
#include "store/WriteTransaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <signal.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr qint64 kBuilderHour = 3600LL * 1000;
constexpr qint64 kBuilderDay = 24 * kBuilderHour;

struct DemoTenant {
    Tenant tenant;
    QList<User> users;
    QStringList approvers;
    QStringList applicants;
    QString lead; // the approver an overdue exception is escalated to
    // The tenant's own list of reason categories, in one language as a real team keeps it (mixing "业务必需"
    // and "Business necessity" would split one category in two on the risk-operations board).
    QStringList reasonCategories;
};

QList<DemoTenant> demoTenants() {
    auto member = [](const QString& t, const QString& id, const QString& name, UserRole role) {
        return User{t, id, name, role};
    };
    DemoTenant acme{{u"acme"_s, u"Acme 保险集团"_s},
                    {},
                    {},
                    {},
                    u"sarah.chen"_s,
                    {u"业务必需"_s, u"客户特批"_s, u"系统误报"_s, u"临时政策"_s}};
    const QString a = acme.tenant.tenantId;
    acme.users = {member(a, u"li.wei"_s, u"李伟"_s, UserRole::Approver),
                  member(a, u"zhang.min"_s, u"张敏"_s, UserRole::Approver),
                  member(a, u"sarah.chen"_s, u"Sarah Chen"_s, UserRole::Approver),
                  member(a, u"omar.haddad"_s, u"Omar Haddad"_s, UserRole::Approver),
                  member(a, u"wang.fang"_s, u"王芳"_s, UserRole::Applicant),
                  member(a, u"liu.yang"_s, u"刘洋"_s, UserRole::Applicant),
                  member(a, u"chen.jing"_s, u"陈静"_s, UserRole::Applicant),
                  member(a, u"emily.park"_s, u"Emily Park"_s, UserRole::Applicant),
                  member(a, u"david.kim"_s, u"David Kim"_s, UserRole::Applicant),
                  member(a, u"zhao.lei"_s, u"赵磊"_s, UserRole::Applicant),
                  member(a, u"sun.yue"_s, u"孙悦"_s, UserRole::Auditor),
                  member(a, u"zhou.lin"_s, u"周琳"_s, UserRole::Finance)};
    DemoTenant globex{
        {u"globex"_s, u"Globex Payments 环球支付"_s},
        {},
        {},
        {},
        u"maria.lopez"_s,
        {u"Business necessity"_s, u"Customer exception"_s, u"False positive"_s, u"Temporary policy"_s}};
    const QString g = globex.tenant.tenantId;
    globex.users = {member(g, u"huang.tao"_s, u"黄涛"_s, UserRole::Approver),
                    member(g, u"maria.lopez"_s, u"María López"_s, UserRole::Approver),
                    member(g, u"li.wei"_s, u"李伟"_s, UserRole::Approver),
                    member(g, u"xu.ming"_s, u"徐明"_s, UserRole::Applicant),
                    member(g, u"tom.baker"_s, u"Tom Baker"_s, UserRole::Applicant),
                    member(g, u"he.li"_s, u"何丽"_s, UserRole::Applicant),
                    member(g, u"sun.yue"_s, u"孙悦"_s, UserRole::Auditor),
                    member(g, u"zhou.lin"_s, u"周琳"_s, UserRole::Finance)};
    for (DemoTenant* t : {&acme, &globex}) {
        for (const User& u : t->users) {
            if (u.role == UserRole::Approver)
                t->approvers << u.userId;
            else if (u.role == UserRole::Applicant)
                t->applicants << u.userId;
        }
    }
    return {acme, globex};
}

// Each rule's justifications speak of what its rule checks (a hotel-rate waiver explains the hotel, not a
// rooted phone). Both languages, as the demo's applicants write both.
const QHash<QString, QStringList>& justificationsByRule() {
    static const QHash<QString, QStringList> texts{
        {u"R-TRV-001"_s,
         {u"客户在上海与杭州两地办事，行程经停南京，需临时豁免城市一致性校验。"_s,
          u"出差期间因航班取消临时改签，经停城市与申报目的地不一致。"_s,
          u"Customer travelled via Shenzhen for a site visit; the route city is explained in the itinerary."_s}},
        {u"R-TRV-002"_s,
         {u"客户要求延长现场支持两天，延期审批仍在流转，实际行程超出原审批期间。"_s,
          u"The trip was extended by two days at the client's request; the extension approval is attached."_s}},
        {u"R-TRV-003"_s,
         {u"展会期间当地酒店普遍涨价，协议酒店已满房，只能入住超标准酒店。"_s,
          u"Trade-fair week in Shenzhen: every hotel within the city's nightly-rate standard was fully booked."_s}},
        {u"R-EXP-004"_s,
         {u"系统将合并开票识别为重复发票，实际为同一合同的分期付款。"_s,
          u"Duplicate invoice number comes from the supplier's numbering reset in January."_s}},
        {u"R-EXP-005"_s,
         {u"重点客户续约期间的专项招待，事由中的“礼品”为公司统一采购的纪念品。"_s,
          u"Client dinner after the contract signing; the flagged word refers to the standard gift pack."_s}},
        {u"R-EXP-006"_s,
         {u"供应商年度结算集中付款，纸质审批单已由财务总监签字，扫描件正在补交。"_s,
          u"Quarter-end settlement with a strategic supplier; the signed approval form follows by post."_s}},
        {u"R-PAY-007"_s,
         {u"客户一次性支付全年服务费，单笔金额高于日常交易水平。"_s,
          u"Quarter-end settlement with a strategic merchant; amount above the usual threshold."_s}},
        {u"R-PAY-008"_s,
         {u"会员充值活动期间用户多次小额支付，属于正常消费行为。"_s,
          u"This customer's subscription is billed in small daily instalments."_s}},
        {u"R-MER-009"_s,
         {u"商户正在办理注册地址变更，新营业执照预计两周内下发。"_s,
          u"The merchant moved to a new shop in the same district; the registry update is pending."_s}},
        {u"R-MER-010"_s,
         {u"新商户的法人身份证明已提交，税务登记证明正在补办。"_s,
          u"The new merchant's onboarding documents were filed on paper and are being scanned this week."_s}},
        {u"R-ACC-011"_s,
         {u"测试团队使用模拟器做回归测试，登录账号为内部测试账号。"_s,
          u"Device flagged as rooted is our QA handset used for release testing."_s}},
        {u"R-ACC-012"_s,
         {u"员工出境参加行业展会期间登录，出境行程已报备。"_s,
          u"Login from a high-risk country during a sanctioned business trip; travel approval attached."_s}},
        {u"R-CLM-013"_s,
         {u"被保险人同时投保附加险，理赔金额包含附加险保额。"_s,
          u"Claim exceeds the sum insured because two policies cover the same incident."_s}},
        {u"R-CLM-014"_s,
         {u"续保保费已在出险前缴纳，保单生效日期因系统登记延迟晚于出险时间。"_s,
          u"The renewal was paid before the incident; the agent entered the policy start date late."_s}},
    };
    return texts;
}

// A rule the demo has no words for gets a justification that claims nothing specific.
const QStringList kGeneralJustifications{
    u"业务需要，已获部门负责人书面确认。"_s,
    u"Business necessity, confirmed in writing by the department head."_s};

const QStringList kRejectReasons{
    u"附件不足以说明例外原因，请补充审批单。"_s, u"与现行风控政策冲突，不予豁免。"_s,
    u"Justification does not explain the route anomaly."_s,
    u"Amount is outside what a waiver may cover; file a policy change instead."_s,
    u"同一目标近期已有两次豁免，需提交专项说明。"_s};

QString targetIdFor(TargetType type, quint64 n) {
    switch (type) {
    case TargetType::Claim:
        return u"CLM-2026-%1"_s.arg(n % 1000000, 6, 10, QLatin1Char('0'));
    case TargetType::ClaimItem:
        return u"CLI-%1"_s.arg(n % 10000000, 7, 10, QLatin1Char('0'));
    case TargetType::Transaction:
        return u"TXN-%1"_s.arg(n % 10000000000ULL, 10, 10, QLatin1Char('0'));
    case TargetType::Merchant:
        return u"MCH-%1"_s.arg(n % 100000, 5, 10, QLatin1Char('0'));
    case TargetType::User:
        return u"U%1"_s.arg(n % 10000000, 7, 10, QLatin1Char('0'));
    }
    return {};
}

struct PendingLogEntry {
    qint64 at;
    qint64 order; // tie-breaker: generation order
    ApprovalLogEntry entry;
};

struct RuleInfo {
    QString id;
    Severity severity;
    TargetType target;
    QStringList keys; // the fields the rule reads, for the targets' synthesised histories
};

// A target whose history the demo records, from the request that named it first.
struct HistoryTarget {
    TargetType type;
    QString id;
    qsizetype rule;
    qint64 from;
};

// What becomes of a generated request.
enum class Fate { StayPending, Approve, Reject, Withdraw, TimeOut };

// Everything the steps of one build share. Every random choice comes from rng, in the order the steps run:
// the same seed and anchor give the same workspace.
struct DemoBuild {
    QSqlDatabase db;
    const DemoOptions& options;
    std::mt19937_64 rng;
    qint64 anchor = 0;
    QList<DemoTenant> tenants;
    QList<RuleInfo> rules; // the first tenant's, in payload order
    DemoSummary summary;
    QHash<QString, QList<PendingLogEntry>> logByTenant;
    // Targets that approvers look at get a recorded history (cases, or transactions assessed by the engine),
    // so the detail shows their current risk and what a waiver would let through: every user target, and the
    // targets of requests still pending.
    QHash<QString, QList<HistoryTarget>> historyTargets; // by tenant
    QSet<QString> targetsWithHistory;
    // The files requests are filed with, kept in the workspace like files filed on this desktop, so a new
    // user opens them offline (an address outside the workspace would show only an error).
    QList<AttachmentContent> documents;

    qsizetype pick(qsizetype n) { return qsizetype(rng() % quint64(n)); }
    bool chance(int percent) { return int(rng() % 100) < percent; }
};

// Only an open workspace with no data gets a demo, of a count that makes sense.
Status checkBuildable(Workspace& workspace, const DemoOptions& options) {
    auto existing = DirectoryRepository(workspace.db()).tenants();
    if (!existing)
        return existing.problem();
    if (!existing.value().isEmpty())
        return Problem{u"workspace_not_empty"_s,
                       DemoWorkspaceBuilder::tr("%1 already holds data; the demo is written "
                                                "only into a new, empty workspace.")
                           .arg(workspace.path()),
                       {}};
    if (options.exceptions < 0)
        return Problem{u"bad_count"_s,
                       DemoWorkspaceBuilder::tr("The number of exceptions must be 0 or more."),
                       u"exceptions"_s};
    return success();
}

// The tenants, their users and every demo rule for each; the first tenant's rules, compiled, tell which
// fields the targets' histories need.
Status writeDirectory(DemoBuild& b, const QJsonArray& rulePayloads) {
    DirectoryRepository directory(b.db);
    for (const DemoTenant& t : b.tenants) {
        if (Status s = directory.addTenant(t.tenant); !s)
            return s.problem();
        ++b.summary.tenants;
        for (const User& u : t.users) {
            if (Status s = directory.addUser(u); !s)
                return s.problem();
            ++b.summary.users;
        }
        QSqlQuery lead(b.db);
        lead.prepare(u"INSERT INTO approval_leads (tenant_id, user_id) VALUES (?, ?)"_s);
        lead.addBindValue(t.tenant.tenantId);
        lead.addBindValue(t.lead);
        if (!lead.exec())
            return sqlProblem(lead, DemoWorkspaceBuilder::tr("Naming the demo's leads"));
        for (const QJsonValue& v : rulePayloads) {
            const QJsonObject payload = v.toObject();
            Rule rule{t.tenant.tenantId,
                      payload.value(u"rule_id"_s).toString(),
                      payload.value(u"name"_s).toString(),
                      payload.value(u"domain"_s).toString(),
                      severityFromWire(payload.value(u"severity"_s).toString()).value_or(Severity::Medium),
                      payload,
                      1};
            if (Status s = directory.addRule(rule); !s)
                return s.problem();
            ++b.summary.rules;
            if (&t == &b.tenants.first()) {
                auto compiled = CompiledRule::compile(payload);
                if (!compiled)
                    return compiled.problem();
                b.rules.append(RuleInfo{rule.ruleId, rule.severity,
                                        targetTypeFromWire(payload.value(u"target_type"_s).toString())
                                            .value_or(TargetType::Claim),
                                        compiled.value().fieldKeys()});
            }
        }
    }
    return success();
}

// The i-th request as its applicant filed it: who, when, about what, and why (no decision yet). Its window
// end is provisional: the fate may move it (endMs).
RiskException draftException(DemoBuild& b, qint64 i, const DemoTenant& t, const RuleInfo& rule,
                             qint64* endMs) {
    const qint64 span = 120 * kBuilderDay;
    const qint64 total = b.options.exceptions;
    RiskException e;
    e.tenantId = t.tenant.tenantId;
    // Multiplying by an odd constant is a bijection modulo 2^48: ids look random and never collide.
    e.recordId = RecordId::exceptionIdFromNumber(quint64(i) * 0x9E3779B97F4BULL + b.options.seed * 7919ULL);
    e.applicantId = t.applicants.at(b.pick(t.applicants.size()));
    const qint64 apply =
        b.anchor - span + (total > 0 ? span * i / total : 0) + qint64(b.rng() % quint64(kBuilderHour));
    e.applyTime = timestamps::fromMs(std::min(apply, b.anchor - 10 * 60 * 1000));
    e.targetType = rule.target;
    e.targetId = targetIdFor(rule.target, b.rng());
    e.riskRuleId = rule.id;
    const qint64 start = timestamps::toMs(e.applyTime) + qint64(b.rng() % quint64(2 * kBuilderDay));
    *endMs = start + (7 + qint64(b.rng() % 84)) * kBuilderDay;
    e.validStartTime = timestamps::fromMs(start);
    e.reasonCategory = t.reasonCategories.at(b.pick(t.reasonCategories.size()));
    const QStringList justifications = justificationsByRule().value(rule.id, kGeneralJustifications);
    e.justification = justifications.at(b.pick(justifications.size()));
    if (b.chance(60))
        e.attachmentUrl = b.documents.at(i % b.documents.size()).url.toString();
    return e;
}

// Recent requests are mostly still pending; older ones were decided.
Fate chooseFate(DemoBuild& b, const RiskException& e) {
    const bool recent = timestamps::toMs(e.applyTime) > b.anchor - 30 * kBuilderDay;
    const int roll = int(b.rng() % 100);
    if (recent)
        return roll < 70   ? Fate::StayPending
               : roll < 85 ? Fate::Approve
               : roll < 95 ? Fate::Reject
                           : Fate::Withdraw;
    return roll < 50 ? Fate::Approve : roll < 80 ? Fate::Reject : roll < 88 ? Fate::Withdraw : Fate::TimeOut;
}

// Pending requests keep a window that is still open (some close within a day and stand out); timed-out ones
// had theirs close before anyone decided.
void settleWindow(DemoBuild& b, RiskException& e, Fate fate, qint64 end) {
    if (fate == Fate::StayPending || fate == Fate::TimeOut)
        end = fate == Fate::StayPending
                  ? std::max(end, b.anchor + 2 * kBuilderHour + qint64(b.rng() % quint64(30 * kBuilderDay)))
                  : std::min(end, b.anchor - kBuilderDay);
    e.validEndTime = timestamps::fromMs(std::max(end, timestamps::toMs(e.validStartTime) + kBuilderHour));
}

// A history belongs to the target: a target named by several requests gets one.
void noteHistoryTarget(DemoBuild& b, const RiskException& e, const RuleInfo& rule, qsizetype ruleIndex,
                       Fate fate) {
    const QString key = e.tenantId + u'/' + toWire(rule.target) + u'/' + e.targetId;
    if ((rule.target == TargetType::User || fate == Fate::StayPending) &&
        !b.targetsWithHistory.contains(key)) {
        b.targetsWithHistory.insert(key);
        b.historyTargets[e.tenantId].append(
            {rule.target, e.targetId, ruleIndex, timestamps::toMs(e.applyTime)});
    }
}

// The approval chain the fate calls for, by approvers other than the applicant, and the status it leaves.
void decideChain(DemoBuild& b, RiskException& e, const DemoTenant& t, Fate fate, int required) {
    qint64 clock = timestamps::toMs(e.applyTime);
    // Each step comes an hour to two days after the previous one, but always before the anchor: within half
    // the time that is left, so that recent requests get realistic, distinct decision times.
    auto nextTime = [&] {
        const qint64 left = std::max<qint64>(b.anchor - 60 * 1000 - clock, 2);
        const qint64 gap =
            std::min<qint64>(kBuilderHour + qint64(b.rng() % quint64(2 * kBuilderDay)), left / 2);
        clock += std::max<qint64>(gap, 1);
        return timestamps::fromMs(clock);
    };
    QStringList eligible;
    for (const QString& a : t.approvers)
        if (a != e.applicantId)
            eligible << a;
    std::shuffle(eligible.begin(), eligible.end(), b.rng);
    auto addStep = [&](const QString& who, const QString& action, const QString& comment, int step) {
        e.approvalChainLog.append(ApprovalStep{who, action, comment, nextTime(), step});
    };
    switch (fate) {
    case Fate::StayPending:
        e.status = ExceptionStatus::Pending;
        if (required == 2 && b.chance(30)) {
            addStep(eligible.at(0), u"approve"_s, u"第一步审核通过 / first review passed"_s, 1);
            e.currentApproverId = eligible.at(1);
        } else if (b.chance(20)) {
            e.currentApproverId = eligible.at(0);
        }
        break;
    case Fate::Approve:
        for (int s = 1; s <= required; ++s)
            addStep(eligible.at(s - 1), u"approve"_s,
                    s == required ? u"同意豁免"_s : u"first review passed"_s, s);
        e.status = ExceptionStatus::Approved;
        if (timestamps::toMs(e.validEndTime) <= b.anchor) {
            clock = std::max(clock, timestamps::toMs(e.validEndTime));
            addStep(SystemComment::actorId(), SystemComment::action(SystemComment::Code::WaiverEnded),
                    SystemComment::canonical(SystemComment::Code::WaiverEnded, e.validEndTime), 0);
            e.status = ExceptionStatus::Expired;
        }
        break;
    case Fate::Reject:
        if (required == 2 && b.chance(25))
            addStep(eligible.at(1), u"approve"_s, u"first review passed"_s, 1);
        e.rejectionReason = kRejectReasons.at(b.pick(kRejectReasons.size()));
        addStep(eligible.at(0), u"reject"_s, e.rejectionReason, 0);
        e.status = ExceptionStatus::Rejected;
        break;
    case Fate::Withdraw:
        addStep(e.applicantId, u"withdraw"_s, u"申请人撤回 / withdrawn by applicant"_s, 0);
        e.status = ExceptionStatus::Withdrawn;
        break;
    case Fate::TimeOut:
        clock = std::max(clock, timestamps::toMs(e.validEndTime));
        e.rejectionReason =
            SystemComment::canonical(SystemComment::Code::WindowEndedUndecided, e.validEndTime);
        addStep(SystemComment::actorId(), SystemComment::action(SystemComment::Code::WindowEndedUndecided),
                e.rejectionReason, 0);
        e.status = ExceptionStatus::Rejected;
        e.autoRejected = true;
        break;
    }
    e.lastStatusAt = e.approvalChainLog.isEmpty() ? e.applyTime : e.approvalChainLog.last().timestamp;
    e.version = 1 + e.approvalChainLog.size();
}

// Each chain step also goes to the tenant's audit log, with the status it left behind.
void logChainSteps(DemoBuild& b, const RiskException& e, int required) {
    ExceptionStatus statusAfter = ExceptionStatus::Pending;
    for (const ApprovalStep& step : e.approvalChainLog) {
        if (step.action == u"approve")
            statusAfter = step.step >= required ? ExceptionStatus::Approved : ExceptionStatus::Pending;
        else
            statusAfter = e.status;
        b.logByTenant[e.tenantId].append(
            PendingLogEntry{timestamps::toMs(step.timestamp), b.summary.logEntries++,
                            ApprovalLogEntry::fromStep(e.tenantId, e.recordId, step, statusAfter)});
    }
}

Status insertException(QSqlQuery& insert, const RiskException& e) {
    const QVariantList values = ExceptionColumns::values(e);
    for (int c = 0; c < values.size(); ++c)
        insert.bindValue(c, values.at(c));
    if (!insert.exec())
        return sqlProblem(insert, DemoWorkspaceBuilder::tr("Writing demo exception %1").arg(e.recordId));
    return success();
}

// The demo's request files: a statement and a transaction list, in both languages, each stored once.
Status writeDocuments(DemoBuild& b) {
    const QList<std::pair<QString, QByteArray>> files = {
        {u"statement.txt"_s,
         QByteArrayLiteral(
             "Statement in support of a risk exception\n"
             "风险例外申请情况说明\n\n"
             "The applicant asks that the rule be waived for this target during the stated window.\n"
             "The activity was reviewed with the business owner and is expected, not fraudulent.\n"
             "申请人请求在有效期内对该对象豁免此规则；相关业务已与负责人核实，属正常经营行为。\n")},
        {u"transactions.csv"_s,
         QByteArrayLiteral("date,reference,counterparty,amount_cny,note\n"
                           "2026-10-03,TX-100231,Hangzhou Supplies Co.,18500.00,monthly stock\n"
                           "2026-10-11,TX-100874,Hangzhou Supplies Co.,21200.00,monthly stock\n"
                           "2026-10-19,TX-101362,上海物流有限公司,9600.00,freight\n"
                           "2026-10-27,TX-101905,Hangzhou Supplies Co.,19800.00,monthly stock\n")},
    };
    AttachmentCache cache(b.db);
    for (const auto& [name, bytes] : files) {
        auto content = AttachmentIntake::fromBytes(name, bytes, bytes.size());
        if (!content)
            return content.problem();
        if (Status s = cache.keepIn(content.value().url.toString(), content.value(), b.anchor); !s)
            return s;
        b.documents.append(content.value());
    }
    return success();
}

// The requests, in every status, with their chains (into the audit log to come) and the targets that get a
// history.
Status writeExceptions(DemoBuild& b) {
    if (Status s = writeDocuments(b); !s)
        return s;
    QSqlQuery files(b.db);
    files.prepare(u"INSERT INTO exception_attachments (tenant_id, record_id, position, sha256, file_name, "
                  "mime_type, size_bytes, filed_here) VALUES (?, ?, 1, ?, ?, ?, ?, 1)"_s);
    QSqlQuery insert(b.db);
    insert.prepare(u"INSERT INTO exceptions (%1) VALUES (%2)"_s.arg(
        QString::fromLatin1(ExceptionColumns::names()),
        QString::fromLatin1(ExceptionColumns::placeholders())));
    const qint64 total = b.options.exceptions;
    for (qint64 i = 0; i < total; ++i) {
        const DemoTenant& t = b.tenants.at(i % 10 < 7 ? 0 : 1);
        const qsizetype ruleIndex = b.pick(b.rules.size());
        const RuleInfo& rule = b.rules.at(ruleIndex);
        qint64 end = 0;
        RiskException e = draftException(b, i, t, rule, &end);
        const Fate fate = chooseFate(b, e);
        settleWindow(b, e, fate, end);
        const int required = requiredApprovalSteps(rule.severity);
        noteHistoryTarget(b, e, rule, ruleIndex, fate);
        decideChain(b, e, t, fate, required);
        logChainSteps(b, e, required);
        if (Status s = insertException(insert, e); !s)
            return s;
        if (!e.attachmentUrl.isEmpty()) {
            const AttachmentContent& d = b.documents.at(i % b.documents.size());
            files.bindValue(0, e.tenantId);
            files.bindValue(1, e.recordId);
            files.bindValue(2, QString::fromLatin1(d.sha256));
            files.bindValue(3, d.fileName);
            files.bindValue(4, d.mimeType);
            files.bindValue(5, qint64(d.bytes.size()));
            if (!files.exec())
                return sqlProblem(files,
                                  DemoWorkspaceBuilder::tr("Writing demo exception %1").arg(e.recordId));
        }
        ++b.summary.exceptions;
        if (b.options.progress && (i + 1) % 50000 == 0)
            b.options.progress(i + 1, total);
    }
    return success();
}

// The audit log in time order per tenant, each entry chained to the one before.
Status writeApprovalLog(DemoBuild& b) {
    for (const DemoTenant& t : b.tenants) { // in the list's order: a QHash's order changes with each process
        QList<PendingLogEntry>& entries = b.logByTenant[t.tenant.tenantId];
        std::sort(entries.begin(), entries.end(), [](const PendingLogEntry& x, const PendingLogEntry& y) {
            return x.at != y.at ? x.at < y.at : x.order < y.order;
        });
        QSqlQuery appendQuery(b.db);
        appendQuery.prepare(u"INSERT INTO approval_log (tenant_id, seq, record_id, actor_id, "
                            u"action, comment, step, "
                            "status_after, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        QByteArray prev = ApprovalLogEntry::genesisHash();
        qint64 seq = 0;
        for (PendingLogEntry& p : entries) {
            ApprovalLogEntry& entry = p.entry;
            entry.seq = ++seq;
            entry.prevHash = prev;
            entry.hash = entry.computeHash();
            prev = entry.hash;
            const QVariantList values{entry.tenantId,
                                      entry.seq,
                                      entry.recordId,
                                      entry.actorId,
                                      entry.action,
                                      entry.comment,
                                      entry.step,
                                      entry.statusAfter,
                                      p.at,
                                      QString::fromLatin1(entry.prevHash),
                                      QString::fromLatin1(entry.hash)};
            for (int c = 0; c < values.size(); ++c)
                appendQuery.bindValue(c, values.at(c));
            if (!appendQuery.exec())
                return sqlProblem(appendQuery, DemoWorkspaceBuilder::tr("Writing the demo approval log"));
        }
    }
    return success();
}

// A transaction of the target's history, assessed by the engine (the assessment goes to made); returns what
// the transaction itself says, which wins over synthesised facts.
QJsonObject assessTransaction(DemoBuild& b, const HistoryTarget& target, AssessmentSession& session,
                              TargetEvent& event, QList<LoggedAssessment>& made) {
    static const QStringList countries{u"CN"_s, u"CN"_s, u"CN"_s, u"SG"_s, u"US"_s, u"XX"_s};
    AssessmentRequest r;
    r.userId = target.type == TargetType::User ? target.id : targetIdFor(TargetType::User, b.rng());
    r.merchantId =
        target.type == TargetType::Merchant ? target.id : targetIdFor(TargetType::Merchant, b.rng());
    r.paymentMethod = u"card"_s;
    const int roll = int(b.rng() % 100);
    r.amount = double(100 + b.rng() % (roll < 15 ? 8000000 : 500000)) / 100.0;
    r.amountCents = std::llround(r.amount * 100.0);
    r.hasDeviceId = roll % 9 != 0;
    r.isEmulator = roll % 23 == 0;
    r.isRooted = roll % 17 == 0;
    r.hasLocation = roll % 11 != 0;
    r.country = r.hasLocation ? countries.at(b.pick(countries.size())) : QString();
    r.timestamp = timestamps::fromMs(event.occurredAtMs);
    const LoggedAssessment logged = LoggedAssessment::of(r, session.assess(r, r.timestamp));
    made.append(logged);
    event.kind = TargetEvent::Kind::Transaction;
    event.eventId = QString::fromLatin1(logged.requestId());
    event.amountCents = r.amountCents;
    event.assessment = EventAssessment{logged.riskScore, logged.riskLevel, logged.decision, logged.reasons};
    return QJsonObject{{u"txn.amount"_s, r.amount},
                       {u"device.is_emulator"_s, r.isEmulator},
                       {u"device.is_rooted"_s, r.isRooted},
                       {u"device.device_id"_s, r.hasDeviceId ? u"DEV-%1"_s.arg(b.rng() % 100000) : QString()},
                       {u"location.country"_s, r.country}};
}

// A target's history: a claim's cases, or the transactions of a user, merchant or transaction. It starts some
// weeks before the request and runs to the anchor, so some events fall inside the validity window and some
// outside.
std::vector<TargetEvent> synthesizeHistory(DemoBuild& b, const HistoryTarget& target,
                                           AssessmentSession& session, DemoFactSynthesizer& synthesizer,
                                           QList<LoggedAssessment>& made) {
    const bool transactions = target.type == TargetType::User || target.type == TargetType::Merchant ||
                              target.type == TargetType::Transaction;
    const int count = target.type == TargetType::Transaction ? 1 + int(b.rng() % 2) : 3 + int(b.rng() % 8);
    const qint64 first = target.from - 45 * kBuilderDay;
    const QStringList& ruleKeys = b.rules.at(target.rule).keys;
    std::vector<TargetEvent> events;
    for (int k = 0; k < count; ++k) {
        TargetEvent event;
        // Half before the request, half from the request on (mostly inside its window).
        const int before = count / 2;
        const qint64 at = k < before
                              ? first + (target.from - first) * k / before
                              : target.from + (b.anchor - target.from) * (k - before) / (count - before);
        event.occurredAtMs = std::min(at + qint64(b.rng() % quint64(kBuilderDay)), b.anchor - 60 * 1000);
        QJsonObject known;
        if (transactions)
            known = assessTransaction(b, target, session, event, made);
        else
            event.eventId = u"CASE-%1-%2"_s.arg(target.id).arg(k + 1);
        QJsonObject record = synthesizer.record(ruleKeys, known);
        for (const QString& key : known.keys())
            if (!ruleKeys.contains(key))
                record.remove(key);
        if (!transactions) // a case the rule reads no amount from still claims one
            if (event.amountCents = DemoFactSynthesizer::amountCents(record); event.amountCents == 0)
                event.amountCents = 10000 + qint64(b.rng() % 5000000);
        event.facts = FactRecord::fromJson(record);
        events.push_back(std::move(event));
    }
    return events;
}

// Every noted target's history, per tenant, with its transactions' assessments in the assessment log.
Status writeTargetHistories(DemoBuild& b) {
    // Tenant by tenant in the list's order, not the QHash's (it changes with each process): the histories
    // draw from rng, so another order would make another workspace from the same seed.
    for (const DemoTenant& t : b.tenants) {
        const QString& tenantId = t.tenant.tenantId;
        if (!b.historyTargets.contains(tenantId))
            continue;
        AssessmentSession session;
        AssessmentStore store(b.db, tenantId);
        if (Status s = store.load(session); !s) // continues the workspace's request sequence
            return s.problem();
        TargetHistoryStore history(b.db, tenantId);
        DemoFactSynthesizer synthesizer(b.rng);
        WriteTransaction eventsTx(b.db);
        if (!eventsTx.begun())
            return eventsTx.begun().problem();
        QList<LoggedAssessment> made;
        for (const HistoryTarget& target : std::as_const(b.historyTargets[tenantId])) {
            const std::vector<TargetEvent> events = synthesizeHistory(b, target, session, synthesizer, made);
            if (Status s = history.append(target.type, target.id, events); !s)
                return s.problem();
        }
        if (Status c = eventsTx.commit(); !c)
            return c.problem();
        if (Status s = store.save(session, made); !s)
            return s.problem();
    }
    return success();
}

// The risk-operations board's rule hit rates (spec §9.2): every history replayed with the compiled rules.
Status backfillRuleOutcomes(DemoBuild& b) {
    for (const DemoTenant& t : b.tenants) {
        WriteTransaction outcomesTx(b.db);
        if (!outcomesTx.begun())
            return outcomesTx.begun().problem();
        if (auto filled = RuleOutcomeBackfill::run(b.db, t.tenant.tenantId); !filled)
            return filled.problem();
        if (Status c = outcomesTx.commit(); !c)
            return c.problem();
    }
    return success();
}

// The demo business behind the boards, for the first tenant at options.boardScale.
Status writeBoards(DemoBuild& b) {
    DemoBoardOptions boards;
    boards.tenantId = b.tenants.first().tenant.tenantId;
    boards.seed = b.options.seed;
    boards.anchorMs = b.anchor;
    boards.scale = b.options.boardScale;
    boards.financeUsers.clear();
    for (const User& u : std::as_const(b.tenants.first().users))
        if (u.role == UserRole::Finance)
            boards.financeUsers << u.userId;
    auto written = DemoBoardBuilder::build(b.db, boards);
    if (!written)
        return written.problem();
    b.summary.boardRows = written.value().rows;
    for (const DemoBoardSiteCounts& site : written.value().sites) {
        b.summary.serviceLogs += site.logs;
        b.summary.rechargeOrders += site.orders;
    }
    return success();
}

} // namespace

QJsonArray DemoWorkspaceBuilder::rulePayloads() {
    QFile file(u":/riskdesk/demo/rules.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).array();
}

Result<DemoSummary> DemoWorkspaceBuilder::buildFile(AppSettings& settings, const QString& path,
                                                    const DemoOptions& options) {
    const QFileInfo target(path);
    if (target.exists() && target.size() > 0) {
        // Only an empty workspace may be replaced; opening and closing it also folds in its journal, so no
        // stale journal is left beside the new file.
        Workspace existing(settings);
        if (Status s = existing.openExisting(path, u"riskdesk-demo-target"_s, WorkspaceAccess::ReadWrite); !s)
            return s.problem();
        auto tenants = DirectoryRepository(existing.db()).tenants();
        if (!tenants)
            return tenants.problem();
        if (!tenants.value().isEmpty())
            return Problem{u"workspace_not_empty"_s,
                           DemoWorkspaceBuilder::tr(
                               "%1 already holds data; the demo is written only into a new, empty workspace.")
                               .arg(path),
                           {}};
    }
    if (QFileInfo(path + u"-wal"_s).size() > 0)
        return Problem{
            u"workspace_busy"_s,
            DemoWorkspaceBuilder::tr("%1 is in use by another program; close it and try again.").arg(path),
            {}};
    if (!QDir().mkpath(target.absolutePath()))
        return Problem{u"workspace_unwritable"_s,
                       DemoWorkspaceBuilder::tr("Cannot create the folder %1.").arg(target.absolutePath()),
                       {}};
    // One temporary name per building process: two demos started on one path do not build into one file. What
    // a killed build left behind (its process is gone) is cleared first.
    const QString stem = target.absoluteFilePath() + u".partial-"_s;
    auto removeBuild = [](const QString& file) {
        for (const QString& suffix : {u""_s, u"-wal"_s, u"-shm"_s, u"-journal"_s})
            QFile::remove(file + suffix);
    };
    const QDir folder(target.absolutePath());
    for (const QString& name : folder.entryList({target.fileName() + u".partial-*"_s}, QDir::Files)) {
        bool isPid = false;
        const qint64 pid = name.mid(target.fileName().size() + 9).toLongLong(&isPid);
        if (isPid && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            removeBuild(folder.filePath(name));
    }
    const QString partial = stem + QString::number(QCoreApplication::applicationPid());
    auto removePartial = [&] { removeBuild(partial); };
    removePartial();
    Result<DemoSummary> summary = Problem{};
    {
        Workspace workspace(settings);
        if (Status s = workspace.open(partial, u"riskdesk-demo-build"_s); !s)
            return s.problem();
        summary = build(workspace, options);
        if (summary) {
            // The build ran without syncing; make every page durable before the file takes its name.
            QSqlQuery q(workspace.db());
            if (!q.exec(u"PRAGMA synchronous = FULL"_s) || !q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s))
                summary = sqlProblem(q, DemoWorkspaceBuilder::tr("Saving the demo workspace"));
        }
    }
    if (summary) {
        QFile::remove(path + u"-wal"_s);
        QFile::remove(path + u"-shm"_s);
        if (std::rename(QFile::encodeName(partial).constData(), QFile::encodeName(path).constData()) != 0)
            summary = Problem{u"workspace_unwritable"_s,
                              DemoWorkspaceBuilder::tr("Cannot put the demo workspace in place at %1: %2")
                                  .arg(path, QString::fromLocal8Bit(std::strerror(errno))),
                              {}};
    }
    removePartial();
    if (summary) {
        // Built here and whole: no need to read it again before its first use. Opened once at its own name,
        // so this desktop knows the file that holds the new identity (it was built under the temporary name),
        // and the file records that name: a copy made from it later is then told apart from it. Nothing
        // verified in a file that was at this path before applies to the new one.
        WorkspaceHealthRecord::recordClean(settings, path);
        WorkspaceIdentity::forgetFile(settings, path);
        Workspace placed(settings);
        if (Status s = placed.openExisting(path, u"riskdesk-demo-placed"_s); !s)
            return s.problem();
    }
    return summary;
}

Result<DemoSummary> DemoWorkspaceBuilder::build(Workspace& workspace, const DemoOptions& options) {
    if (Status s = checkBuildable(workspace, options); !s)
        return s.problem();
    const QJsonArray rulePayloads = DemoWorkspaceBuilder::rulePayloads();
    if (rulePayloads.isEmpty())
        return Problem{u"demo_rules_missing"_s,
                       DemoWorkspaceBuilder::tr("The demo rules are missing from this build."),
                       {}};

    QSqlDatabase db = workspace.db();
    QSqlQuery pragma(db);
    pragma.exec(u"PRAGMA synchronous = OFF"_s); // a half-written demo is simply made again
    // The indexes and the board facts are derived from what was just written: a large cache keeps it read
    // from memory. Back to the usual size when done.
    pragma.exec(u"PRAGMA cache_size = -1048576"_s);
    DemoBuild b{db, options, std::mt19937_64(options.seed), 0, demoTenants(), {}, {}, {}, {}, {}, {}};
    b.anchor = timestamps::toMs(options.anchor.isValid() ? options.anchor : QDateTime::currentDateTimeUtc());

    // The directory, the requests and the audit log, then their indexes and derived facts: two transactions,
    // so the second reads committed pages the cache keeps, instead of the first's dirty pages spilled to the
    // log and read back one by one (a million-exception demo read 340 GB that way and did not finish in an
    // hour). A demo half made is never seen: buildFile() writes a file of its own and renames it when done.
    WriteTransaction tx(db);
    if (!tx.begun())
        return tx.begun().problem();
    if (Status s = writeDirectory(b, rulePayloads); !s)
        return s.problem();
    ExceptionBulkLoad bulk(db);
    if (Status s = bulk.begin(); !s)
        return s.problem();
    if (Status s = writeExceptions(b); !s)
        return s.problem();
    if (Status s = writeApprovalLog(b); !s)
        return s.problem();
    if (Status c = tx.commit(); !c)
        return c.problem();
    WriteTransaction derivedTx(db);
    if (!derivedTx.begun())
        return derivedTx.begun().problem();
    if (Status s = bulk.finish(); !s)
        return s.problem();
    if (Status c = derivedTx.commit(); !c)
        return c.problem();

    if (Status s = writeTargetHistories(b); !s)
        return s.problem();
    if (Status s = backfillRuleOutcomes(b); !s)
        return s.problem();
    if (options.boardScale > 0)
        if (Status s = writeBoards(b); !s)
            return s.problem();

    QSqlQuery q(db);
    q.exec(u"PRAGMA analysis_limit = 1000"_s);
    q.exec(u"ANALYZE"_s); // lets the planner pick the sort index for queue pages
    q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
    q.exec(u"PRAGMA synchronous = FULL"_s);
    q.exec(u"PRAGMA cache_size = -65536"_s);
    if (options.progress)
        options.progress(options.exceptions, options.exceptions);
    return b.summary;
}

} // namespace riskdesk
