#pragma once

#include <QCoreApplication>
#include <QString>

namespace riskdesk {

// How the person behind a log entry was known when the entry was written. The mark is stored and hashed as
// these exact words (they are data, not interface text); the translated labels are for the screen.
//   - asserted on this desktop: picked from the workspace's user list, or named with --as; nobody checked it;
//   - backend login: the desktop signed in to the backend as this user, its password checked by connecting;
//   - empty: an entry written before identities were recorded, or a time-driven one (no person).
class IdentityMark {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::IdentityMark)

public:
    static QString assertedOnDesktop();
    static QString backendLogin();
    static bool isKnown(const QString& mark);
    // What the log page shows, and a sentence for its tooltip.
    static QString label(const QString& mark);
    static QString explanation(const QString& mark);
};

} // namespace riskdesk
