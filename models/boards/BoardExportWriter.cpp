#include "BoardExportWriter.h"

#include "BoardChartCatalog.h"
#include "BoardExportLog.h"
#include "BoardExportName.h"
#include "BoardPdfExport.h"
#include "BoardXlsxExport.h"
#include "store/OverwriteGuard.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Records the export just written to path. Every export kept is recorded: one that cannot be recorded is
// removed again.
Status record(QSqlDatabase db, BoardKind board, const BoardScope& scope, const BoardRequest& request,
              const QString& section, const QString& format, const QString& path, qint64 rows,
              const QString& hash) {
    BoardExportEntry entry;
    entry.userId = scope.userId();
    entry.tenant = request.tenant;
    entry.site = request.site;
    entry.board = BoardExportName::boardSlug(board);
    entry.section = section;
    entry.parametersHash = hash;
    entry.format = format;
    entry.path = path;
    entry.rowCount = rows;
    entry.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    if (Status s = BoardExportLog::record(db, entry); !s) {
        QFile::remove(path);
        return Problem{u"board_export_record_failed"_s,
                       BoardExportWriter::tr("The export could not be recorded, so %1 was not kept: %2")
                           .arg(path, s.problem().message),
                       {}};
    }
    return success();
}

} // namespace

Status BoardExportWriter::checkFolder(const QString& path) {
    const QFileInfo target(path);
    const QFileInfo folder(target.isDir() ? target.absoluteFilePath() : target.absolutePath());
    const QString shown = QDir::toNativeSeparators(folder.absoluteFilePath());
    if (!folder.exists())
        return Problem{u"export_folder_missing"_s,
                       tr("The folder %1 for the export does not exist.").arg(shown), u"output"_s};
    if (!folder.isDir() || !folder.isWritable())
        return Problem{u"export_folder_read_only"_s,
                       tr("The folder %1 for the export cannot be written to.").arg(shown), u"output"_s};
    if (target.exists() && !target.isDir() && !target.isFile())
        return Problem{u"export_not_a_file"_s,
                       tr("%1 is not a regular file: name a new file, a file to replace, or a folder.")
                           .arg(QDir::toNativeSeparators(target.absoluteFilePath())),
                       u"output"_s};
    return OverwriteGuard::check(path);
}

Status BoardExportWriter::writeWhole(const QString& path, const QByteArray& bytes) {
    if (Status s = OverwriteGuard::check(path); !s)
        return s;
    QSaveFile file(path);
    errno = 0;
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return success();
    // QSaveFile says "Unknown error" when only its final flush fails (a full disk); errno knows why, and Qt
    // has a translated sentence for it.
    const QString why =
        errno != 0 && file.error() != QFileDevice::OpenError ? qt_error_string(errno) : file.errorString();
    return Problem{u"export_write_failed"_s, tr("Could not write %1: %2").arg(path, why), {}};
}

