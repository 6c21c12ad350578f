// Comments on exceptions: the text's rules and mentions, the thread in a real workspace with its outbox
// entry, the queue's search over comment text, the hash chain untouched, real widgets and the command line
// (tst_server: PostgreSQL, two desktops, attacks on riskdesk.add_comment).
#include "CommentInput.h"
#include "CommentThreadView.h"
#include "ExceptionDetailPanel.h"
#include "QueuePage.h"
#include "TemporaryConfig.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "domain/CommentText.h"
#include "domain/Timestamps.h"
#include "item/ExceptionQueueModel.h"
#include "store/ApprovalLogRepository.h"
#include "store/CommentService.h"
#include "store/DatabaseThread.h"
#include "store/ExceptionRepository.h"
#include "store/QueueQuery.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCompleter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::TestWorkspace;

namespace {

const QString kTenant = u"acme"_s;
const QStringList kUsers{u"li.wei"_s, u"zhang.min"_s, u"sarah.chen"_s, u"wang.fang"_s};

QString text(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0).toString();
}

// The workspace opened on a database thread, as the window opens it.
bool openOn(DatabaseThread& thread, const QString& path) {
    auto opened = thread.open(path);
    opened.waitForFinished();
    return opened.result().ok();
}

// li.wei's queue on that workspace, shown.
bool showAsApprover(QueuePage& page, const QString& path) {
    page.resize(1300, 900);
    page.setSession(Session{path, kTenant, u"Acme"_s, u"li.wei"_s, u"李伟"_s, UserRole::Approver, {}, {}});
    page.show();
    return QTest::qWaitForWindowExposed(&page);
}

QString pendingId(QSqlDatabase db, int skip = 0) {
    return text(
        db,
        u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' AND "
        "current_approver_id = '' AND approval_chain_log = '[]' ORDER BY record_id LIMIT 1 OFFSET %1"_s.arg(
            skip));
}

// The record ids the queue shows for a search, first page, with the trigram plan and with the probe's.
QStringList found(QSqlDatabase db, const QString& search) {
    QueueQuery query;
    query.filter.tenantId = kTenant;
    query.filter.text = search;
    auto page = ExceptionRepository(db).page(query, std::nullopt, 50);
    if (!page)
        qFatal("%s", qPrintable(page.problem().message));
    QStringList ids;
    for (const QueueRow& row : page.value().rows)
        ids << row.recordId;
    return ids;
}

qint64 matching(QSqlDatabase db, const QString& search) {
    QueueFilter filter;
    filter.tenantId = kTenant;
    filter.text = search;
    QSqlQuery q(db);
    if (!q.prepare(QueueSql::countMatching(filter)))
        qFatal("%s", qPrintable(q.lastError().text()));
    for (const QVariant& v : QueueSql::filterBindings(filter, QueueSql::TextPlan::TrigramIndex))
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        qFatal("%s", qPrintable(q.lastError().text()));
    return q.value(0).toLongLong();
}

} // namespace

class CommentsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void theTextIsValidatedAndMentionsParsed();
    void aCommentIsStoredWithItsOutboxEntryAndChangesNothingElse();
    void theQueueSearchFindsCommentText();
    void theDetailPanelListsAndAddsComments();
    void anUnsentCommentStaysWithItsException();
    void theCommandLineListsAndAdds();
};

void CommentsTest::initTestCase() {
    QCoreApplication::setOrganizationName(u"RiskdeskTest"_s);
    QCoreApplication::setApplicationName(u"tst_comments"_s);
    QVERIFY(riskdesk::test::settings().fileName().startsWith(riskdesk::test::TemporaryConfig::configHome() +
                                                             u'/'));
}

