// libFuzzer target: JSON → RiskExceptionCodec (the exception as the server, the CSV listing and the sync
// read it). Input: a JSON document. An object is read as an exception, an array as an approval chain. What
// is accepted must survive toJson → fromJson unchanged; what is refused must name its field and say why.
#include "domain/RiskExceptionCodec.h"

#include <QJsonDocument>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_exception_codec: %s\n", what);
    std::abort();
}

void checkRefusal(const riskdesk::Problem& problem) {
    if (problem.field.isEmpty() || problem.message.isEmpty() || problem.code.isEmpty())
        fail("a refusal that does not name its field, its code and why");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    using riskdesk::RiskExceptionCodec;
    if (document.isArray()) {
        const auto chain = RiskExceptionCodec::chainFromJson(document.array());
        if (!chain) {
            checkRefusal(chain.problem());
            return 0;
        }
        const auto again = RiskExceptionCodec::chainFromJson(RiskExceptionCodec::chainToJson(chain.value()));
        if (!again || again.value() != chain.value())
            fail("an approval chain changed on its way through chainToJson");
        return 0;
    }
    const auto exception = RiskExceptionCodec::fromJson(document.object());
    if (!exception) {
        checkRefusal(exception.problem());
        return 0;
    }
    const QJsonObject written = RiskExceptionCodec::toJson(exception.value());
    if (written.keys().size() != RiskExceptionCodec::fieldNames().size())
        fail("toJson wrote other fields than fieldNames()");
    const auto again = RiskExceptionCodec::fromJson(written);
    if (!again)
        fail("an accepted exception is refused once written back");
    if (!(again.value() == exception.value()))
        fail("an exception changed on its way through toJson");
    return 0;
}
