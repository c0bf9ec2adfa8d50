// Values no write produced (see stamp_screen.h).

#include "harness/check/internal/stamp_screen.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"

namespace thfuzz::check_internal {
namespace {

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
  violation.kind = UnwrittenValueKind(stamp, key);
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

std::optional<Violation> ScreenStamps(const History& history,
                                      const ProblemSet& problems) {
  // The key slot each value id is written for: one slot, kUnwritten, or
  // kSeveral (a value written for two keys, possible only in hand-made
  // histories; `several` then lists the pairs).
  constexpr int32_t kUnwritten = -1, kSeveral = -2;
  std::vector<int32_t> written_for(problems.values.size(), kUnwritten);
  absl::flat_hash_set<std::pair<int32_t, int32_t>> several;
  const std::vector<SearchProblem>& per_key = problems.per_key;
  for (int32_t slot = 0; slot < int32_t(per_key.size()); ++slot) {
    for (const SearchOp& op : per_key[slot].ops) {
      if (op.kind != ModelOpKind::kInsert && op.kind != ModelOpKind::kAssign) {
        continue;
      }
      int32_t& writer = written_for[op.value];
      if (writer == kUnwritten || writer == slot) {
        writer = slot;
        continue;
      }
      if (writer != kSeveral) several.insert({writer, op.value});
      several.insert({slot, op.value});
      writer = kSeveral;
    }
  }
  auto written = [&](int32_t slot, int32_t value) {
    if (value == kAbsent) return false;
    int32_t writer = written_for[value];
    return writer == slot ||
           (writer == kSeveral && several.contains({slot, value}));
  };
  // The first read, in history order, of a value nobody wrote for its key.
  size_t first = kNoEvent;
  for (int32_t slot = 0; slot < int32_t(per_key.size()); ++slot) {
    for (const SearchOp& op : per_key[slot].ops) {
      if (op.kind == ModelOpKind::kFind && op.completed && op.ok &&
          !written(slot, op.value)) {
        first = std::min(first, op.event);
      }
    }
  }
  if (first != kNoEvent) {
    const Event& event = history.events[first];
    std::string reader = "T" + std::to_string(event.thread) + "#" +
                         std::to_string(event.index) + " find(k" +
                         std::to_string(event.key) + ") returned ok=true ";
    Violation violation = Unwritten(event.key, event.out, reader);
    violation.events = {first};
    violation.offending = first;
    return violation;
  }
  if (!history.has_final_state) return std::nullopt;
  for (const auto& [key, stamp] : history.final_state) {
    auto it = std::lower_bound(
        per_key.begin(), per_key.end(), key,
        [](const SearchProblem& p, uint64_t k) { return p.slot_keys[0] < k; });
    int32_t slot = static_cast<int32_t>(it - per_key.begin());
    if (written(slot, problems.values.Find(stamp))) continue;
    return Unwritten(key, stamp,
                     "The final snapshot holds k" + std::to_string(key) + "=");
  }
  return std::nullopt;
}

}  // namespace thfuzz::check_internal
