#include "SystemComment.h"

#include "TimeText.h"
#include "Timestamps.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The canonical sentences. These exact words are in existing hash chains (the server writes the first with
// an ISO time too): never reword them.
const QString kUndecidedWithTime = u"The validity window ended on %1 before a decision was made."_s;
const QString kUndecided = u"The validity window ended before a decision was made."_s;
const QString kWaiverWithTime = u"The waiver's validity window ended on %1."_s;
const QString kWaiver = u"The waiver's validity window ended."_s;

// The time inside a canonical sentence, or nullopt when the sentence does not match.
std::optional<QString> timeIn(const QString& pattern, const QString& stored) {
    const qsizetype at = pattern.indexOf(u"%1"_s);
    const QString before = pattern.left(at), after = pattern.mid(at + 2);
    if (stored.size() <= before.size() + after.size() || !stored.startsWith(before) ||
        !stored.endsWith(after))
        return std::nullopt;
    return stored.mid(before.size(), stored.size() - before.size() - after.size());
}

} // namespace

QString SystemComment::actorId() {
    return u"system"_s;
}

QString SystemComment::action(Code code) {
    return code == Code::WindowEndedUndecided ? u"auto_reject"_s : u"expire"_s;
}

QString SystemComment::canonical(Code code, const QDateTime& validEnd) {
    const QString pattern = code == Code::WindowEndedUndecided ? kUndecidedWithTime : kWaiverWithTime;
    return pattern.arg(timestamps::toIso(validEnd));
}

std::optional<SystemComment::Code> SystemComment::recognize(const QString& actor, const QString& action,
                                                            const QString& stored, QDateTime* when) {
    if (actor != actorId())
        return std::nullopt;
    const bool undecided = action == u"auto_reject";
    if (!undecided && action != u"expire")
        return std::nullopt;
    const Code code = undecided ? Code::WindowEndedUndecided : Code::WaiverEnded;
    if (when)
        *when = {};
    if (stored == (undecided ? kUndecided : kWaiver))
        return code;
    const auto time = timeIn(undecided ? kUndecidedWithTime : kWaiverWithTime, stored);
    if (!time)
        return std::nullopt; // worded otherwise (an entry written in another language): shown as stored
    if (const auto parsed = timestamps::fromIso(*time); parsed && when)
        *when = *parsed;
    return code;
}

QString SystemComment::display(const QString& actor, const QString& action, const QString& stored) {
    QDateTime when;
    const auto code = recognize(actor, action, stored, &when);
    if (!code)
        return stored;
    if (!when.isValid()) {
        // Older desktops wrote the time in their own format: keep it as written, in the reader's sentence.
        const auto written =
            timeIn(*code == Code::WindowEndedUndecided ? kUndecidedWithTime : kWaiverWithTime, stored);
        if (!written)
            return *code == Code::WindowEndedUndecided
                       ? tr("The validity window ended before a decision was made.")
                       : tr("The waiver's validity window ended.");
        return *code == Code::WindowEndedUndecided
                   ? tr("The validity window ended on %1 before a decision was made.").arg(*written)
                   : tr("The waiver's validity window ended on %1.").arg(*written);
    }
    // The log beside it writes its times as 2026-12-07 02:36:00: the comment does too, to the minute.
    const QString local = TimeText::minutes(when);
    return *code == Code::WindowEndedUndecided
               ? tr("The validity window ended on %1 before a decision was made.").arg(local)
               : tr("The waiver's validity window ended on %1.").arg(local);
}

namespace {
const char* const kSystemActorName = QT_TRANSLATE_NOOP("riskdesk::SystemComment", "Riskdesk (automatic)");
} // namespace

QString SystemComment::actorName(const QString& actor) {
    return actor == actorId() ? tr(kSystemActorName) : actor;
}

bool SystemComment::nameContains(const QString& part) {
    return tr(kSystemActorName).contains(part, Qt::CaseInsensitive) ||
           QString::fromLatin1(kSystemActorName).contains(part, Qt::CaseInsensitive);
}

} // namespace riskdesk
