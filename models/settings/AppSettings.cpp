#include "AppSettings.h"

#include "SettingsFile.h"

#include <QSettings>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using SettingKey = AppSettings::Key;

// Whether a stored value is of the type; a hand-edited or foreign value reads as the default instead.
std::optional<QVariant> asType(const QVariant& stored, QMetaType::Type type) {
    switch (type) {
    case QMetaType::Bool: {
        if (stored.typeId() == QMetaType::Bool)
            return stored;
        const QString text = stored.toString().trimmed().toLower();
        if (text == u"true" || text == u"1")
            return QVariant(true);
        if (text == u"false" || text == u"0")
            return QVariant(false);
        return std::nullopt;
    }
    case QMetaType::Int:
    case QMetaType::LongLong: {
        bool ok = false;
        const qlonglong n = stored.toString().trimmed().toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        if (type == QMetaType::Int)
            return n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max()
                       ? std::optional<QVariant>(QVariant(int(n)))
                       : std::nullopt;
        return QVariant(n);
    }
    case QMetaType::QString:
        if (stored.typeId() == QMetaType::QString || stored.typeId() == QMetaType::QByteArray)
            return QVariant(stored.toString());
        return std::nullopt;
    case QMetaType::QByteArray:
        if (stored.typeId() == QMetaType::QByteArray || stored.typeId() == QMetaType::QString)
            return QVariant(stored.toByteArray());
        return std::nullopt;
    case QMetaType::QDateTime: {
        const QDateTime when = stored.toDateTime();
        return when.isValid() ? std::optional<QVariant>(QVariant(when)) : std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

} // namespace

const QList<AppSettings::Spec>& AppSettings::specs() {
    // The stored names are those of earlier versions: users' saved settings keep loading.
    static const QList<Spec> table{
        {SettingKey::WindowGeometry, "window/geometry", QMetaType::QByteArray, QByteArray()},
        {SettingKey::BackendUrl, "backend/url", QMetaType::QString, QString()},
        {SettingKey::AttachmentMaxMegabytes, "attachments/maxMegabytes", QMetaType::LongLong, qlonglong(50)},
        {SettingKey::AttachmentCacheMegabytes, "attachments/cacheMegabytes", QMetaType::LongLong,
         qlonglong(512)},
        {SettingKey::BoardTrendColors, "boards/trendColors", QMetaType::QString, QString()},
        {SettingKey::BoardChosen, "boards/%1/%2/board", QMetaType::Int, -1},
        {SettingKey::BoardFilters, "boards/%1/%2/%3", QMetaType::QString, QString()},
        {SettingKey::BoardShowVoided, "boards/%1/%2/showVoided/%3", QMetaType::Bool, false},
        {SettingKey::SessionUser, "sessions/%1/user", QMetaType::QString, QString()},
        {SettingKey::SessionTenant, "sessions/%1/tenant", QMetaType::QString, QString()},
        {SettingKey::ChainHeadSeq, "verifiedChainHeads/%1/%2/seq", QMetaType::LongLong, QVariant()},
        {SettingKey::ChainHeadHash, "verifiedChainHeads/%1/%2/hash", QMetaType::QByteArray, QByteArray()},
        {SettingKey::ChainHeadRoot, "verifiedChainHeads/%1/%2/root", QMetaType::QByteArray, QByteArray()},
        {SettingKey::WorkspaceFile, "workspaceFiles/%1", QMetaType::QString, QString()},
        {SettingKey::WorkspaceAtFile, "workspaceAt/%1", QMetaType::QString, QString()},
        {SettingKey::HealthVerdict, "workspaceHealth/%1/verdict", QMetaType::QString, QString()},
        {SettingKey::HealthFingerprint, "workspaceHealth/%1/file", QMetaType::QString, QString()},
        {SettingKey::HealthFinding, "workspaceHealth/%1/finding", QMetaType::QString, QString()},
        {SettingKey::HealthAt, "workspaceHealth/%1/at", QMetaType::QDateTime, QDateTime()},
    };
    return table;
}

const AppSettings::Spec& AppSettings::spec(Key key) {
    for (const Spec& s : specs())
        if (s.key == key)
            return s;
    qFatal("AppSettings: key %d is not in the table", int(key));
}

QString AppSettings::name(Key key, const QStringList& arguments) {
    // One arg() call for all the arguments: a tenant or user named "%2" is not substituted again.
    const QString pattern = QString::fromLatin1(spec(key).name);
    switch (arguments.size()) {
    case 0:
        return pattern;
    case 1:
        return pattern.arg(arguments[0]);
    case 2:
        return pattern.arg(arguments[0], arguments[1]);
    default:
        return pattern.arg(arguments[0], arguments[1], arguments[2]);
    }
}

AppSettings::AppSettings() : m_location(std::make_shared<Location>()) {}

AppSettings::AppSettings(QString iniFile) : m_location(std::make_shared<Location>()) {
    m_location->iniFile = std::move(iniFile);
}

SettingsFile& AppSettings::file() const {
    std::call_once(m_location->found, [this] {
        // The user's native settings are an INI file on the platforms Riskdesk ships for (Linux, BSD).
        const QString path = m_location->iniFile.isEmpty() ? QSettings().fileName() : m_location->iniFile;
        m_location->file = SettingsFile::at(path);
    });
    return *m_location->file;
}

QString AppSettings::fileName() const {
    return file().path();
}

void AppSettings::clear() {
    file().remove(QString());
}

void AppSettings::flush() {
    file().flush();
}

QVariant AppSettings::value(Key key, const QStringList& arguments) const {
    const Spec& s = spec(key);
    const QVariant stored = file().value(name(key, arguments));
    if (!stored.isValid())
        return s.defaultValue;
    return asType(stored, s.type).value_or(s.defaultValue);
}

bool AppSettings::contains(Key key, const QStringList& arguments) const {
    return file().contains(name(key, arguments));
}

void AppSettings::setValue(Key key, const QVariant& value, const QStringList& arguments) {
    file().setValue(name(key, arguments), value);
}

void AppSettings::remove(Key key, const QStringList& arguments) {
    file().remove(name(key, arguments));
}

QByteArray AppSettings::windowGeometry() const {
    return value(SettingKey::WindowGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry) {
    setValue(SettingKey::WindowGeometry, geometry);
}

QString AppSettings::backendUrl() const {
    return value(SettingKey::BackendUrl).toString();
}

void AppSettings::setBackendUrl(const QString& url) {
    setValue(SettingKey::BackendUrl, url);
}

qint64 AppSettings::attachmentMaxBytes() const {
    qint64 megabytes = value(SettingKey::AttachmentMaxMegabytes).toLongLong();
    if (megabytes <= 0)
        megabytes = spec(SettingKey::AttachmentMaxMegabytes).defaultValue.toLongLong();
    return megabytes * 1024 * 1024;
}

void AppSettings::setAttachmentMaxMegabytes(qint64 megabytes) {
    setValue(SettingKey::AttachmentMaxMegabytes, qlonglong(megabytes));
}

qint64 AppSettings::attachmentCacheBytes() const {
    qint64 megabytes = value(SettingKey::AttachmentCacheMegabytes).toLongLong();
    if (megabytes <= 0)
        megabytes = spec(SettingKey::AttachmentCacheMegabytes).defaultValue.toLongLong();
    return megabytes * 1024 * 1024;
}

void AppSettings::setAttachmentCacheMegabytes(qint64 megabytes) {
    setValue(SettingKey::AttachmentCacheMegabytes, qlonglong(megabytes));
}

QString AppSettings::trendColors() const {
    return value(SettingKey::BoardTrendColors).toString();
}

void AppSettings::setTrendColors(const QString& key) {
    setValue(SettingKey::BoardTrendColors, key);
}

int AppSettings::chosenBoard(const QString& tenant, const QString& user) const {
    return value(SettingKey::BoardChosen, {tenant, user}).toInt();
}

void AppSettings::setChosenBoard(const QString& tenant, const QString& user, int board) {
    setValue(SettingKey::BoardChosen, board, {tenant, user});
}

QString AppSettings::boardFilters(const QString& tenant, const QString& user, const QString& board) const {
    return value(SettingKey::BoardFilters, {tenant, user, board}).toString();
}

void AppSettings::setBoardFilters(const QString& tenant, const QString& user, const QString& board,
                                  const QString& json) {
    setValue(SettingKey::BoardFilters, json, {tenant, user, board});
}

bool AppSettings::showVoided(const QString& tenant, const QString& user, const QString& board) const {
    return value(SettingKey::BoardShowVoided, {tenant, user, board}).toBool();
}

void AppSettings::setShowVoided(const QString& tenant, const QString& user, const QString& board,
                                bool shown) {
    setValue(SettingKey::BoardShowVoided, shown, {tenant, user, board});
}

QString AppSettings::sessionUser(const QString& workspaceKey) const {
    return value(SettingKey::SessionUser, {workspaceKey}).toString();
}

QString AppSettings::sessionTenant(const QString& workspaceKey) const {
    return value(SettingKey::SessionTenant, {workspaceKey}).toString();
}

void AppSettings::setSession(const QString& workspaceKey, const QString& user, const QString& tenant) {
    file().apply({{name(SettingKey::SessionUser, {workspaceKey}), user},
                  {name(SettingKey::SessionTenant, {workspaceKey}), tenant}});
}

void AppSettings::forgetSession(const QString& workspaceKey) {
    file().remove(u"sessions/"_s + workspaceKey);
}

namespace {

// A tenant as one segment of a settings key: "%", "/" and "\\" written as %25, %2F and %5C (an ordinary
// tenant is unchanged, so heads remembered before stay found).
QString keySegment(const QString& text) {
    QString out = text;
    out.replace(u'%', u"%25"_s).replace(u'/', u"%2F"_s).replace(u'\\', u"%5C"_s);
    return out;
}

QString fromKeySegment(const QString& segment) {
    QString out = segment;
    out.replace(u"%2F"_s, u"/"_s).replace(u"%5C"_s, u"\\"_s).replace(u"%25"_s, u"%"_s);
    return out;
}

} // namespace

std::optional<AppSettings::RememberedHead> AppSettings::chainHead(const QString& workspaceId,
                                                                  const QString& tenant) const {
    const QString t = keySegment(tenant);
    const QVariant seq = value(SettingKey::ChainHeadSeq, {workspaceId, t});
    if (!seq.isValid())
        return std::nullopt; // none remembered (or not a number: verified afresh)
    return RememberedHead{seq.toLongLong(), value(SettingKey::ChainHeadHash, {workspaceId, t}).toByteArray(),
                          value(SettingKey::ChainHeadRoot, {workspaceId, t}).toByteArray()};
}

void AppSettings::setChainHead(const QString& workspaceId, const QString& tenant,
                               const RememberedHead& head) {
    const QString t = keySegment(tenant);
    file().apply({{name(SettingKey::ChainHeadSeq, {workspaceId, t}), qlonglong(head.seq)},
                  {name(SettingKey::ChainHeadHash, {workspaceId, t}), head.hash},
                  {name(SettingKey::ChainHeadRoot, {workspaceId, t}), head.root}});
}

QStringList AppSettings::chainHeadTenants(const QString& workspaceId) const {
    QStringList tenants = file().childGroups(u"verifiedChainHeads/"_s + workspaceId);
    for (QString& t : tenants)
        t = fromKeySegment(t);
    return tenants;
}

QStringList AppSettings::chainHeadWorkspaces() const {
    return file().childGroups(u"verifiedChainHeads"_s);
}

QString AppSettings::workspaceFile(const QString& workspaceId) const {
    return value(SettingKey::WorkspaceFile, {workspaceId}).toString();
}

void AppSettings::setWorkspaceFile(const QString& workspaceId, const QString& file) {
    setValue(SettingKey::WorkspaceFile, file, {workspaceId});
}

QString AppSettings::workspaceAt(const QString& fileKey) const {
    return value(SettingKey::WorkspaceAtFile, {fileKey}).toString();
}

void AppSettings::setWorkspaceAt(const QString& fileKey, const QString& workspaceId) {
    setValue(SettingKey::WorkspaceAtFile, workspaceId, {fileKey});
}

void AppSettings::forgetWorkspaceAt(const QString& fileKey) {
    file().remove(name(SettingKey::WorkspaceAtFile, {fileKey}));
}

AppSettings::HealthNote AppSettings::health(const QString& fileKey) const {
    return {value(SettingKey::HealthVerdict, {fileKey}).toString(),
            value(SettingKey::HealthFingerprint, {fileKey}).toString(),
            value(SettingKey::HealthFinding, {fileKey}).toString(),
            value(SettingKey::HealthAt, {fileKey}).toDateTime()};
}

void AppSettings::setHealth(const QString& fileKey, const HealthNote& note) {
    QList<SettingsFile::Change> changes{{u"workspaceHealth/"_s + fileKey, {}},
                                        {name(SettingKey::HealthVerdict, {fileKey}), note.verdict},
                                        {name(SettingKey::HealthFingerprint, {fileKey}), note.fingerprint}};
    if (!note.finding.isEmpty())
        changes.append({name(SettingKey::HealthFinding, {fileKey}), note.finding});
    if (note.at.isValid())
        changes.append({name(SettingKey::HealthAt, {fileKey}), note.at});
    file().apply(changes); // a reader sees the old note or the new one, never a mix
}

void AppSettings::forgetHealth(const QString& fileKey) {
    file().remove(u"workspaceHealth/"_s + fileKey);
}

} // namespace riskdesk
