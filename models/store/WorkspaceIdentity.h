#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <functional>

namespace riskdesk {

class AppSettings;

// Tells a copied workspace from the original, and holds a file whose identity changed to what was verified
// in it before.
//
// What this desktop remembers about a workspace (the last verified head of each approval log) is keyed by the
// identity stored in the file, and a plain file copy carries that identity along: the copy, falling behind
// the original, would then read as a log cut short. So this desktop remembers which file holds each identity,
// and the file records the path it was made or adopted at (its path of record). A file that opens with an
// identity that another live file holds (the one remembered here, or else the one at its own path of record)
// is a copy, and takes an identity of its own (a read-only copy answers one derived from its path). A file
// whose identity's holder is gone was moved, and keeps it.
//
// The identity is only a value in the file, so it can be edited. This desktop also remembers which identity
// each file last held; a file that now holds another one keeps the heads verified in it before, for every
// tenant whose log still starts with the same entry (its root): a log cut short and given a new identity
// still fails against them. A file that holds another log altogether (another workspace put in its place) is
// verified afresh, and the user is told either way. A file this desktop has never seen under an identity it
// has verified nothing for, whose logs start as those of a workspace verified here whose file is gone from
// where it was, is that workspace moved (and perhaps renamed inside): it is held to what was verified.
// Files are compared as files (a symbolic or hard link to the file is the file, not a copy of it).
class WorkspaceIdentity {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::WorkspaceIdentity)

public:
    struct Claim {
        QString id;     // the identity to remember things under
        QString notice; // what to tell the user, if anything happened
    };
    // The identity is read from the file; one that is missing or not as Riskdesk writes them is replaced.
    // created: the file was made by this opening. mayWrite: asked only before writing into the file (a copy's
    // new identity, the path of record); false (read-only, or found damaged by the check it runs) keeps the
    // file as it is, and a copy then answers an identity derived from its path.
    static Result<Claim> claim(AppSettings& settings, const QSqlDatabase& db, const QString& path,
                               bool created, const std::function<bool()>& mayWrite);
    // Forgets what identity the file at path held: a new workspace was put there by this desktop.
    static void forgetFile(AppSettings& settings, const QString& path);
};

} // namespace riskdesk
