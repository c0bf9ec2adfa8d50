// Values no write produced (see stamp_screen.h).

#include "harness/check/internal/stamp_screen.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "harness/random.h"

namespace thfuzz::check_internal {
namespace {

struct KeyedStamp {
  uint64_t key;
  Stamp stamp;
  friend bool operator==(const KeyedStamp&, const KeyedStamp&) = default;
};

struct KeyedStampHash {
  size_t operator()(const KeyedStamp& s) const {
    return FrozenMix64(s.key ^ FrozenMix64(s.stamp.salt) ^ s.stamp.checksum ^
                       s.stamp.key ^
                       (uint64_t{s.stamp.writer} << 32 | s.stamp.sequence));
  }
};

ViolationKind KindOfUnwritten(const Stamp& stamp, uint64_t key) {
  switch (CheckStamp(stamp, key)) {
    case StampCheck::kTorn:
      return ViolationKind::kTornValue;
    case StampCheck::kForeign:
      return ViolationKind::kForeignValue;
    default:
      return ViolationKind::kPhantomValue;
  }
}

std::string WhyUnwritten(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::kTornValue:
      return "its words come from different writes (the stamp's checksum "
             "fails)";
    case ViolationKind::kForeignValue:
      return "it is a whole value written for another key";
    default:
      return "no write of that key in the history stored it";
  }
}

Violation Unwritten(uint64_t key, const Stamp& stamp, std::string reader) {
  Violation violation;
  violation.kind = KindOfUnwritten(stamp, key);
  violation.key = key;
  violation.summary =
      reader + StampLabel(stamp, key) + ", but " + WhyUnwritten(violation.kind);
  violation.explanation =
      violation.summary +
      ".\nNo order of operations can explain a value that was never "
      "written, so no search was needed.";
  return violation;
}

}  // namespace

std::optional<Violation> ScreenStamps(const History& history) {
  absl::flat_hash_set<KeyedStamp, KeyedStampHash> written;
  written.reserve(history.events.size());
  for (const Event& event : history.events) {
    if (IsWrite(event.kind)) written.insert({event.key, event.value});
  }
  for (size_t i = 0; i < history.events.size(); ++i) {
    const Event& event = history.events[i];
    bool read = event.kind == OpKind::kFind && event.completed && event.ok;
    if (!read || written.contains({event.key, event.out})) continue;
    std::string reader = "T" + std::to_string(event.thread) + "#" +
                         std::to_string(event.index) + " find(k" +
                         std::to_string(event.key) + ") returned ok=true ";
    Violation violation = Unwritten(event.key, event.out, reader);
    violation.events = {i};
    return violation;
  }
  if (!history.has_final_state) return std::nullopt;
  for (const auto& [key, stamp] : history.final_state) {
    if (written.contains({key, stamp})) continue;
    return Unwritten(key, stamp,
                     "The final snapshot holds k" + std::to_string(key) + "=");
  }
  return std::nullopt;
}

}  // namespace thfuzz::check_internal
