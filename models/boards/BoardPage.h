#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <optional>

namespace riskdesk {

// A page of a board set (spec §2.4): page numbers from 1, 20 rows by default, 0 for every row (the command
// line's --page-size 0). The answer carries the exact total of the whole filtered set on every page.
class BoardPage {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardPage)

public:
    static constexpr int kDefaultSize = 20;
    static constexpr int kMaxSize = 10000;

    static Result<BoardPage> make(qint64 page, qint64 pageSize);

    qint64 page() const { return m_page; }
    int pageSize() const { return m_size; }
    bool everyRow() const { return m_size == 0; }
    // The SQL LIMIT (-1, "no limit" in SQLite, for every row).
    qint64 limit() const { return m_size == 0 ? -1 : m_size; }
    // Jumping to page N: the position (0-based) of the row whose key the page continues after, i.e. the
    // last row of page N − 1; nothing for the first page.
    std::optional<qint64> cursorPosition() const;

    // How many pages a set of total rows has (at least 1: an empty set still has its empty first page).
    qint64 pageCount(qint64 total) const;
    // {"page", "pageSize", "total", "pageCount"}
    QJsonObject toJson(qint64 total) const;

private:
    BoardPage(qint64 page, int size) : m_page(page), m_size(size) {}
    qint64 m_page = 1;
    int m_size = kDefaultSize;
};

} // namespace riskdesk
