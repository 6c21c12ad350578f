#pragma once

#include "PgConnection.h"
#include "store/RowBlock.h"

#include <QCoreApplication>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace riskdesk {

// A COPY … TO STDOUT read on a thread of its own and turned into RowBlocks as it arrives, so that receiving
// and parsing the server's rows overlaps with writing the previous block into the workspace. The server
// connection belongs to the reading thread until finish() returns; nothing else may use it meanwhile.
class CopyStream {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CopyStream)

public:
    // Puts one COPY text row into the block (and ends the row); false when the row cannot be read, which
    // stops the stream with that problem.
    using Convert = std::function<bool(QByteArrayView line, RowBlock& into)>;

    CopyStream(PgConnection& server, QString copySql, Convert convert, int rowsPerBlock = 2048);
    ~CopyStream();
    CopyStream(const CopyStream&) = delete;
    CopyStream& operator=(const CopyStream&) = delete;

    // The next block, or nothing once the stream has ended (see finish()).
    std::optional<RowBlock> next();
    // Stops using the blocks: the reader reads the rest of the COPY and drops it, so the connection stays
    // usable.
    void abandon();
    // Waits for the reader; the rows read, or why the stream stopped.
    Result<qint64> finish();

private:
    void read();
    void deliver(RowBlock&& block);

    PgConnection& m_server;
    QString m_sql;
    Convert m_convert;
    int m_rowsPerBlock;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<RowBlock> m_ready; // at most kAhead blocks: memory stays bounded when the writer is slower
    bool m_ended = false;
    bool m_abandoned = false;
    std::optional<Problem> m_problem;
    qint64 m_rows = 0;
    std::thread m_reader;
};

} // namespace riskdesk