void CommentsTest::theTextIsValidatedAndMentionsParsed() {
    QCOMPARE(CommentText::validate(u"  looks fine \n"_s).value(), u"looks fine"_s);
    for (const QString& blank : {QString(), u""_s, u"   "_s, u"\u200B\u3000\t"_s}) {
        auto refused = CommentText::validate(blank);
        QVERIFY(!refused);
        QCOMPARE(refused.problem().code, u"comment_blank"_s);
        QCOMPARE(refused.problem().field, u"text"_s);
    }
    QVERIFY(CommentText::validate(QString(CommentText::kMaxCharacters, u'x')));
    auto tooLong = CommentText::validate(QString(CommentText::kMaxCharacters + 1, u'x'));
    QVERIFY(!tooLong);
    QCOMPARE(tooLong.problem().code, u"comment_too_long"_s);
    QVERIFY2(tooLong.problem().message.contains(u"4000"_s), qPrintable(tooLong.problem().message));
    // Characters, not UTF-16 units: 4000 emoji are allowed.
    QString emoji;
    for (int i = 0; i < CommentText::kMaxCharacters; ++i)
        emoji += u"😀"_s;
    QVERIFY(CommentText::validate(emoji));
    QCOMPARE(CommentText::validate(u"a\0b"_s).problem().code, u"comment_nul"_s);
    // Tabs and line breaks are a person's; an escape or a bell is not, and is named with its place.
    QVERIFY(CommentText::validate(u"first\n\tsecond"_s));
    auto control = CommentText::validate(u"hi \u001b[31mred"_s);
    QVERIFY(!control);
    QCOMPARE(control.problem().code, u"comment_control"_s);
    QVERIFY2(control.problem().message.contains(u"U+001B at character 4"_s),
             qPrintable(control.problem().message));

    // Mentions: existing users only, in order, once; a sentence's full stop is not part of the login; an
    // e-mail address and an unknown name mention nobody.
    QCOMPARE(
        CommentText::mentions(u"@zhang.min please ask @li.wei. Also @nobody and @zhang.min again"_s, kUsers),
        (QStringList{u"zhang.min"_s, u"li.wei"_s}));
    QCOMPARE(CommentText::mentions(u"mail li@zhang.min or @@sarah.chen"_s, kUsers), QStringList());
    QCOMPARE(CommentText::mentions(u"（@sarah.chen）看一下"_s, kUsers), QStringList{u"sarah.chen"_s});
    QCOMPARE(CommentText::mentions(u"@LI.WEI"_s, kUsers), QStringList());
    // Highlighted as HTML, everything else escaped.
    const QString html = CommentText::toHtml(u"<b>@li.wei</b> & @nobody"_s, {u"li.wei"_s}, u"#123456"_s);
    QCOMPARE(html, u"&lt;b&gt;<b style=\"color:#123456\">@li.wei</b>&lt;/b&gt; &amp; @nobody"_s);
}

