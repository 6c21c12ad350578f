#pragma once

#include "domain/Result.h"

#include <QList>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace riskdesk {

// The paging state both list models share: the rows loaded so far, whether more exist, whether a page is on
// its way, and a generation number so that pages of a superseded query are dropped.
//
// A page is appended inside begin/endInsertRows with the state already settled (still "loading"), so a view
// that calls fetchMore() from a rowsInserted handler cannot request the same page twice.
template <typename Row, typename Page> class KeysetPager {
public:
    // Safe to call from any thread: false once a newer query has replaced the one a fetch was made for, so
    // the database thread can skip work nobody will look at (typing a search queues a query per pause).
    using StillWanted = std::function<bool()>;
    // Asks for the page after the given last row (nullptr: the first page); calls back with the page.
    using Fetch = std::function<void(const Row* lastRow, StillWanted stillWanted,
                                     std::function<void(const Result<Page>&)> done)>;

    // The model's beginInsertRows / endInsertRows (protected there, so handed in).
    struct Insertion {
        std::function<void(int first, int last)> begin;
        std::function<void()> end;
    };

    KeysetPager(Insertion insertion, Fetch fetch)
        : m_insertion(std::move(insertion)), m_fetch(std::move(fetch)) {}

    // Forgets the rows (call between beginResetModel and endResetModel).
    void reset() {
        m_rows.clear();
        m_hasMore = false;
        m_loading = false;
        m_generation = ++*m_current;
    }

    // onLoaded gets the row count and whether more exist; onFailed the problem's message.
    void requestNext(std::function<void(int, bool)> onLoaded, std::function<void(const QString&)> onFailed) {
        if (m_loading)
            return;
        m_loading = true;
        const quint64 generation = m_generation;
        StillWanted stillWanted = [current = m_current, generation] { return current->load() == generation; };
        m_fetch(m_rows.isEmpty() ? nullptr : &m_rows.last(), std::move(stillWanted),
                [this, generation, onLoaded, onFailed](const Result<Page>& page) {
                    if (generation != m_generation)
                        return; // the user has since asked for something else
                    if (!page) {
                        m_loading = false;
                        onFailed(page.problem().message);
                        return;
                    }
                    const QList<Row>& rows = page.value().rows;
                    if (!rows.isEmpty()) {
                        m_insertion.begin(int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
                        m_rows.append(rows);
                        m_hasMore = page.value().hasMore;
                        m_insertion.end();
                    } else {
                        m_hasMore = false;
                    }
                    m_loading = false;
                    onLoaded(int(m_rows.size()), m_hasMore);
                });
    }

    bool canFetchMore() const { return m_hasMore && !m_loading; }
    bool hasMore() const { return m_hasMore; }
    bool isLoading() const { return m_loading; }
    QList<Row>& rows() { return m_rows; }
    const QList<Row>& rows() const { return m_rows; }

private:
    Insertion m_insertion;
    Fetch m_fetch;
    QList<Row> m_rows;
    bool m_hasMore = false;
    bool m_loading = false;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<quint64>> m_current = std::make_shared<std::atomic<quint64>>(0);
};

} // namespace riskdesk
