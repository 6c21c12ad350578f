#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace riskdesk {

class SettingsFile;

// Every setting this desktop keeps, in one place (after KeePassXC's Config): each key is named once in
// AppSettings::Key, and its stored name, type and default stand in one table (AppSettings.cpp). The
// production instance (the default constructor) reads and writes the user's settings at Qt's normal location
// (organisation and application names set in main); a test builds one on a file of its own. Made once in
// app/ and passed to whatever needs it: nothing in models/ reads settings any other way.
//
// A stored value that is not of the key's type (a hand-edited file, an older version's text) reads as the
// key's default. Thread-safe, and no change waits on the disk: values are held in memory by the file's one
// SettingsFile, which writes changes from a thread of its own, in order, so a board switch on the GUI thread
// saves its filters without an fdatasync there. A read only stats the file, to notice another process's
// change. Copies share the file.
class AppSettings {
public:
    enum class Key {
        WindowGeometry,           // window/geometry: the main window's saved geometry
        BackendUrl,               // backend/url: the shared server (never with a password)
        AttachmentMaxMegabytes,   // attachments/maxMegabytes: largest attachment fetched or attached
        AttachmentCacheMegabytes, // attachments/cacheMegabytes: the workspace's attachment cache cap
        BoardTrendColors,         // boards/trendColors: rising/falling colours (TrendColors key)
        BoardChosen,              // boards/TENANT/USER/board: the board last open (a BoardKind)
        BoardFilters,             // boards/TENANT/USER/BOARD: the board's filters (compact JSON)
        BoardShowVoided,          // boards/TENANT/USER/showVoided/BOARD: drill lists show voided rows
        SessionUser,              // sessions/WORKSPACE/user: who last signed in to a workspace
        SessionTenant,            // sessions/WORKSPACE/tenant: in which tenant
        ChainHeadSeq,             // verifiedChainHeads/WORKSPACE_ID/TENANT/seq: last verified log head
        ChainHeadHash,            // verifiedChainHeads/WORKSPACE_ID/TENANT/hash
        ChainHeadRoot,            // verifiedChainHeads/WORKSPACE_ID/TENANT/root: the hash of entry 1
        WorkspaceFile,            // workspaceFiles/WORKSPACE_ID: the file that holds an identity
        WorkspaceAtFile,          // workspaceAt/FILE_KEY: the identity the file last held here
        HealthVerdict,            // workspaceHealth/FILE_KEY/verdict: "clean" or "damaged"
        HealthFingerprint,        // workspaceHealth/FILE_KEY/file: the file's fingerprint then
        HealthFinding,            // workspaceHealth/FILE_KEY/finding: what a check found
        HealthAt,                 // workspaceHealth/FILE_KEY/at: when it was found
    };
    struct Spec {
        Key key;
        const char* name; // the stored name; %1, %2, %3 are the key's arguments (tenant, user, ...)
        QMetaType::Type type;
        QVariant defaultValue;
    };
    // The table: every key, its stored name, type and default.
    static const QList<Spec>& specs();
    static const Spec& spec(Key key);
    // The stored name of key with its arguments filled in.
    static QString name(Key key, const QStringList& arguments = {});

    // The user's settings, at Qt's normal location.
    AppSettings();
    // Settings in an INI file of their own (tests, benchmarks): nothing of the user's is read or written.
    explicit AppSettings(QString iniFile);

    QString fileName() const;
    // Forgets every setting (a test's fresh start).
    void clear();
    // Waits until every change made so far is in the file (a test or another process about to read it).
    void flush();
    // The file's writer, for tests and benchmarks that count its writes.
    SettingsFile& file() const;

    // Generic access, typed by the table: value() answers the key's type, or its default when nothing (or
    // something not of that type) is stored.
    QVariant value(Key key, const QStringList& arguments = {}) const;
    bool contains(Key key, const QStringList& arguments = {}) const;
    void setValue(Key key, const QVariant& value, const QStringList& arguments = {});
    void remove(Key key, const QStringList& arguments = {});

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QString backendUrl() const;
    void setBackendUrl(const QString& url);
    // The attachment size limit and the cache cap, in bytes (a stored size of 0 or less reads as the
    // default).
    qint64 attachmentMaxBytes() const;
    void setAttachmentMaxMegabytes(qint64 megabytes);
    qint64 attachmentCacheBytes() const;
    void setAttachmentCacheMegabytes(qint64 megabytes);
    QString trendColors() const;
    void setTrendColors(const QString& key);

    // Per tenant and user: another user on this computer never inherits them.
    int chosenBoard(const QString& tenant, const QString& user) const; // -1: none
    void setChosenBoard(const QString& tenant, const QString& user, int board);
    QString boardFilters(const QString& tenant, const QString& user, const QString& board) const;
    void setBoardFilters(const QString& tenant, const QString& user, const QString& board,
                         const QString& json);
    bool showVoided(const QString& tenant, const QString& user, const QString& board) const;
    void setShowVoided(const QString& tenant, const QString& user, const QString& board, bool shown);

    // Who last signed in to a workspace (workspaceKey: the launcher's key of its path).
    QString sessionUser(const QString& workspaceKey) const;
    QString sessionTenant(const QString& workspaceKey) const;
    void setSession(const QString& workspaceKey, const QString& user, const QString& tenant);
    void forgetSession(const QString& workspaceKey);

    // The last approval-log head verified here, per workspace identity and tenant, with the hash of the log's
    // first entry (its root: empty when remembered by a version that did not keep it).
    struct RememberedHead {
        qint64 seq = 0;
        QByteArray hash;
        QByteArray root;
    };
    std::optional<RememberedHead> chainHead(const QString& workspaceId, const QString& tenant) const;
    void setChainHead(const QString& workspaceId, const QString& tenant, const RememberedHead& head);
    // The tenants with a head remembered for a workspace identity (a tenant is any text: it is kept encoded
    // in the key, so a "/" in it is no group of the settings).
    QStringList chainHeadTenants(const QString& workspaceId) const;
    // Every workspace identity with a head remembered.
    QStringList chainHeadWorkspaces() const;

    // The file that holds a workspace identity (empty: none remembered), and the identity a file last held
    // here (fileKey: WorkspaceIdentity's key of its path).
    QString workspaceFile(const QString& workspaceId) const;
    void setWorkspaceFile(const QString& workspaceId, const QString& file);
    QString workspaceAt(const QString& fileKey) const;
    void setWorkspaceAt(const QString& fileKey, const QString& workspaceId);
    void forgetWorkspaceAt(const QString& fileKey);

    // What a whole read of a workspace file last found (fileKey: WorkspaceHealthRecord's key of its path).
    struct HealthNote {
        QString verdict;     // "clean", "damaged", or empty: nothing remembered
        QString fingerprint; // the file's fingerprint when it was found
        QString finding;
        QDateTime at;
    };
    HealthNote health(const QString& fileKey) const;
    void setHealth(const QString& fileKey, const HealthNote& note); // replaces what was remembered
    void forgetHealth(const QString& fileKey);

private:
    // The file is found on first use: the user's settings are located by the application's name, which main
    // sets after making this instance. Shared by copies.
    struct Location {
        QString iniFile; // empty: the user's settings
        std::once_flag found;
        std::shared_ptr<SettingsFile> file;
    };
    std::shared_ptr<Location> m_location;
};

} // namespace riskdesk