void CommentsTest::aCommentIsStoredWithItsOutboxEntryAndChangesNothingElse() {
    TestWorkspace ws(300);
    const QString id = pendingId(ws.db());
    const QString row =
        u"SELECT status || ' v' || version || ' ' || current_approver_id || ' ' || "
        "approval_chain_log || last_status_at FROM exceptions WHERE record_id = '%1'"_s.arg(id);
    const QString before = text(ws.db(), row);
    const QString headBefore = text(ws.db(), u"SELECT hash FROM approval_log ORDER BY seq DESC LIMIT 1"_s);
    const QString logBefore = text(ws.db(), u"SELECT count(*) FROM approval_log"_s);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(kTenant).value().intact);
    const QDateTime now = TestWorkspace::fixedAnchor();
    CommentService comments(ws.db());

    auto first = comments.add(kTenant, id, u"li.wei"_s, u"  @zhang.min can you check the receipt?  "_s, now);
    QVERIFY2(first, first ? "" : qPrintable(first.problem().message));
    QCOMPARE(first.value().body, u"@zhang.min can you check the receipt?"_s);
    QCOMPARE(first.value().mentions, QStringList{u"zhang.min"_s});
    auto second = comments.add(kTenant, id, u"zhang.min"_s, u"Checked; fine by me, @li.wei. @ghost?"_s,
                               now.addSecs(60));
    QVERIFY(second);
    QCOMPARE(second.value().mentions, QStringList{u"li.wei"_s});

    // Refusals with a named reason: blank, too long, not an approver, no such exception, no such user.
    auto blank = comments.add(kTenant, id, u"li.wei"_s, u" \n "_s, now);
    QVERIFY(!blank);
    QCOMPARE(blank.problem().code, u"comment_blank"_s);
    auto tooLong = comments.add(kTenant, id, u"li.wei"_s, QString(4001, u'x'), now);
    QCOMPARE(tooLong.problem().code, u"comment_too_long"_s);
    auto applicant = comments.add(kTenant, id, u"wang.fang"_s, u"please approve"_s, now);
    QCOMPARE(applicant.problem().code, u"not_an_approver"_s);
    QVERIFY(!comments.add(kTenant, u"exc-nosuchthing0"_s, u"li.wei"_s, u"hello"_s, now));
    QVERIFY(!comments.add(kTenant, id, u"no.such.user"_s, u"hello"_s, now));

    // The thread, oldest first, waiting to be pushed.
    auto thread = comments.thread(kTenant, id);
    QVERIFY(thread);
    QCOMPARE(thread.value().size(), 2);
    QCOMPARE(thread.value().at(0).authorId, u"li.wei"_s);
    QCOMPARE(thread.value().at(0).at, now);
    QCOMPARE(thread.value().at(1).authorId, u"zhang.min"_s);
    QCOMPARE(thread.value().at(1).mentions, QStringList{u"li.wei"_s});
    for (const ExceptionComment& c : thread.value())
        QCOMPARE(c.syncState, u"waiting"_s);
    QVERIFY(comments.thread(kTenant, pendingId(ws.db(), 1)).value().isEmpty());

    // Each waits in the outbox as a comment, its id the idempotency key.
    QCOMPARE(text(ws.db(), u"SELECT count(*) FROM outbox WHERE kind = 'comment' AND state = 'waiting'"_s),
             u"2"_s);
    const QJsonObject payload =
        QJsonDocument::fromJson(
            text(ws.db(),
                 u"SELECT payload FROM outbox WHERE idempotency_key = '%1'"_s.arg(first.value().commentId))
                .toUtf8())
            .object();
    QCOMPARE(payload.value(u"record_id"_s).toString(), id);
    QCOMPARE(payload.value(u"author_id"_s).toString(), u"li.wei"_s);
    QCOMPARE(payload.value(u"body"_s).toString(), first.value().body);
    QCOMPARE(text(ws.db(), u"SELECT count(*) FROM outbox WHERE kind = 'decision'"_s), u"0"_s);

    // The exception, the approval log and its chain are as they were.
    QCOMPARE(text(ws.db(), row), before);
    QCOMPARE(text(ws.db(), u"SELECT count(*) FROM approval_log"_s), logBefore);
    QCOMPARE(text(ws.db(), u"SELECT hash FROM approval_log ORDER BY seq DESC LIMIT 1"_s), headBefore);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(kTenant).value().intact);

    // What was said stays said.
    QSqlQuery q(ws.db());
    QVERIFY(!q.exec(u"DELETE FROM exception_comments"_s));
    QVERIFY(!q.exec(u"UPDATE exception_comments SET body = 'rewritten'"_s));
    QVERIFY(!q.exec(u"UPDATE exception_comments SET author_id = 'someone'"_s));
    QCOMPARE(comments.thread(kTenant, id).value().at(0).body, first.value().body);
}

