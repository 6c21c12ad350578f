#pragma once

#include "PgConnection.h"
#include "SyncLogin.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

struct AttachmentBlobSyncReport {
    qint64 uploaded = 0;       // attachments the server did not have yet
    qint64 downloaded = 0;     // attachments copied into this workspace's cache
    qint64 notOnServer = 0;    // named by an exception, but no desktop has uploaded them (yet)
    qint64 fileLists = 0;      // requests whose list of files came from the server (migration 012)
    bool serverHasThem = true; // false: a server from before migration 011, nothing was done
};

// Attachments filed with requests, between the workspace and the backend (server migration 011). Before the
// outbox's requests are pushed, the attachments they were filed with go up through riskdesk.put_attachment
// (the server hashes the bytes itself), so a request never reaches the server before its files. After the
// pull, the riskdesk-attachment: addresses this workspace's exceptions name and its cache lacks are read from
// the server, pending exceptions first and up to a budget per round, checked against their hash, and kept in
// the attachment cache, where the viewer finds them offline. Every file of a request counts, not only the
// first: the server keeps each request's list (migration 012), which is pulled into exception_attachments
// (filed_here 0) before the files themselves. On the calling thread (the sync's worker): both
// connections block.
class AttachmentBlobSync {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AttachmentBlobSync)

public:
    static constexpr qint64 kDownloadBudgetBytes = 64LL * 1024 * 1024;
    static constexpr int kDownloadsPerRound = 100;
    static constexpr int kFileListsPerRound = 500;

    AttachmentBlobSync(QSqlDatabase workspace, PgConnection& server)
        : m_db(std::move(workspace)), m_server(server) {}

    // Whether the server keeps attachments; the report says so when it does not.
    Result<bool> serverKeepsThem();
    // Only the files of requests filed here by this login's own user in their tenant: another person's
    // request waits for their login (SyncLogin), and its files with it, never stored under this login's name.
    // The oldest request's files first. When the server's attachment quota refuses a file (migration 018), no
    // more are sent to that tenant, and the login's requests whose files are not all on the server wait in
    // the outbox (held in login, with the server's reason): the requests pushed meanwhile name their files,
    // which frees the quota for the next sync.
    Status uploadWaiting(AttachmentBlobSyncReport& report, SyncLogin& login);
    // The lists of files of the requests this workspace has and lacks the list of, pending ones first and
    // up to kFileListsPerRound; nothing on a server from before migration 012.
    Status pullFileLists(AttachmentBlobSyncReport& report);
    Status downloadMissing(AttachmentBlobSyncReport& report, qint64 nowMs);

private:
    struct Wanted {
        QString tenant;
        QString sha256;
        QString mimeType;
        QString fileName;
    };
    // Holds the waiting requests that name any of these files, with the server's refusal.
    // serverSays: each full tenant's refusal.
    Status holdRequestsOf(const QList<Wanted>& notSent, const QHash<QString, QString>& serverSays,
                          SyncLogin& login);

    QSqlDatabase m_db;
    PgConnection& m_server;
};

} // namespace riskdesk
