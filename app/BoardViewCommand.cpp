#include "BoardViewCommand.h"

#include "CommandParser.h"
#include "Console.h"
#include "boards/BoardChartCatalog.h"
#include "boards/BoardExportLog.h"
#include "boards/BoardExportName.h"
#include "boards/BoardExportSet.h"
#include "boards/BoardExportWriter.h"
#include "boards/BoardPdfExport.h"
#include "boards/BoardXlsxExport.h"
#include "domain/CalendarDay.h"
#include "domain/Timestamps.h"
#include "settings/AppSettings.h"
#include "store/Workspace.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString commandName(BoardKind board) {
    switch (board) {
    case BoardKind::Skills:
        return u"board skills"_s;
    case BoardKind::Coach:
        return u"board coach"_s;
    case BoardKind::Customer:
        return u"board customer"_s;
    case BoardKind::Finance:
        return u"board finance"_s;
    case BoardKind::RiskOps:
        return u"board riskops"_s;
    }
    return {};
}

std::optional<QDate> parseDay(const QString& text) {
    const QDate d = QDate::fromString(text, u"yyyy-MM-dd"_s);
    return d.isValid() ? std::optional<QDate>(d) : std::nullopt;
}

// Why the value of --option is not a day: a day the calendar lacks (2026-11-31) is told apart from a wrong
// form.
QString notADay(const QString& option, const QString& value) {
    if (const QString why = CalendarDay::whyNotADay(value); !why.isEmpty() && value.size() == 10)
        return BoardViewCommand::tr("--%1: %2").arg(option, why);
    return BoardViewCommand::tr("--%1 must be a date YYYY-MM-DD, not \"%2\".").arg(option, value);
}

// The tenant the user named, or the only one with board data.
Result<QString> chooseTenant(QSqlDatabase db, const QString& named) {
    if (!named.isEmpty())
        return named;
    QSqlQuery q(db);
    if (!q.exec(u"SELECT DISTINCT tenant_id FROM bd_site_settings ORDER BY 1"_s))
        return Problem{u"database_error"_s, q.lastError().text(), {}};
    QStringList tenants;
    while (q.next())
        tenants << q.value(0).toString();
    if (q.lastError().isValid())
        return Problem{u"database_error"_s, q.lastError().text(), {}};
    if (tenants.size() == 1)
        return tenants.first();
    if (tenants.isEmpty()) {
        // BOARD-4 needs no board data: the only tenant of the workspace will do.
        if (!q.exec(u"SELECT tenant_id FROM tenants ORDER BY 1"_s))
            return Problem{u"database_error"_s, q.lastError().text(), {}};
        while (q.next())
            tenants << q.value(0).toString();
        if (q.lastError().isValid())
            return Problem{u"database_error"_s, q.lastError().text(), {}};
        if (tenants.size() == 1)
            return tenants.first();
    }
    return Problem{u"tenant_required"_s,
                   BoardViewCommand::tr("Name the tenant with --tenant T (this workspace has: %1).")
                       .arg(tenants.join(u", "_s)),
                   u"tenant"_s};
}

} // namespace

