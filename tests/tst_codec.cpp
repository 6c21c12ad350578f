// JSON codec round trips and every validation error, each naming its field.
#include "domain/CsvField.h"
#include "domain/ExceptionValidator.h"
#include "domain/RecordId.h"
#include "domain/RiskExceptionCodec.h"
#include "domain/Timestamps.h"
#include "sync/CopyTextRow.h"

#include <QJsonArray>
#include <QTest>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

QJsonObject validJson() {
    return QJsonObject{
        {u"record_id"_s, u"exc-a1b2c3d4e5f6"_s},
        {u"tenant_id"_s, u"acme"_s},
        {u"applicant_id"_s, u"wang.fang"_s},
        {u"apply_time"_s, u"2026-11-20T08:00:00.000Z"_s},
        {u"target_type"_s, u"claim_item"_s},
        {u"target_id"_s, u"CLI-0001"_s},
        {u"risk_rule_id"_s, u"R-TRV-001"_s},
        {u"status"_s, u"pending"_s},
        {u"valid_start_time"_s, u"2026-11-21T00:00:00.000Z"_s},
        {u"valid_end_time"_s, u"2026-12-21T00:00:00.000Z"_s},
        {u"reason_category"_s, u"业务必需"_s},
        {u"justification"_s, u"客户在上海与杭州两地办事，行程经停南京。"_s},
        {u"attachment_url"_s, u"https://files.example.com/a.pdf"_s},
        {u"current_approver_id"_s, QJsonValue()},
        {u"approval_chain_log"_s, QJsonArray{QJsonObject{{u"approver_id"_s, u"li.wei"_s},
                                                         {u"action"_s, u"approve"_s},
                                                         {u"comment"_s, u"第一步"_s},
                                                         {u"timestamp"_s, u"2026-11-20T09:00:00.000Z"_s},
                                                         {u"step"_s, 1}}}},
        {u"auto_rejected"_s, false},
        {u"rejection_reason"_s, QJsonValue()},
        {u"last_status_at"_s, u"2026-11-20T08:00:00.000Z"_s},
        {u"version"_s, 2},
    };
}

} // namespace

class CodecTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void roundTripEveryStatusAndTargetType();
    void referenceFieldNames();
    void timestampsWithOffsetsBecomeUtc();
    void errors_data();
    void errors();
    void copyTextRows_data();
    void copyTextRows();
    void copyTextRowsReuseTheirBuffers();
    void recordIds();
    void csvFields_data();
    void csvFields();
};

void CodecTest::roundTrip() {
    const auto parsed = RiskExceptionCodec::fromJson(validJson());
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.problem().message));
    const RiskException& e = parsed.value();
    QCOMPARE(e.targetType, TargetType::ClaimItem);
    QCOMPARE(e.approvalChainLog.size(), 1);
    QCOMPARE(e.approvalChainLog.first().step, 1);
    QCOMPARE(e.justification, u"客户在上海与杭州两地办事，行程经停南京。"_s);
    QCOMPARE(RiskExceptionCodec::toJson(e), validJson());
    const auto again = RiskExceptionCodec::fromJson(RiskExceptionCodec::toJson(e));
    QVERIFY(again.ok());
    QCOMPARE(again.value(), e);
}

void CodecTest::roundTripEveryStatusAndTargetType() {
    for (const QString& type : allTargetTypeWires()) {
        for (const QString& status : allStatusWires()) {
            QJsonObject o = validJson();
            o[u"target_type"_s] = type;
            o[u"status"_s] = status;
            if (status == u"rejected")
                o[u"rejection_reason"_s] = u"reason"_s;
            const auto parsed = RiskExceptionCodec::fromJson(o);
            QVERIFY2(parsed.ok(), qPrintable(type + u' ' + status));
            QCOMPARE(RiskExceptionCodec::toJson(parsed.value()), o);
        }
    }
}

void CodecTest::referenceFieldNames() {
    const QStringList expected{u"record_id"_s,
                               u"tenant_id"_s,
                               u"applicant_id"_s,
                               u"apply_time"_s,
                               u"target_type"_s,
                               u"target_id"_s,
                               u"risk_rule_id"_s,
                               u"status"_s,
                               u"valid_start_time"_s,
                               u"valid_end_time"_s,
                               u"reason_category"_s,
                               u"justification"_s,
                               u"attachment_url"_s,
                               u"current_approver_id"_s,
                               u"approval_chain_log"_s,
                               u"auto_rejected"_s,
                               u"rejection_reason"_s,
                               u"last_status_at"_s,
                               u"version"_s};
    QStringList listed = RiskExceptionCodec::fieldNames(); // the CSV columns
    listed.sort();
    QStringList keys = RiskExceptionCodec::toJson(RiskExceptionCodec::fromJson(validJson()).value()).keys();
    QStringList sorted = expected;
    sorted.sort();
    keys.sort();
    QCOMPARE(keys, sorted);
    QCOMPARE(listed, sorted);
}