Result<BoardExportOutcome> BoardExportWriter::writeBoard(QSqlDatabase db, BoardKind board,
                                                         const BoardScope& scope, const BoardRequest& request,
                                                         const QString& format, const QString& path,
                                                         const QDateTime& now, TrendColors::Scheme scheme) {
    if (format != u"xlsx"_s && format != u"pdf"_s)
        return Problem{u"bad_format"_s,
                       tr("A whole board is exported as xlsx or pdf, not \"%1\".").arg(format), u"format"_s};
    if (Status s = checkFolder(path); !s)
        return s.problem();
    BoardRequest whole = request;
    whole.page = 1;
    whole.pageSize = 0;
    const bool toDir = QFileInfo(path).isDir();
    const auto outputOf = [&](const BoardExportSet& set) {
        QString output = path;
        if (toDir) {
            QDateTime at = now;
            if (!whole.site.isEmpty())
                if (const auto clock = scope.clockOf(whole.site))
                    at = now.toTimeZone(clock.value().zone());
            output = QDir(output).filePath(
                BoardExportName::fileName(board, whole.site, set.from(), set.to(), at, format));
        }
        return QFileInfo(output).absoluteFilePath();
    };
    if (format == u"xlsx"_s) {
        // The rows go into the workbook as they are computed (an export of every row holds none of them), so
        // the file is written beside its final name, which may depend on the set, and then takes that name.
        const QFileInfo target(path);
        const QString partial =
            QDir(toDir ? target.absoluteFilePath() : target.absolutePath())
                .filePath(u".riskdesk-export-%1.xlsx.part"_s.arg(QDateTime::currentMSecsSinceEpoch()));
        // Made first, so that a folder that takes no new file fails at once rather than after the rows are
        // computed, and in the reader's words (the library prints its own to stderr).
        if (QFile probe(partial); !probe.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return Problem{
                u"export_write_failed"_s,
                tr("Could not write %1: %2").arg(QFileInfo(path).absoluteFilePath(), probe.errorString()),
                {}};
        auto set = BoardXlsxExport::computeAndWrite(
            partial,
            [&](BoardRowSink& sink) { return BoardExportSet::compute(db, board, scope, whole, now, &sink); },
            QFileInfo(path).absoluteFilePath());
        if (!set) {
            QFile::remove(partial);
            return set.problem();
        }
        const QString output = outputOf(set.value());
        // rename(2) replaces a file already there in one step: there is never a moment with neither.
        if (std::rename(QFile::encodeName(partial).constData(), QFile::encodeName(output).constData()) != 0) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            QFile::remove(partial);
            return Problem{u"export_write_failed"_s, tr("Could not write %1: %2").arg(output, why), {}};
        }
        const BoardExportOutcome outcome{output, set.value().rowCount(), 0};
        if (Status s = record(db, board, scope, whole, {}, format, output, outcome.rows,
                              set.value().parametersHash());
            !s)
            return s.problem();
        return outcome;
    }
    auto set =
        BoardExportSet::compute(db, board, scope, whole, now, nullptr, BoardPdfExport::kRowsPerSection);
    if (!set)
        return set.problem();
    const QString output = outputOf(set.value());
    BoardExportOutcome outcome{output, set.value().rowCount(), 0};
    {
        BoardPdfExport::Options options;
        options.figures = BoardChartCatalog::pdfFigures(whole.locale, scheme);
        auto pages = BoardPdfExport::write(output, set.value(), options);
        if (!pages)
            return pages.problem();
        outcome.pages = pages.value();
    }
    if (Status s =
            record(db, board, scope, whole, {}, format, output, outcome.rows, set.value().parametersHash());
        !s)
        return s.problem();
    return outcome;
}

Result<BoardExportOutcome> BoardExportWriter::writeSectionCsv(QSqlDatabase db, BoardKind board,
                                                              const BoardScope& scope, BoardRequest request,
                                                              const QString& sectionKey,
                                                              const QString& path) {
    if (Status s = checkFolder(path); !s)
        return s.problem();
    request.page = 1;
    request.pageSize = 0; // every row, not the page on screen
    const auto compute = BoardExportSet::computeOf(board);
    auto report = compute(db, scope, request);
    if (!report)
        return report.problem();
    const BoardTable* table = report.value().table(sectionKey);
    if (!table)
        return Problem{u"no_section"_s, tr("The board has no section \"%1\".").arg(sectionKey), u"section"_s};
    const QString output = QFileInfo(path).absoluteFilePath();
    if (Status s = writeWhole(output, table->toCsv(true, false)); !s)
        return s.problem();
    // As the command line's CSV: the resolved parameters and who asked.
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(report.value().parameters()).toJson(QJsonDocument::Compact) +
                                     scope.userId().toUtf8(),
                                 QCryptographicHash::Sha256)
            .toHex());
    if (Status s = record(db, board, scope, request, sectionKey, u"csv"_s, output, table->total(), hash); !s)
        return s.problem();
    return BoardExportOutcome{output, table->total(), 0};
}

} // namespace riskdesk
