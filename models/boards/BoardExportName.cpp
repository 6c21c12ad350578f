#include "BoardExportName.h"

#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString BoardExportName::boardSlug(BoardKind board) {
    switch (board) {
    case BoardKind::Skills:
        return u"skill-board"_s;
    case BoardKind::Coach:
        return u"coach-board"_s;
    case BoardKind::Customer:
        return u"customer-board"_s;
    case BoardKind::Finance:
        return u"finance-board"_s;
    case BoardKind::RiskOps:
        return u"riskops-board"_s;
    }
    return {};
}

QString BoardExportName::fileName(BoardKind board, const QString& site, const QDate& from, const QDate& to,
                                  const QDateTime& at, const QString& extension, const QString& section) {
    // A site id comes from data: keep it readable but never a path.
    static const QRegularExpression unsafe(u"[^A-Za-z0-9_-]"_s);
    const QString safeSite = site.isEmpty() ? u"all"_s : QString(site).replace(unsafe, u"-"_s);
    const QString what = section.isEmpty()
                             ? boardSlug(board)
                             : boardSlug(board) + u'-' + QString(section).replace(unsafe, u"-"_s);
    return u"%1_%2_%3_%4_%5.%6"_s.arg(what, safeSite, from.toString(Qt::ISODate), to.toString(Qt::ISODate),
                                      at.toString(u"yyyyMMdd'T'HHmm"_s), extension);
}

QString BoardExportName::withExtension(const QString& path, const QString& extension) {
    return QFileInfo(path).suffix().isEmpty() ? path + u'.' + extension : path;
}

} // namespace riskdesk