void CodecTest::timestampsWithOffsetsBecomeUtc() {
    QJsonObject o = validJson();
    o[u"apply_time"_s] = u"2026-11-20T16:00:00+08:00"_s;
    const auto parsed = RiskExceptionCodec::fromJson(o);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value().applyTime, QDateTime(QDate(2026, 11, 20), QTime(8, 0), QTimeZone::utc()));
    QCOMPARE(RiskExceptionCodec::toJson(parsed.value()).value(u"apply_time"_s).toString(),
             u"2026-11-20T08:00:00.000Z"_s);
}

void CodecTest::errors_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value"); // undefined = remove the field
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("reportedField");

    QTest::newRow("missing record_id")
        << u"record_id"_s << QJsonValue(QJsonValue::Undefined) << u"missing"_s << u"record_id"_s;
    QTest::newRow("malformed id: no prefix")
        << u"record_id"_s << QJsonValue(u"a1b2c3d4e5f6"_s) << u"malformed_id"_s << u"record_id"_s;
    QTest::newRow("malformed id: upper case")
        << u"record_id"_s << QJsonValue(u"exc-A1B2C3D4E5F6"_s) << u"malformed_id"_s << u"record_id"_s;
    QTest::newRow("malformed id: too short")
        << u"record_id"_s << QJsonValue(u"exc-a1b2"_s) << u"malformed_id"_s << u"record_id"_s;
    QTest::newRow("record_id not a string")
        << u"record_id"_s << QJsonValue(42) << u"wrong_type"_s << u"record_id"_s;
    QTest::newRow("unknown target type")
        << u"target_type"_s << QJsonValue(u"invoice"_s) << u"unknown_target_type"_s << u"target_type"_s;
    QTest::newRow("unknown status") << u"status"_s << QJsonValue(u"on_hold"_s) << u"unknown_status"_s
                                    << u"status"_s;
    QTest::newRow("blank justification")
        << u"justification"_s << QJsonValue(u"   "_s) << u"blank"_s << u"justification"_s;
    QTest::newRow("missing justification")
        << u"justification"_s << QJsonValue(QJsonValue::Undefined) << u"missing"_s << u"justification"_s;
    QTest::newRow("blank applicant") << u"applicant_id"_s << QJsonValue(u""_s) << u"blank"_s
                                     << u"applicant_id"_s;
    QTest::newRow("blank target id") << u"target_id"_s << QJsonValue(u" "_s) << u"blank"_s << u"target_id"_s;
    QTest::newRow("blank rule") << u"risk_rule_id"_s << QJsonValue(u""_s) << u"blank"_s << u"risk_rule_id"_s;
    QTest::newRow("blank reason category")
        << u"reason_category"_s << QJsonValue(u""_s) << u"blank"_s << u"reason_category"_s;
    QTest::newRow("end before start") << u"valid_end_time"_s << QJsonValue(u"2026-11-20T00:00:00Z"_s)
                                      << u"end_before_start"_s << u"valid_end_time"_s;
    QTest::newRow("end equals start") << u"valid_end_time"_s << QJsonValue(u"2026-11-21T00:00:00.000Z"_s)
                                      << u"end_before_start"_s << u"valid_end_time"_s;
    QTest::newRow("bad timestamp") << u"valid_start_time"_s << QJsonValue(u"next tuesday"_s)
                                   << u"bad_timestamp"_s << u"valid_start_time"_s;
    QTest::newRow("missing start") << u"valid_start_time"_s << QJsonValue(QJsonValue::Undefined)
                                   << u"missing"_s << u"valid_start_time"_s;
    QTest::newRow("attachment not a web address")
        << u"attachment_url"_s << QJsonValue(u"file:///etc/passwd"_s) << u"bad_url"_s << u"attachment_url"_s;
    QTest::newRow("attachment garbage")
        << u"attachment_url"_s << QJsonValue(u"not a url"_s) << u"bad_url"_s << u"attachment_url"_s;
    QTest::newRow("auto_rejected not a bool")
        << u"auto_rejected"_s << QJsonValue(u"yes"_s) << u"wrong_type"_s << u"auto_rejected"_s;
    QTest::newRow("version not whole") << u"version"_s << QJsonValue(1.5) << u"wrong_type"_s << u"version"_s;
    QTest::newRow("version zero") << u"version"_s << QJsonValue(0) << u"bad_version"_s << u"version"_s;
    // Found by fuzz_exception_codec: 1e30 was converted to an integer unchecked (undefined behaviour), and
    // past 2^53 a JSON number no longer names one integer.
    QTest::newRow("version 1e30") << u"version"_s << QJsonValue(1e30) << u"out_of_range"_s << u"version"_s;
    QTest::newRow("version past 2^53")
        << u"version"_s << QJsonValue(9007199254740994.0) << u"out_of_range"_s << u"version"_s;
    // A step outside int was cut to another step (2^32 + 1 became 1); a negative one was dropped on writing.
    const auto chainWithStep = [](double step) {
        return QJsonValue(QJsonArray{QJsonObject{{u"approver_id"_s, u"li.wei"_s},
                                                 {u"action"_s, u"approve"_s},
                                                 {u"timestamp"_s, u"2026-11-20T09:00:00Z"_s},
                                                 {u"step"_s, step}}});
    };
    QTest::newRow("step 1e30") << u"approval_chain_log"_s << chainWithStep(1e30) << u"out_of_range"_s
                               << u"approval_chain_log[0].step"_s;
    QTest::newRow("step 2^32 + 1") << u"approval_chain_log"_s << chainWithStep(4294967297.0)
                                   << u"out_of_range"_s << u"approval_chain_log[0].step"_s;
    QTest::newRow("negative step") << u"approval_chain_log"_s << chainWithStep(-1) << u"out_of_range"_s
                                   << u"approval_chain_log[0].step"_s;
    QTest::newRow("chain not a list")
        << u"approval_chain_log"_s << QJsonValue(u"none"_s) << u"wrong_type"_s << u"approval_chain_log"_s;
    QTest::newRow("chain entry without approver")
        << u"approval_chain_log"_s
        << QJsonValue(QJsonArray{
               QJsonObject{{u"action"_s, u"approve"_s}, {u"timestamp"_s, u"2026-11-20T09:00:00Z"_s}}})
        << u"missing"_s << u"approval_chain_log[0].approver_id"_s;
}

