// codec_fuzzer: the two forms of a schedule must be exact inverses.
//
// Every input is read twice. As binary: decode must give a valid schedule,
// and encode -> decode and print -> parse must give it back unchanged. As
// `.sched` text: the parser must not crash on any bytes, and whatever it
// accepts must survive print -> parse and encode -> decode. A mismatch
// prints both sides and aborts, so libFuzzer saves the input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/codec/codec.h"
#include "harness/codec/sched_text.h"
#include "harness/schedule.h"
#include "tophash/policy.h"

namespace {

using thfuzz::SchedMeta;
using thfuzz::Schedule;

[[noreturn]] void Fail(const char* what, const Schedule& expected,
                       const std::string& detail) {
  std::fprintf(stderr,
               "==thfuzz== codec_fuzzer: %s\n--- expected schedule:\n%s\n"
               "--- detail:\n%s\n",
               what, thfuzz::PrintSchedule(expected).c_str(), detail.c_str());
  std::fflush(stderr);
  std::abort();
}

void CheckBinaryRoundTrip(const Schedule& schedule) {
  const std::vector<uint8_t> bytes = thfuzz::EncodeSchedule(schedule);
  const Schedule again = thfuzz::DecodeSchedule(bytes);
  if (again != schedule) {
    Fail("decode(encode(s)) != s", schedule, thfuzz::PrintSchedule(again));
  }
  if (thfuzz::EncodeSchedule(again) != bytes) {
    Fail("encode is not deterministic", schedule, "");
  }
}

void CheckTextRoundTrip(const Schedule& schedule, const SchedMeta& meta) {
  const std::string text = thfuzz::PrintSchedule(schedule, meta);
  const thfuzz::ParseResult parsed =
      thfuzz::ParseSchedule(text, "codec_fuzzer");
  if (!parsed.ok()) Fail("print(s) does not parse", schedule, parsed.error);
  if (*parsed.schedule != schedule || parsed.meta != meta) {
    Fail("parse(print(s)) != s", schedule,
         thfuzz::PrintSchedule(*parsed.schedule, parsed.meta));
  }
  if (thfuzz::PrintSchedule(*parsed.schedule, parsed.meta) != text) {
    Fail("print(parse(print(s))) != print(s)", schedule, text);
  }
}

// Meta values drawn from the schedule's seed, so the header fields of the
// text form get exercised as well.
SchedMeta MetaFor(const Schedule& schedule) {
  SchedMeta meta;
  const uint64_t seed = schedule.seed;
  if (seed % 3 == 0) return meta;
  meta.expect = seed % 2 ? thfuzz::ViolationKind::kNone
                         : thfuzz::ViolationKind::kGhostRead;
  meta.fault = tophash::kFaults[seed % std::size(tophash::kFaults)].value;
  meta.executor =
      thfuzz::kExecutors[(seed >> 8) % std::size(thfuzz::kExecutors)].value;
  meta.notes = {"codec_fuzzer note", ""};
  return meta;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Schedule decoded = thfuzz::DecodeSchedule(std::span(data, size));
  const std::string invalid = thfuzz::ValidateSchedule(decoded);
  if (!invalid.empty()) Fail("decode gave an invalid schedule", {}, invalid);
  CheckBinaryRoundTrip(decoded);
  CheckTextRoundTrip(decoded, MetaFor(decoded));

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const thfuzz::ParseResult parsed = thfuzz::ParseSchedule(text, "input");
  if (parsed.ok()) {
    CheckBinaryRoundTrip(*parsed.schedule);
    CheckTextRoundTrip(*parsed.schedule, parsed.meta);
  }
  return 0;
}