void CommentsTest::theQueueSearchFindsCommentText() {
    TestWorkspace ws(300);
    const QString id = pendingId(ws.db()), other = pendingId(ws.db(), 1);
    CommentService comments(ws.db());
    const QDateTime now = TestWorkspace::fixedAnchor();
    QVERIFY(found(ws.db(), u"zebrafish"_s).isEmpty());
    QVERIFY(comments.add(kTenant, id, u"li.wei"_s, u"The Zebrafish invoice looks forged"_s, now));
    QVERIFY(comments.add(kTenant, other, u"li.wei"_s, u"需要补充材料后再审"_s, now));
    // By a word of the comment, any case, either plan; by CJK text; by a two-character needle (no trigram).
    QCOMPARE(found(ws.db(), u"zebrafish"_s), QStringList{id});
    QCOMPARE(found(ws.db(), u"ZEBRAFISH invoice"_s), QStringList{id});
    QCOMPARE(matching(ws.db(), u"zebrafish"_s), 1);
    QCOMPARE(found(ws.db(), u"补充材料"_s), QStringList{other});
    QCOMPARE(matching(ws.db(), u"补充材料"_s), 1);
    QCOMPARE(found(ws.db(), u"补充"_s), QStringList{other});
    QCOMPARE(matching(ws.db(), u"补充"_s), 1);
    // Its words in another order are not its text: nothing.
    QVERIFY(found(ws.db(), u"zebrafish forged invoice"_s).isEmpty());
    // The exceptions' own text is still found, and the other tenant's comments are not.
    const QString target =
        text(ws.db(), u"SELECT target_id FROM exceptions WHERE record_id = '%1'"_s.arg(id));
    QVERIFY(found(ws.db(), target).contains(id));
    QueueQuery elsewhere;
    elsewhere.filter.tenantId = u"globex"_s;
    elsewhere.filter.text = u"zebrafish"_s;
    auto page = ExceptionRepository(ws.db()).page(elsewhere, std::nullopt, 50);
    QVERIFY(page);
    QVERIFY(page.value().rows.isEmpty());
}

