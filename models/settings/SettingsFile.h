#pragma once

#include <QHash>
#include <QString>
#include <QVariant>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace riskdesk {

// One INI settings file of this process, held in memory and written by a thread of its own.
//
// Why: QSettings writes a changed file with a replace-and-fdatasync on the thread that changed it, and a
// QSettings opened on any thread waits on the file's lock while another one writes. A board switch saves the
// chosen board and its filters from the GUI thread, which then waited on the disk (a quarter of a
// millisecond on an idle disk, far longer on a busy one). Here a change lands in memory at once, so every
// following read on any thread sees it, and the writer thread applies changes to the file in the order they
// were made, several at a time.
//
// The file stays the truth between processes: a read notices when the file changed under it (another
// Riskdesk, a hand edit) and reads it again, and the writer merges with what the file holds as QSettings
// does. Every instance for one path is the same object (at()); the last holder to let go waits for the
// writes.
class SettingsFile {
public:
    // The one instance for the file at path (made, and read lazily, on first use).
    static std::shared_ptr<SettingsFile> at(const QString& path);
    ~SettingsFile(); // writes what is pending first

    SettingsFile(const SettingsFile&) = delete;
    SettingsFile& operator=(const SettingsFile&) = delete;

    QString path() const { return m_path; }

    // The stored value (invalid when there is none), as QSettings would answer it.
    QVariant value(const QString& key);
    bool contains(const QString& key);
    // The names one level below group ("a/b" holds "a/b/x/y" and "a/b/z": x and z), sorted.
    QStringList childGroups(const QString& group);
    // Several changes as one: a reader never sees half of them.
    struct Change {
        QString key;    // for a removal: the key and every key under it ("" is every key)
        QVariant value; // invalid: remove
    };
    void apply(const QList<Change>& changes);
    void setValue(const QString& key, const QVariant& value) { apply({{key, value}}); }
    void remove(const QString& key) { apply({{key, {}}}); }

    // Waits until every change made so far is in the file.
    void flush();
    // Changes written since this instance was made, and how many file writes that took (tests, benchmarks).
    struct WriteCount {
        qint64 changes = 0;
        qint64 writes = 0;
    };
    WriteCount writeCount();

    // The key as QSettings stores it: no leading, trailing or doubled slashes.
    static QString normalizedKey(const QString& key);

private:
    explicit SettingsFile(QString path);

    struct Stamp {
        bool exists = false;
        std::int64_t size = 0;
        std::int64_t modified = 0; // the file's modification time, in the file system's own units
        bool operator==(const Stamp&) const = default;
    };
    Stamp stampNow() const;
    QHash<QString, QVariant> readFile() const;
    static void applyTo(QHash<QString, QVariant>& values, const Change& change);
    void readAgainIfChanged(); // with m_mutex held
    void writeLoop();

    const QString m_path;
    std::mutex m_mutex;
    std::condition_variable m_changed; // to the writer: there is something to write, or stop
    std::condition_variable m_written; // to flush(): a write finished
    QHash<QString, QVariant> m_values; // the file as last read, with every change since
    bool m_read = false;
    Stamp m_stamp;                // the file as m_values last matched it
    std::deque<Change> m_pending; // made and not yet in the file, oldest first
    WriteCount m_count;
    bool m_stopping = false;
    std::thread m_writer; // started with the first change
};

} // namespace riskdesk
