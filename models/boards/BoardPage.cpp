#include "BoardPage.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<BoardPage> BoardPage::make(qint64 page, qint64 pageSize) {
    if (page < 1 || page > (qint64(1) << 40))
        return Problem{u"bad_page"_s, tr("The page number must be 1 or more, not %1.").arg(page), u"page"_s};
    if (pageSize < 0 || pageSize > kMaxSize)
        return Problem{u"bad_page_size"_s,
                       tr("The page size must be from 1 to %1, or 0 for every row; %2 is not.")
                           .arg(kMaxSize)
                           .arg(pageSize),
                       u"page_size"_s};
    if (pageSize == 0 && page != 1)
        return Problem{u"bad_page"_s, tr("With every row on one page there is only page 1."), u"page"_s};
    return BoardPage(page, int(pageSize));
}

std::optional<qint64> BoardPage::cursorPosition() const {
    if (m_page == 1 || m_size == 0)
        return std::nullopt;
    return (m_page - 1) * m_size - 1;
}

qint64 BoardPage::pageCount(qint64 total) const {
    if (m_size == 0 || total <= 0)
        return 1;
    return (total + m_size - 1) / m_size;
}

QJsonObject BoardPage::toJson(qint64 total) const {
    return {{u"page"_s, double(m_page)},
            {u"pageSize"_s, m_size},
            {u"total"_s, double(total)},
            {u"pageCount"_s, double(pageCount(total))}};
}

} // namespace riskdesk