void CommentsTest::theDetailPanelListsAndAddsComments() {
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    const QString id = pendingId(ws.db());
    QVERIFY(CommentService(ws.db()).add(kTenant, id, u"zhang.min"_s, u"First look: @li.wei <b>bold</b>?"_s,
                                        QDateTime::currentDateTimeUtc()));
    DatabaseThread thread(riskdesk::test::settings());
    QVERIFY(openOn(thread, ws.path()));
    QueuePage page(&thread);
    QVERIFY(showAsApprover(page, ws.path()));
    page.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    page.showRecord(id);
    QTRY_COMPARE(page.detail()->recordId(), id);
    auto* list = page.detail()->findChild<QTextBrowser*>(u"commentThread"_s);
    auto* input = page.detail()->findChild<CommentInput*>(u"commentInput"_s);
    auto* error = page.detail()->findChild<QLabel*>(u"commentError"_s);
    QVERIFY(list && input && error);
    // The existing comment: author, its text (the markup shown as text), the mention emphasised.
    QTRY_VERIFY2(list->toPlainText().contains(u"First look: @li.wei <b>bold</b>?"_s),
                 qPrintable(list->toPlainText()));
    QVERIFY(list->toPlainText().contains(u"zhang.min"_s));
    QVERIFY(list->toHtml().contains(u"font-weight"_s) || list->toHtml().contains(u"<b"_s));

    // "@" offers the tenant's users.
    input->setFocus();
    QTest::keyClicks(input, u"Agreed with @zh"_s);
    QTRY_VERIFY(input->completer()->popup()->isVisible());
    QCOMPARE(input->completer()->currentCompletion(), u"zhang.min"_s);
    QTest::keyClick(input->completer()->popup(), Qt::Key_Return);
    QTRY_COMPARE(input->toPlainText(), u"Agreed with @zhang.min "_s);
    QVERIFY(!input->completer()->popup()->isVisible());
    input->insertPlainText(u"— 理由充分"_s); // QTest types Latin-1 only

    // Ctrl+Enter sends the comment; it is listed, and the exception is not approved (the page's Ctrl+Enter).
    QTest::keyClick(input, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY2(list->toPlainText().contains(u"Agreed with @zhang.min — 理由充分"_s),
                 qPrintable(list->toPlainText()));
    QVERIFY(input->toPlainText().isEmpty());
    QCOMPARE(text(ws.db(), u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)), u"pending"_s);
    auto stored = CommentService(ws.db()).thread(kTenant, id);
    QVERIFY(stored);
    QCOMPARE(stored.value().size(), 2);
    QCOMPARE(stored.value().at(1).authorId, u"li.wei"_s);
    QCOMPARE(stored.value().at(1).mentions, QStringList{u"zhang.min"_s});

    // A blank comment is refused where it was written, with the reason.
    input->setPlainText(u"   "_s);
    auto* send = page.detail()->findChild<QPushButton*>(u"commentSend"_s);
    QVERIFY(send);
    send->click();
    QTRY_VERIFY2(error->text().contains(u"blank"_s), qPrintable(error->text()));
    QCOMPARE(CommentService(ws.db()).thread(kTenant, id).value().size(), 2);
    // The count shows near the limit, and says by how much a comment is too long before it is sent.
    auto* count = page.detail()->findChild<QLabel*>(u"commentCount"_s);
    QVERIFY(count && count->isHidden());
    input->setPlainText(QString(3100, u'x') + u"  "_s);
    QVERIFY(!count->isHidden());
    QCOMPARE(count->text(), u"3100 of 4000 characters"_s);
    input->setPlainText(u"😀"_s.repeated(4001)); // characters, not UTF-16 units
    QCOMPARE(count->text(), u"4001 of 4000 characters: 1 too many"_s);
    // A comment too long is refused with both lengths, and the whole message is on screen.
    input->setPlainText(QString(4500, u'x'));
    send->click();
    QTRY_VERIFY2(error->text().contains(u"4500"_s), qPrintable(error->text()));
    QTRY_VERIFY2(error->isVisible() && error->height() >= error->heightForWidth(error->width()),
                 qPrintable(u"%1 px high, %2 needed at %3 px"_s.arg(error->height())
                                .arg(error->heightForWidth(error->width()))
                                .arg(error->width())));
    QCOMPARE(input->toPlainText().size(), 4500); // nothing lost
    QCOMPARE(CommentService(ws.db()).thread(kTenant, id).value().size(), 2);
    // In a panel that scrolls, the refusal is brought into view (helper-90: it was below the visible part,
    // and Ctrl+Enter seemed to do nothing).
    page.resize(1000, 420);
    auto* scroll = page.detail()->findChild<QScrollArea*>(u"detailScroll"_s);
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);
    error->clear();
    scroll->verticalScrollBar()->setValue(0);
    QTRY_VERIFY(error->mapTo(scroll->viewport(), QPoint(0, 0)).y() >= scroll->viewport()->height()); // below
    send->click();
    QTRY_VERIFY2(error->text().contains(u"4500"_s) &&
                     error->visibleRegion().boundingRect().height() >= error->height(),
                 qPrintable(u"%1 of %2 px in view"_s.arg(error->visibleRegion().boundingRect().height())
                                .arg(error->height())));
}

