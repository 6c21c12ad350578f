// libFuzzer target: bytes → TargetEventBlockCodec::decode (the compact stored form of a target's events, as
// the replay reads it from the workspace). A block is either refused as damage, leaving the events already
// read untouched, or accepted; an accepted block encodes again to bytes that decode to the same events and
// encode to the same bytes.
#include "store/TargetEventBlockCodec.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_event_block: %s\n", what);
    std::abort();
}

QByteArray encodeAll(const std::vector<riskdesk::TargetEvent>& events, size_t from) {
    std::vector<const riskdesk::TargetEvent*> run;
    for (size_t i = from; i < events.size(); ++i)
        run.push_back(&events[i]);
    return riskdesk::TargetEventBlockCodec::encode(run);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using riskdesk::TargetEvent;
    using riskdesk::TargetEventBlockCodec;
    std::vector<TargetEvent> events(1); // an event read before: a refusal must leave it as the only one
    events.front().eventId = QStringLiteral("before");
    const auto status = TargetEventBlockCodec::decode(
        QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size)), events);
    if (!status) {
        if (status.problem().code != QStringLiteral("workspace_damaged") ||
            status.problem().message.isEmpty())
            fail("a refused block that is not named as damage");
        if (events.size() != 1 || events.front().eventId != QStringLiteral("before"))
            fail("a refused block changed the events read before it");
        return 0;
    }
    const QByteArray again = encodeAll(events, 1);
    std::vector<TargetEvent> decoded;
    if (!TargetEventBlockCodec::decode(again, decoded))
        fail("an accepted block, encoded again, is refused");
    if (decoded.size() != events.size() - 1)
        fail("an accepted block, encoded again, holds another number of events");
    if (encodeAll(decoded, 0) != again)
        fail("an accepted block changed on its way through encode and decode");
    return 0;
}