int BoardViewCommand::run(const QStringList& arguments, AppSettings& settings, BoardKind board,
                          Compute compute) {
    CommandParser parser(commandName(board),
                         tr("Prints the %1 of a workspace.").arg(BoardScope::boardName(board)));
    parser.addOption({u"workspace"_s, tr("The workspace file."), u"PATH"_s});
    // A report read from a file handed over leaves it as it was (a copy otherwise takes an identity of its
    // own when opened; helper-88); an export, recorded in the workspace, is refused then.
    parser.addReadOnlyOption();
    parser.addOption({u"tenant"_s, tr("The tenant (default: the only one with board data)."), u"T"_s});
    parser.addOption(
        {u"as"_s, tr("Read as this user: only their sites and boards (default: the owner)."), u"USER"_s});
    if (board != BoardKind::RiskOps)
        parser.addOption({u"site"_s, tr("The site (default: the only one you may open)."), u"S"_s});
    parser.addOption(
        {u"today"_s, tr("The business day to treat as today (default: the site's today)."), u"YYYY-MM-DD"_s});
    if (board == BoardKind::RiskOps)
        parser.addOption({u"now"_s, tr("The instant to treat as now (default: the clock)."), u"ISO-TIME"_s});
    if (board == BoardKind::Coach) {
        parser.addOption({u"month"_s, tr("The salary month (default: this month)."), u"YYYY-MM"_s});
        parser.addOption({u"skill"_s, tr("Only coaches with this skill code."), u"CODE"_s});
        parser.addOption({u"tier"_s, tr("Only coaches of these tiers (comma-separated)."), u"NAMES"_s});
        parser.addOption({u"include-inactive"_s, tr("Also inactive coaches with no activity in the month.")});
    }
    if (board == BoardKind::Customer) {
        parser.addOption({u"dimension"_s,
                          tr("recall, potential, balance, recharge, recent, spend60, freq60 or loyalty."),
                          u"D"_s});
        parser.addOption({u"as-of"_s, tr("The as-of business day (default: today)."), u"YYYY-MM-DD"_s});
        parser.addOption({u"coach"_s, tr("Only members related to this coach id."), u"ID"_s});
    }
    if (board == BoardKind::Finance)
        parser.addOption({u"granularity"_s,
                          tr("The trend's buckets: day, week or month (default: by the period's "
                             "length)."),
                          u"G"_s});
    if (board == BoardKind::RiskOps) {
        parser.addOption({u"as-of"_s, tr("The queue's instant (default: now)."), u"ISO-TIME"_s});
        parser.addOption(
            {u"rule"_s, tr("Only this rule (give it several times for several)."), u"RULE_ID"_s});
        parser.allowRepeated(u"rule"_s);
        parser.addOption({u"severity"_s, tr("Only rules of this severity: low, medium, high or critical."),
                          u"SEVERITY"_s});
        parser.addOption({u"target-type"_s, tr("Only this target type."), u"TYPE"_s});
        parser.addOption({u"reason"_s, tr("Only this reason category."), u"CATEGORY"_s});
        parser.addOption({u"approver"_s, tr("Only exceptions this user acted on."), u"USER_ID"_s});
    }
    if (board == BoardKind::Customer || board == BoardKind::Finance || board == BoardKind::RiskOps) {
        parser.addOption({u"from"_s, tr("The period's first business day."), u"YYYY-MM-DD"_s});
        parser.addOption({u"to"_s, tr("The period's last business day."), u"YYYY-MM-DD"_s});
        parser.addOption({u"preset"_s,
                          tr("A named period: today, yesterday, this_week, last_week, this_month, "
                             "last_month, last_7_days, last_30_days, last_60_days, this_quarter, "
                             "this_year."),
                          u"NAME"_s});
    }
    if (board != BoardKind::Skills) {
        parser.addOption({u"search"_s, tr("Only rows whose name or number contains this text."), u"TEXT"_s});
        parser.addOption(
            {u"sort"_s, tr("Sort by this column, ascending or descending."), u"COLUMN[:asc|desc]"_s});
        parser.addOption({u"page"_s, tr("The page to print (from 1)."), u"N"_s});
        parser.addOption({u"page-size"_s, tr("Rows per page (default 20; 0 prints every row)."), u"N"_s});
        parser.addOption({u"drill"_s, tr("List the rows a cell was computed from."), u"CELL"_s});
    }
    parser.addOption(
        {u"format"_s,
         tr("text (default), json, csv (one section), xlsx (the whole board, every section and row) or pdf "
            "(the whole board, each section's first 200 rows); xlsx and pdf need --output."),
         u"FORMAT"_s});
    parser.addOption({u"section"_s, tr("The section to write as CSV (default: the first)."), u"KEY"_s});
    parser.addOption({u"machine-names"_s, tr("CSV header with the data's column names instead of labels.")});
    parser.addOption({u"no-bom"_s, tr("CSV without the byte-order mark that spreadsheets need for UTF-8.")});
    parser.addOption(
        {u"output"_s,
         tr("Write to this file instead of standard output; an existing directory gets the export's "
            "standard file name."),
         u"FILE"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;

    // Without --format, a file named for a format is written in it: --output f.xlsx wrote plain text into
    // f.xlsx (helper-72).
    const QStringList fileFormats{u"json"_s, u"csv"_s, u"xlsx"_s, u"pdf"_s};
    const QString outputSuffix =
        parser.isSet(u"output"_s) ? QFileInfo(parser.value(u"output"_s)).suffix().toLower() : QString();
    const QString format = parser.isSet(u"format"_s)            ? parser.value(u"format"_s)
                           : fileFormats.contains(outputSuffix) ? outputSuffix
                                                                : u"text"_s;
    if (format != u"text"_s && format != u"json"_s && format != u"csv"_s && format != u"xlsx"_s &&
        format != u"pdf"_s)
        return Console::fail(tr("--format must be text, json, csv, xlsx or pdf, not \"%1\".").arg(format),
                             Console::kUsage);
    // Exports (spec §2.8) hold every row, not the page, and are recorded in the workspace.
    const bool exporting = format == u"csv"_s || format == u"xlsx"_s || format == u"pdf"_s;
    const bool wholeBoard = format == u"xlsx"_s || format == u"pdf"_s;
    // A section is chosen for a CSV only: with another format it was ignored, and the whole board came out
    // as if the key were right (helper-82).
    if (parser.isSet(u"section"_s) && format != u"csv"_s)
        return Console::fail(
            tr("--section chooses the section of a CSV: add --format csv. The %1 output shows every section.")
                .arg(format),
            Console::kUsage);
    if (wholeBoard && !parser.isSet(u"output"_s))
        return Console::fail(
            tr("--format %1 writes a file: give --output FILE (or a directory, for the standard "
               "name, such as finance-board_S1_2026-05-01_2026-05-31_20260601T1030.%1).")
                .arg(format),
            Console::kUsage);
    // The folder, before the board is computed.
    if (exporting && parser.isSet(u"output"_s))
        if (Status s = BoardExportWriter::checkFolder(parser.value(u"output"_s)); !s)
            return Console::fail(s.problem().message, Console::kUsage);
    // A file named for another format is a slip, not a wish: an XLSX written as f.pdf replaced a PDF
    // (helper-71). Text goes to any name but one of the formats'.
    if (parser.isSet(u"output"_s)) {
        const QFileInfo output(parser.value(u"output"_s));
        if (!output.isDir() && !outputSuffix.isEmpty() && outputSuffix != format &&
            (format != u"text"_s || fileFormats.contains(outputSuffix))) {
            if (format == u"text"_s)
                return Console::fail(tr("%1 ends in .%2, but --format text writes plain text: leave --format "
                                        "out, or choose another name.")
                                         .arg(QDir::toNativeSeparators(output.filePath()), output.suffix()),
                                     Console::kUsage);
            return Console::fail(
                tr("%1 ends in .%2, but --format %3 writes a .%3 file: name it %4, or choose "
                   "--format %2.")
                    .arg(QDir::toNativeSeparators(output.filePath()), output.suffix(), format,
                         output.completeBaseName() + u'.' + format),
                Console::kUsage);
        }
    }
    BoardRequest request;
    request.locale = QLocale();
    for (const char* name : {"page", "page-size"}) {
        const QString key = QString::fromLatin1(name);
        if (!parser.isSet(key))
            continue;
        bool ok = false;
        const qint64 n = parser.value(key).toLongLong(&ok);
        if (!ok)
            return Console::fail(tr("--%1 must be a whole number, not \"%2\".").arg(key, parser.value(key)),
                                 Console::kUsage);
        (key == u"page"_s ? request.page : request.pageSize) = n;
    }
    const QString path = parser.value(u"workspace"_s);
    if (path.isEmpty())
        return Console::fail(tr("--workspace PATH is required."), Console::kUsage);
    if (!QFileInfo::exists(path))
        return Console::fail(tr("There is no workspace at %1.").arg(path), Console::kUsage);
    Workspace workspace(settings);
    if (Status s = workspace.openExisting(path, u"riskdesk-board"_s,
                                          parser.isSet(u"read-only"_s) ? WorkspaceAccess::ReadOnly
                                                                       : WorkspaceAccess::Automatic);
        !s)
        return Console::fail(s.problem().message);
    for (const QString& notice : workspace.notices())
        Console::err() << notice << Qt::endl;
    if (Status whole = workspace.ensureVerified(); !whole)
        return Console::fail(whole.problem().message);
    if (exporting)
        if (const auto refusal = workspace.writeRefusal())
            return Console::fail(tr("Exports are recorded in the workspace, which cannot be written: %1")
                                     .arg(refusal->message));

    const auto tenant = chooseTenant(workspace.db(), parser.value(u"tenant"_s));
    if (!tenant)
        return Console::fail(tenant.problem().message,
                             tenant.problem().code == u"tenant_required"_s ? Console::kUsage : 1);
    const auto scope = BoardScope::open(workspace.db(), tenant.value(), parser.value(u"as"_s));
    if (!scope)
        return Console::fail(scope.problem().message);
    if (Status s = scope.value().checkBoard(board); !s)
        return Console::fail(s.problem().message);
    request.tenant = tenant.value();

    // The site and its business day "today".
    QDateTime now = QDateTime::currentDateTimeUtc();
    if (parser.isSet(u"now"_s)) {
        now = QDateTime::fromString(parser.value(u"now"_s), Qt::ISODateWithMs);
        if (!now.isValid() || now.timeSpec() == Qt::LocalTime)
            return Console::fail(tr("--now must be an ISO 8601 time with Z or an offset, not \"%1\".")
                                     .arg(parser.value(u"now"_s)),
                                 Console::kUsage);
    }
    request.nowMs = now.toMSecsSinceEpoch();
    request.today = now.toUTC().date();
    if (board != BoardKind::RiskOps) {
        QString site = parser.value(u"site"_s);
        if (site.isEmpty() && scope.value().sites().size() == 1)
            site = scope.value().sites().first();
        if (scope.value().sites().isEmpty())
            return Console::fail(scope.value().checkSite(site).problem().message);
        if (site.isEmpty())
            return Console::fail(tr("Name the site with --site S (you may open: %1).")
                                     .arg(scope.value().sites().join(u", "_s)),
                                 Console::kUsage);
        if (Status s = scope.value().checkSite(site); !s)
            return Console::fail(s.problem().message);
        const auto clock = scope.value().clockOf(site);
        if (!clock)
            return Console::fail(clock.problem().message);
        request.site = site;
        request.today = clock.value().businessDayOf(request.nowMs);
    }
    if (parser.isSet(u"today"_s)) {
        const auto day = parseDay(parser.value(u"today"_s));
        if (!day)
            return Console::fail(notADay(u"today"_s, parser.value(u"today"_s)), Console::kUsage);
        request.today = *day;
    }

    // The period: a month, a preset, or from/to.
    if (parser.isSet(u"month"_s)) {
        auto month = BoardPeriod::parseMonth(parser.value(u"month"_s), request.today);
        if (!month)
            return Console::fail(month.problem().message, Console::kUsage);
        request.period = month.value();
    }
    if (board == BoardKind::Customer || board == BoardKind::Finance || board == BoardKind::RiskOps) {
        const bool range = parser.isSet(u"from"_s) || parser.isSet(u"to"_s);
        if (range && parser.isSet(u"preset"_s))
            return Console::fail(tr("Give either --preset or --from and --to, not both."), Console::kUsage);
        if (range) {
            for (const QString& key : {u"from"_s, u"to"_s}) {
                if (!parser.isSet(key))
                    return Console::fail(
                        tr("--%1 is missing: a range needs both --from and --to (YYYY-MM-DD).").arg(key),
                        Console::kUsage);
                if (!parseDay(parser.value(key)))
                    return Console::fail(notADay(key, parser.value(key)), Console::kUsage);
            }
            const auto from = parseDay(parser.value(u"from"_s)), to = parseDay(parser.value(u"to"_s));
            auto period = BoardPeriod::customUpTo(*from, *to, request.today);
            if (!period)
                return Console::fail(period.problem().message, Console::kUsage);
            request.period = period.value();
        } else if (parser.isSet(u"preset"_s)) {
            const auto preset = BoardPeriod::presetFromKey(parser.value(u"preset"_s));
            if (!preset || *preset == PeriodPreset::Custom || *preset == PeriodPreset::Month) {
                QStringList keys;
                for (int p = int(PeriodPreset::Today); p < int(PeriodPreset::Custom); ++p)
                    keys << BoardPeriod::presetKey(PeriodPreset(p));
                return Console::fail(tr("There is no period preset \"%1\"; the presets are: %2.")
                                         .arg(parser.value(u"preset"_s), keys.join(u", "_s)),
                                     Console::kUsage);
            }
            request.period = BoardPeriod::preset(*preset, request.today);
        }
    }
    if (parser.isSet(u"as-of"_s)) {
        if (board == BoardKind::RiskOps) {
            const QDateTime asOf = QDateTime::fromString(parser.value(u"as-of"_s), Qt::ISODateWithMs);
            if (!asOf.isValid() || asOf.timeSpec() == Qt::LocalTime)
                return Console::fail(tr("--as-of must be an ISO 8601 time with Z or an offset, not \"%1\".")
                                         .arg(parser.value(u"as-of"_s)),
                                     Console::kUsage);
            request.asOfMs = asOf.toMSecsSinceEpoch();
            if (const auto future = BoardPeriod::queueInstantAfterNow(*request.asOfMs, request.nowMs))
                return Console::fail(future->message, Console::kUsage);
        } else {
            const auto day = parseDay(parser.value(u"as-of"_s));
            if (!day)
                return Console::fail(notADay(u"as-of"_s, parser.value(u"as-of"_s)), Console::kUsage);
            if (const auto future = BoardPeriod::asOfAfterToday(*day, request.today))
                return Console::fail(future->message, Console::kUsage);
            request.asOfDay = *day;
        }
    }
    request.dimension = parser.value(u"dimension"_s);
    request.skill = parser.value(u"skill"_s);
    request.granularity = parser.value(u"granularity"_s);
    if (board == BoardKind::Coach) {
        for (const QString& tier : parser.value(u"tier"_s).split(u',', Qt::SkipEmptyParts))
            if (!tier.trimmed().isEmpty())
                request.tiers << tier.trimmed();
        request.includeInactive = parser.isSet(u"include-inactive"_s);
    }
    request.search = parser.value(u"search"_s);
    request.coach = parser.value(u"coach"_s);
    request.sort = parser.value(u"sort"_s);
    request.drill = parser.value(u"drill"_s);
    if (board == BoardKind::RiskOps) {
        request.rules = parser.values(u"rule"_s);
        request.severity = parser.value(u"severity"_s);
        request.targetType = parser.value(u"target-type"_s);
        request.reasonCategory = parser.value(u"reason"_s);
        request.approver = parser.value(u"approver"_s);
    }

    if (exporting) {
        request.page = 1;
        request.pageSize = 0;
    }
    const auto failed = [&workspace](const Problem& p) {
        if (p.code == u"workspace_damaged"_s)
            workspace.markDamaged(p);
        // A request the board cannot honour names the option: bad usage.
        return Console::fail(p.message,
                             p.field.isEmpty() || p.code == u"workspace_damaged"_s ? 1 : Console::kUsage);
    };
    const auto record = [&](const QString& section, const QString& file, qint64 rows, const QString& hash) {
        BoardExportEntry entry;
        entry.userId = scope.value().userId();
        entry.tenant = request.tenant;
        entry.site = request.site;
        entry.board = BoardExportName::boardSlug(board);
        entry.section = section;
        entry.parametersHash = hash;
        entry.format = format;
        entry.path = file.isEmpty() ? u"-"_s : QFileInfo(file).absoluteFilePath();
        entry.rowCount = rows;
        entry.createdAtMs = QDateTime::currentMSecsSinceEpoch();
        return BoardExportLog::record(workspace.db(), entry);
    };

    if (wholeBoard) {
        auto written = BoardExportWriter::writeBoard(workspace.db(), board, scope.value(), request, format,
                                                     parser.value(u"output"_s), now,
                                                     TrendColors::defaultFor(request.locale));
        if (!written)
            return written.problem().code == u"board_export_record_failed"_s
                       ? Console::fail(written.problem().message)
                       : failed(written.problem());
        Console::err() << tr("%n row(s) written to %1.", nullptr,
                             int(std::min<qint64>(written.value().rows, INT_MAX)))
                              .arg(written.value().path)
                       << Qt::endl;
        return 0;
    }

    const auto report = compute(workspace.db(), scope.value(), request);
    if (!report)
        return failed(report.problem());
    // A page past the last is a mistake to name, not an empty page and success.
    for (const BoardTable& t : report.value().tables()) {
        if (t.pageSize() <= 0 || !t.outcome().showsRows())
            continue;
        const qint64 pages = std::max<qint64>(1, (t.total() + t.pageSize() - 1) / t.pageSize());
        if (request.page > pages)
            return Console::fail(
                tr("--page %1 is past the last page of %2: it has %3 page(s).", nullptr,
                   int(std::min<qint64>(pages, INT_MAX)))
                    .arg(QString::number(request.page), t.title(), request.locale.toString(pages)),
                Console::kUsage);
    }

    QByteArray bytes;
    const BoardTable* csvTable = nullptr;
    if (format == u"json"_s) {
        bytes = QJsonDocument(report.value().toJson()).toJson(QJsonDocument::Indented);
    } else if (format == u"csv"_s) {
        const QString key = parser.value(u"section"_s);
        csvTable = key.isEmpty()
                       ? (report.value().tables().isEmpty() ? nullptr : &report.value().tables().first())
                       : report.value().table(key);
        if (!csvTable) {
            QStringList keys;
            for (const BoardTable& t : report.value().tables())
                keys << t.key();
            return Console::fail(
                tr("There is no section \"%1\"; this board has: %2.").arg(key, keys.join(u", "_s)),
                Console::kUsage);
        }
        bytes = csvTable->toCsv(!parser.isSet(u"no-bom"_s), parser.isSet(u"machine-names"_s));
        // A section with no rows to give (no data, a failed query) or with unavailable fields says why, so an
        // empty or partial file is never taken for a quiet day.
        if (const QString note = csvTable->outcome().headerNote(); !note.isEmpty())
            Console::err() << csvTable->title() << u": "_s << note << Qt::endl;
    } else {
        bytes = report.value().toText(request.locale).toUtf8();
    }
    QString output = parser.value(u"output"_s);
    if (!output.isEmpty() && QFileInfo(output).isDir()) {
        QDateTime at = now;
        if (!request.site.isEmpty())
            if (const auto clock = scope.value().clockOf(request.site))
                at = now.toTimeZone(clock.value().zone());
        // The days the board resolved (its default period when none was asked for), as the XLSX and PDF name
        // theirs; a CSV's section is named too, or two sections exported the same minute share one name.
        const auto [from, to] = BoardExportSet::resolvedRange({report.value()}, request.today);
        output = QDir(output).filePath(BoardExportName::fileName(board, request.site, from, to, at, format,
                                                                 csvTable ? csvTable->key() : QString()));
    }
    // A CSV export is recorded; one that could not be recorded is not kept, and one that could not be written
    // is not recorded. A file is written first (and removed if the record fails); standard output cannot be
    // taken back, so it is recorded first.
    const auto recordCsv = [&]() -> Status {
        if (!csvTable)
            return success();
        const QByteArray hash = QCryptographicHash::hash(
            QJsonDocument(report.value().parameters()).toJson(QJsonDocument::Compact) +
                scope.value().userId().toUtf8(),
            QCryptographicHash::Sha256);
        return record(csvTable->key(), output, csvTable->rows().size(), QString::fromLatin1(hash.toHex()));
    };
    if (!output.isEmpty()) {
        if (Status s = BoardExportWriter::writeWhole(output, bytes); !s)
            return Console::fail(s.problem().message);
        if (Status s = recordCsv(); !s) {
            QFile::remove(output);
            return Console::fail(
                tr("The export could not be recorded, so it was not kept: %1").arg(s.problem().message));
        }
        if (csvTable) { // as the XLSX and PDF exports say what they wrote
            Console::err() << tr("%n row(s) of \"%2\" written to %1.", nullptr,
                                 int(std::min<qsizetype>(csvTable->rows().size(), INT_MAX)))
                                  .arg(QFileInfo(output).absoluteFilePath(), csvTable->title())
                           << Qt::endl;
            // The first section by default: say so, or the others look left out by mistake.
            if (parser.value(u"section"_s).isEmpty() && report.value().tables().size() > 1) {
                QStringList others;
                for (const BoardTable& t : report.value().tables())
                    if (&t != csvTable)
                        others << t.key();
                Console::err() << tr("A CSV holds one section; the board's others are %1 (name one with "
                                     "--section), and --format xlsx writes them all.")
                                      .arg(others.join(u", "_s))
                               << Qt::endl;
            }
        }
        return 0;
    }
    if (Status s = recordCsv(); !s)
        return Console::fail(
            tr("The export could not be recorded, so it was not written: %1").arg(s.problem().message));
    Console::out().flush();
    fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    fflush(stdout);
    return 0;
}

} // namespace riskdesk
