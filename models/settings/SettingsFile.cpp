#include "SettingsFile.h"

#include <QCoreApplication>
#include <QSettings>
#include <QtGlobal>
#include <filesystem>
#include <system_error>

namespace riskdesk {

namespace {

std::mutex registryMutex;
QHash<QString, std::weak_ptr<SettingsFile>> registry; // held weakly: see at()

// Run when the application object goes: every file still held writes what is pending while Qt is whole (a
// holder that outlives the application, such as a test's static instance, would otherwise write during static
// destruction).
void flushEveryFile() {
    QList<std::shared_ptr<SettingsFile>> held;
    {
        const std::lock_guard lock(registryMutex);
        for (const std::weak_ptr<SettingsFile>& file : std::as_const(registry))
            if (std::shared_ptr<SettingsFile> alive = file.lock())
                held.append(alive);
    }
    for (const std::shared_ptr<SettingsFile>& file : std::as_const(held))
        file->flush();
}

} // namespace

std::shared_ptr<SettingsFile> SettingsFile::at(const QString& path) {
    // The file's instance lives while someone holds it, and the last holder's release writes what is pending.
    // A later holder reads the file afresh.
    static const bool flushesAtQuit = (qAddPostRoutine(flushEveryFile), true);
    Q_UNUSED(flushesAtQuit);
    const std::lock_guard lock(registryMutex);
    if (std::shared_ptr<SettingsFile> existing = registry.value(path).lock())
        return existing;
    registry.removeIf([](const auto& entry) { return entry.value().expired(); }); // files no one holds now
    std::shared_ptr<SettingsFile> made(new SettingsFile(path));
    registry.insert(path, made);
    return made;
}

SettingsFile::SettingsFile(QString path) : m_path(std::move(path)) {}

SettingsFile::~SettingsFile() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_writer.joinable())
        m_writer.join(); // the writer empties the queue before it stops
}

QString SettingsFile::normalizedKey(const QString& key) {
    QString result;
    result.reserve(key.size());
    for (const QChar c : key) {
        if (c == u'/' && (result.isEmpty() || result.endsWith(u'/')))
            continue;
        result += c;
    }
    if (result.endsWith(u'/'))
        result.chop(1);
    return result;
}

SettingsFile::Stamp SettingsFile::stampNow() const {
    std::error_code error;
    const std::filesystem::path file(m_path.toStdString());
    const auto modified = std::filesystem::last_write_time(file, error);
    if (error)
        return {};
    const auto size = std::filesystem::file_size(file, error);
    if (error)
        return {};
    return {true, std::int64_t(size), std::int64_t(modified.time_since_epoch().count())};
}

QHash<QString, QVariant> SettingsFile::readFile() const {
    const QSettings file(m_path, QSettings::IniFormat);
    QHash<QString, QVariant> values;
    const QStringList keys = file.allKeys();
    for (const QString& key : keys)
        values.insert(key, file.value(key));
    return values;
}

void SettingsFile::applyTo(QHash<QString, QVariant>& values, const Change& change) {
    if (change.value.isValid()) {
        values.insert(change.key, change.value);
        return;
    }
    if (change.key.isEmpty()) {
        values.clear();
        return;
    }
    const QString under = change.key + u'/';
    values.removeIf([&](const QHash<QString, QVariant>::iterator& it) {
        return it.key() == change.key || it.key().startsWith(under);
    });
}

void SettingsFile::readAgainIfChanged() {
    // While changes are pending, memory is ahead of the file; the writer brings the two together.
    if (m_read && !m_pending.empty())
        return;
    const Stamp now = stampNow();
    if (m_read && now == m_stamp)
        return;
    // The writer is idle here (nothing pending), so reading the file waits on no one's write.
    m_values = readFile();
    m_stamp = now;
    m_read = true;
}

QVariant SettingsFile::value(const QString& key) {
    const std::lock_guard lock(m_mutex);
    readAgainIfChanged();
    return m_values.value(normalizedKey(key));
}

bool SettingsFile::contains(const QString& key) {
    const std::lock_guard lock(m_mutex);
    readAgainIfChanged();
    return m_values.contains(normalizedKey(key));
}

QStringList SettingsFile::childGroups(const QString& group) {
    const QString prefix = normalizedKey(group) + u'/';
    const std::lock_guard lock(m_mutex);
    readAgainIfChanged();
    QStringList names;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        if (!it.key().startsWith(prefix))
            continue;
        const qsizetype end = it.key().indexOf(u'/', prefix.size());
        if (end > 0)
            names << it.key().mid(prefix.size(), end - prefix.size());
    }
    names.sort();
    names.removeDuplicates();
    return names;
}

void SettingsFile::apply(const QList<Change>& changes) {
    {
        const std::lock_guard lock(m_mutex);
        readAgainIfChanged();
        for (const Change& change : changes) {
            const Change normalized{normalizedKey(change.key), change.value};
            applyTo(m_values, normalized);
            m_pending.push_back(normalized);
        }
        if (!m_writer.joinable())
            m_writer = std::thread([this] { writeLoop(); });
    }
    m_changed.notify_one();
}

void SettingsFile::flush() {
    std::unique_lock lock(m_mutex);
    m_written.wait(lock, [this] { return m_pending.empty(); });
}

SettingsFile::WriteCount SettingsFile::writeCount() {
    const std::lock_guard lock(m_mutex);
    return m_count;
}

void SettingsFile::writeLoop() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_stopping || !m_pending.empty(); });
        if (m_pending.empty())
            return; // stopping, and everything is written
        // Everything made so far goes in one write; changes made meanwhile wait for the next.
        const std::deque<Change> batch = m_pending;
        lock.unlock();

        QHash<QString, QVariant> written;
        Stamp stamp;
        {
            // QSettings merges: keys this batch does not touch keep what the file holds now.
            QSettings file(m_path, QSettings::IniFormat);
            for (const Change& change : batch) {
                if (change.value.isValid())
                    file.setValue(change.key, change.value);
                else if (change.key.isEmpty())
                    file.clear();
                else
                    file.remove(change.key);
            }
            file.sync();
            if (file.status() != QSettings::NoError)
                qWarning("Riskdesk could not save its settings to %s (status %d); they hold until it quits.",
                         qPrintable(m_path), int(file.status()));
            stamp = stampNow();
            const QStringList keys = file.allKeys();
            for (const QString& key : keys)
                written.insert(key, file.value(key));
        }

        lock.lock();
        m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(batch.size()));
        m_count.changes += qint64(batch.size());
        ++m_count.writes;
        if (m_pending.empty()) {
            // The file now holds memory's changes and whatever another process wrote: memory follows it.
            m_values = std::move(written);
            m_stamp = stamp;
        }
        m_written.notify_all();
    }
}

} // namespace riskdesk
