// libFuzzer target: bytes → ApprovalLogCsv::verify, the auditor's check of an exported log file, which may
// come from anyone. Whatever the bytes, it answers: a refusal with a code and a reason, or a verdict whose
// fields agree (a whole log is intact, from the first entry, without gaps; a broken file names its line). The
// text escaping the export writes is undone exactly: unescapeText(escapeText(t)) == t for the input read as
// text.
#include "store/ApprovalLogCsv.h"

#include <QBuffer>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_log_csv: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using riskdesk::ApprovalLogCsv;
    QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    QBuffer in(&bytes);
    in.open(QIODevice::ReadOnly);
    const auto verified = ApprovalLogCsv::verify(&in);
    if (!verified) {
        if (verified.problem().code.isEmpty() || verified.problem().message.isEmpty())
            fail("a refusal without a code or a reason");
    } else {
        const riskdesk::LogCsvVerification& v = verified.value();
        if (v.message.isEmpty())
            fail("a verdict without a message");
        if (v.intact != (v.firstBrokenLine == 0))
            fail("a broken file that names no line, or an intact one that names one");
        if (v.complete && (!v.intact || !v.startsAtGenesis || v.gaps != 0 || v.entries == 0))
            fail("a whole log that is broken, cut at its start, has gaps or holds nothing");
        if (v.linksChecked >= v.entries && v.entries > 0)
            fail("more links checked than there are pairs of entries");
    }
    const QString text = QString::fromUtf8(bytes);
    const auto again = ApprovalLogCsv::unescapeText(ApprovalLogCsv::escapeText(text));
    if (!again || *again != text)
        fail("an escaped text that does not read back as itself");
    return 0;
}
