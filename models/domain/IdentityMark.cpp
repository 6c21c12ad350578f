#include "IdentityMark.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString IdentityMark::assertedOnDesktop() {
    return u"asserted on this desktop"_s;
}

QString IdentityMark::backendLogin() {
    return u"backend login"_s;
}

bool IdentityMark::isKnown(const QString& mark) {
    return mark.isEmpty() || mark == assertedOnDesktop() || mark == backendLogin();
}

QString IdentityMark::label(const QString& mark) {
    if (mark == assertedOnDesktop())
        return tr("Identity asserted on this desktop");
    if (mark == backendLogin())
        return tr("Backend login");
    if (mark.isEmpty())
        return {};
    return mark; // unknown words are shown as stored, never hidden
}

QString IdentityMark::explanation(const QString& mark) {
    if (mark == assertedOnDesktop())
        return tr("The user was picked from this workspace's list (or named on the command line) with no "
                  "backend to check who it was. The mark is covered by the entry's hash.");
    if (mark == backendLogin())
        return tr("The desktop was signed in to the backend as this user, the password checked by the "
                  "server. The server's own log is the proof of it.");
    if (mark.isEmpty())
        return tr("Written before identities were recorded, or by the system.");
    return tr("An identity mark this version does not know: \"%1\".").arg(mark);
}

} // namespace riskdesk
