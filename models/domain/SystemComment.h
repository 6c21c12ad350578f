#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <optional>

namespace riskdesk {

// The comments Riskdesk itself writes (actor "system") when a validity window ends: an automatic rejection of
// an undecided request, the expiry of a granted waiver. The entry's action is their code (auto_reject,
// expire); the stored comment is one canonical English sentence with an ISO-8601 UTC time, the same on every
// desktop and on the server, so the hash chain never depends on the language of whoever happened to write it.
// Readers see the sentence in their own language, with the time in their own format.
class SystemComment {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SystemComment)

public:
    enum class Code { WindowEndedUndecided, WaiverEnded };

    static QString actorId();
    static QString action(Code code);
    // The stored sentence (never translated).
    static QString canonical(Code code, const QDateTime& validEnd);
    // Which system comment this is, if any, and the time it names (invalid when it names none).
    static std::optional<Code> recognize(const QString& actorId, const QString& action, const QString& stored,
                                         QDateTime* when = nullptr);
    // What the reader sees: a system comment in the reader's language; any other comment as stored.
    static QString display(const QString& actorId, const QString& action, const QString& stored);
    // The actor as the reader sees it: "system" is Riskdesk itself.
    static QString actorName(const QString& actorId);
    // Whether part (ignoring case) is in the name shown for Riskdesk's own entries, in the reader's language
    // or in English: a search by that name finds them whatever language it runs in.
    static bool nameContains(const QString& part);
};

} // namespace riskdesk
