#pragma once

#include "domain/ApprovalLogEntry.h"
#include "domain/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QIODevice>
#include <QString>

namespace riskdesk {

// What checking an exported log file found: every entry's own hash, and the links between entries that follow
// each other in the file. A filtered export has gaps; only a complete one starts at the genesis entry.
struct LogCsvVerification {
    bool intact = false;
    qint64 entries = 0;
    qint64 linksChecked = 0;
    qint64 gaps = 0;              // places where the file skips entries (a filtered export)
    bool startsAtGenesis = false; // the file holds each tenant's chain from its first entry
    // Only a complete file proves a whole chain: one that starts at the first entry and has no gaps may still
    // have lost its end (its closing mark with it).
    // Every tenant of the file is marked as its whole log up to an entry, and the file holds exactly that.
    bool complete = false;
    qint64 firstBrokenLine = 0; // 0 when intact
    QString message;
};

// The approval log as CSV, safe to open in a spreadsheet and still checkable on its own.
//
// Format: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting (a field holding a comma, a quote or
// a line break is quoted, quotes doubled). Columns: seq, at, tenant_id, record_id, actor_id, identity,
// action, step, status_after, comment, prev_hash, hash (files without identity, from earlier versions, are
// read too). Text fields are escaped so that no spreadsheet runs them and no terminal or viewer is steered by
// them:
//   - a backslash is written as \\;
//   - control characters other than line feed (ESC, tab, carriage return, DEL, C1) and the bidirectional
//     controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) as \u{XXXX};
//   - a field starting with = + - @ or ' gets one ' in front (what spreadsheets show as text).
// Undoing exactly these steps gives the stored value, over which the entry's hash is recomputed.
// An unfiltered export ends with a line per tenant, "#whole-log,<tenant>,<last seq>": the file says it holds
// that tenant's every entry from the first to that one, so a row removed from it (or its first rows) is
// reported as broken, while a file without the line is a selection that proves only its own entries.
class ApprovalLogCsv {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ApprovalLogCsv)

public:
    static QByteArray header();
    static QByteArray row(const ApprovalLogEntry& entry);
    static QByteArray wholeLogMark(const QString& tenantId, qint64 lastSeq);
    static QString escapeText(const QString& text);
    // The stored text again; nullopt when the field is not a valid escaped text.
    static std::optional<QString> unescapeText(const QString& field);

    // Reads an exported file and checks it on its own. A file that cannot be read as this format is a Problem
    // naming the line; a readable file whose hashes do not hold is a verification that is not intact.
    static Result<LogCsvVerification> verify(QIODevice* in);
};

} // namespace riskdesk
