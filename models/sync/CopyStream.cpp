#include "CopyStream.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
constexpr size_t kAhead = 4;
}

CopyStream::CopyStream(PgConnection& server, QString copySql, Convert convert, int rowsPerBlock)
    : m_server(server), m_sql(std::move(copySql)), m_convert(std::move(convert)),
      m_rowsPerBlock(rowsPerBlock), m_reader([this] { read(); }) {}

CopyStream::~CopyStream() {
    abandon();
    if (m_reader.joinable())
        m_reader.join();
}

void CopyStream::read() {
    RowBlock block;
    bool failed = false;
    auto copied = m_server.copyOut(m_sql, [&](QByteArrayView line) {
        if (failed)
            return; // the rest is read and dropped: the connection must see the COPY to its end
        if (!m_convert(line, block)) {
            failed = true;
            std::lock_guard lock(m_mutex);
            m_problem = Problem{u"server_error"_s, tr("The server sent a row this version cannot read."), {}};
            m_changed.notify_all();
            return;
        }
        if (block.rows() >= m_rowsPerBlock) {
            deliver(std::move(block));
            block = RowBlock();
        }
    });
    if (block.rows() > 0 && !failed)
        deliver(std::move(block));
    std::lock_guard lock(m_mutex);
    if (!copied && !m_problem)
        m_problem = copied.problem();
    else if (copied)
        m_rows = copied.value();
    m_ended = true;
    m_changed.notify_all();
}

void CopyStream::deliver(RowBlock&& block) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_ready.size() < kAhead || m_abandoned; });
    if (!m_abandoned)
        m_ready.push_back(std::move(block));
    m_changed.notify_all();
}

std::optional<RowBlock> CopyStream::next() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_ready.empty() || m_ended || m_problem; });
    if (m_problem || m_ready.empty())
        return std::nullopt;
    RowBlock block = std::move(m_ready.front());
    m_ready.pop_front();
    m_changed.notify_all();
    return block;
}

void CopyStream::abandon() {
    std::lock_guard lock(m_mutex);
    m_abandoned = true;
    m_ready.clear();
    m_changed.notify_all();
}

Result<qint64> CopyStream::finish() {
    abandon();
    if (m_reader.joinable())
        m_reader.join();
    std::lock_guard lock(m_mutex);
    if (m_problem)
        return *m_problem;
    return m_rows;
}

} // namespace riskdesk