void CodecTest::errors() {
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, code);
    QFETCH(QString, reportedField);
    QJsonObject o = validJson();
    if (value.isUndefined())
        o.remove(field);
    else
        o[field] = value;
    const auto parsed = RiskExceptionCodec::fromJson(o);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.problem().code, code);
    QCOMPARE(parsed.problem().field, reportedField);
    // The message names the field, so a person knows what to fix.
    QVERIFY2(parsed.problem().message.contains(field), qPrintable(parsed.problem().message));
}

void CodecTest::recordIds() {
    for (int i = 0; i < 100; ++i)
        QVERIFY(ExceptionValidator::isValidRecordId(RecordId::newExceptionId()));
    QVERIFY(ExceptionValidator::isValidRecordId(RecordId::exceptionIdFromNumber(0)));
    QCOMPARE(RecordId::exceptionIdFromNumber(0xabc), u"exc-000000000abc"_s);
}

void CodecTest::copyTextRows_data() {
    // PostgreSQL's COPY text format, as the server sends it: the row, how many columns, and the fields
    // (null QByteArray for NULL). An empty list means the row must be refused.
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<int>("columns");
    QTest::addColumn<QList<QByteArray>>("fields");
    QTest::newRow("plain") << QByteArray("a\tbc\t42") << 3 << QList<QByteArray>{"a", "bc", "42"};
    QTest::newRow("null vs empty") << QByteArray("\\N\t\t\\N") << 3 << QList<QByteArray>{{}, "", {}};
    QTest::newRow("escapes") << QByteArray("tab\\there\tnew\\nline\tback\\\\slash\tcr\\r") << 4
                             << QList<QByteArray>{"tab\there", "new\nline", "back\\slash", "cr\r"};
    QTest::newRow("escaped N is a letter")
        << QByteArray("\\Nope\ta\\N") << 2 << QList<QByteArray>{"Nope", "aN"};
    QTest::newRow("all escapes") << QByteArray("\\b\\f\\v\\t\\n\\r\\\\") << 1
                                 << QList<QByteArray>{"\b\f\v\t\n\r\\"};
    QTest::newRow("utf-8 and quotes")
        << QByteArray("差旅\t'; DROP TABLE exceptions; --\t\xF0\x9F\x98\x80") << 3
        << QList<QByteArray>{"差旅", "'; DROP TABLE exceptions; --", "\xF0\x9F\x98\x80"};
    QTest::newRow("empty last field") << QByteArray("a\t") << 2 << QList<QByteArray>{"a", ""};
    QTest::newRow("too few") << QByteArray("a\tb") << 3 << QList<QByteArray>{};
    QTest::newRow("too many") << QByteArray("a\tb\tc\td") << 3 << QList<QByteArray>{};
    QTest::newRow("nothing") << QByteArray() << 2 << QList<QByteArray>{};
}