void CommentsTest::anUnsentCommentStaysWithItsException() {
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    const QString first = pendingId(ws.db()), second = pendingId(ws.db(), 1);
    DatabaseThread thread(riskdesk::test::settings());
    QVERIFY(openOn(thread, ws.path()));
    QueuePage page(&thread);
    QVERIFY(showAsApprover(page, ws.path()));
    auto* input = page.detail()->findChild<CommentInput*>(u"commentInput"_s);
    auto* list = page.detail()->findChild<QTextBrowser*>(u"commentThread"_s);
    auto* send = page.detail()->findChild<QPushButton*>(u"commentSend"_s);
    QVERIFY(input && list && send);
    auto show = [&](const QString& id) {
        page.showRecord(id);
        QTRY_COMPARE(page.detail()->recordId(), id);
    };

    // Half a comment, then a look at another request: that one's box is empty, and coming back brings the
    // half-written text back, not an empty box.
    show(first);
    const QString half = u"Half-written: check the merchant's refund history and"_s;
    input->setPlainText(half);
    show(second);
    QVERIFY2(input->toPlainText().isEmpty(), qPrintable(input->toPlainText()));
    input->setPlainText(u"Second request's own note"_s);
    show(first);
    QCOMPARE(input->toPlainText(), half);
    show(second);
    QCOMPARE(input->toPlainText(), u"Second request's own note"_s);

    // Sent, a draft is gone for good: the thread holds it and the box stays empty on a later visit.
    show(first);
    send->click();
    QTRY_VERIFY2(list->toPlainText().contains(half), qPrintable(list->toPlainText()));
    QVERIFY(input->toPlainText().isEmpty());
    show(second);
    show(first);
    QVERIFY2(input->toPlainText().isEmpty(), qPrintable(input->toPlainText()));
    QCOMPARE(CommentService(ws.db()).thread(kTenant, first).value().size(), 1);
    QVERIFY(CommentService(ws.db()).thread(kTenant, second).value().isEmpty()); // a draft is never stored

    // Someone else signing in on this desktop is not shown the previous person's drafts.
    page.setSession(
        Session{ws.path(), kTenant, u"Acme"_s, u"zhang.min"_s, u"张敏"_s, UserRole::Approver, {}, {}});
    show(second);
    QVERIFY2(input->toPlainText().isEmpty(), qPrintable(input->toPlainText()));
}

void CommentsTest::theCommandLineListsAndAdds() {
    TestWorkspace ws(300);
    const QString id = pendingId(ws.db());
    const QString path = ws.path();
    auto run = [&](const QStringList& arguments, QString* out = nullptr, QString* err = nullptr) {
        QProcess p;
        p.setProgram(QStringLiteral(RISKDESK_BINARY));
        p.setArguments(arguments);
        p.start();
        if (!p.waitForFinished(60000))
            qFatal("riskdesk did not finish");
        if (out)
            *out = QString::fromUtf8(p.readAllStandardOutput());
        if (err)
            *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitCode();
    };
    QString out, err;
    QCOMPARE(run({u"comments"_s, u"add"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id, u"--text"_s,
                  u"@sarah.chen 请看一下"_s},
                 &out, &err),
             0);
    const QJsonObject added = QJsonDocument::fromJson(out.toUtf8()).object();
    QCOMPARE(added.value(u"mentions"_s).toArray(), QJsonArray{u"sarah.chen"_s});
    QCOMPARE(added.value(u"sync_state"_s).toString(), u"waiting"_s);
    QCOMPARE(run({u"comments"_s, u"list"_s, u"--workspace"_s, path, u"--as"_s, u"zhang.min"_s, id}, &out), 0);
    const QJsonArray listed = QJsonDocument::fromJson(out.toUtf8()).array();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.at(0).toObject().value(u"text"_s).toString(), u"@sarah.chen 请看一下"_s);
    QCOMPARE(listed.at(0).toObject().value(u"author_id"_s).toString(), u"li.wei"_s);
    // A missing --text is bad usage; a blank one is refused with the reason; an applicant may not comment.
    QCOMPARE(
        run({u"comments"_s, u"add"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id}, nullptr, &err), 2);
    QVERIFY(err.contains(u"--text"_s));
    QCOMPARE(run({u"comments"_s, u"add"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id, u"--text"_s,
                  u" "_s},
                 nullptr, &err),
             1);
    QVERIFY2(err.contains(u"blank"_s), qPrintable(err));
    QCOMPARE(CommentService(ws.db()).thread(kTenant, id).value().size(), 1);
}

QTEST_MAIN(CommentsTest)
#include "tst_comments.moc"