void CodecTest::copyTextRows() {
    QFETCH(QByteArray, row);
    QFETCH(int, columns);
    QFETCH(QList<QByteArray>, fields);
    CopyTextRow split;
    const bool ok = split.split(row, columns);
    QCOMPARE(ok, !fields.isEmpty());
    if (!ok)
        return;
    for (int c = 0; c < columns; ++c) {
        QCOMPARE(split.isNull(c), fields.at(c).isNull());
        QCOMPARE(split.bytes(c).toByteArray(), fields.at(c));
        // As a value: NULL stays NULL, and an empty string stays an empty (not a null) string.
        const QVariant v = split.toVariant(c);
        QCOMPARE(v.isNull(), fields.at(c).isNull());
        if (!v.isNull())
            QCOMPARE(v.toString(), QString::fromUtf8(fields.at(c)));
    }
}

void CodecTest::copyTextRowsReuseTheirBuffers() {
    // One splitter for a whole COPY: a field unescaped for one row never leaks into the next.
    CopyTextRow split;
    QVERIFY(split.split("x\\ty\t1", 2));
    QCOMPARE(split.bytes(0).toByteArray(), QByteArray("x\ty"));
    QVERIFY(split.split("plain\t-17", 2));
    QCOMPARE(split.bytes(0).toByteArray(), QByteArray("plain"));
    qint64 n = 0;
    QVERIFY(split.toInt64(1, n));
    QCOMPARE(n, -17);
    QVERIFY(split.split("a\\\\\t\\N", 2));
    QCOMPARE(split.bytes(0).toByteArray(), QByteArray("a\\"));
    QVERIFY(!split.toInt64(1, n)); // NULL is no number
    QVERIFY(split.split("a\t12x", 2));
    QVERIFY(!split.toInt64(1, n)); // nor is text
}

void CodecTest::csvFields_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("plain");
    QTest::addColumn<QString>("text");
    QTest::newRow("ordinary") << u"业务必需"_s << u"业务必需"_s << u"业务必需"_s;
    QTest::newRow("empty") << QString() << QString() << QString();
    QTest::newRow("comma and quote") << u"a, \"b\""_s << u"\"a, \"\"b\"\"\""_s << u"\"a, \"\"b\"\"\""_s;
    QTest::newRow("line break") << u"a\nb"_s << u"\"a\nb\""_s << u"\"a\nb\""_s;
    QTest::newRow("formula") << u"=1+2"_s << u"=1+2"_s << u"'=1+2"_s;
    QTest::newRow("plus") << u"+86 138"_s << u"+86 138"_s << u"'+86 138"_s;
    QTest::newRow("minus") << u"-5"_s << u"-5"_s << u"'-5"_s;
    QTest::newRow("at") << u"@SUM(A1)"_s << u"@SUM(A1)"_s << u"'@SUM(A1)"_s;
    QTest::newRow("tab first") << u"\t=1"_s << u"\t=1"_s << u"'\t=1"_s;
    QTest::newRow("formula with comma") << u"=A1,B1"_s << u"\"=A1,B1\""_s << u"\"'=A1,B1\""_s;
    QTest::newRow("formula later is text") << u"a=1"_s << u"a=1"_s << u"a=1"_s;
    QTest::newRow("escape") << u"hi \x1b[31mred"_s << u"hi \x1b[31mred"_s << u"hi \uFFFD[31mred"_s;
    QTest::newRow("bell and C1") << u"a\u0007b\u009bc"_s << u"a\u0007b\u009bc"_s << u"a\uFFFDb\uFFFDc"_s;
    QTest::newRow("tab kept") << u"a\tb"_s << u"a\tb"_s << u"a\tb"_s;
}

void CodecTest::csvFields() {
    QFETCH(QString, input);
    QFETCH(QString, plain);
    QFETCH(QString, text);
    QCOMPARE(CsvField::plain(input), plain);
    QCOMPARE(CsvField::text(input), text);
}

QTEST_GUILESS_MAIN(CodecTest)
#include "tst_codec.moc"
