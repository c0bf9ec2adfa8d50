// What a report points at (see focus.h).

#include "harness/report/internal/focus.h"

#include <algorithm>

#include "harness/report/internal/value_origin.h"

namespace thfuzz::report_internal {
namespace {

bool IsValueKind(ViolationKind kind) {
  return kind == ViolationKind::kTornValue ||
         kind == ViolationKind::kForeignValue ||
         kind == ViolationKind::kPhantomValue;
}

void SortUnique(std::vector<size_t>& indices) {
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
}

// The bad value and its key: the offending find's, else the final
// snapshot's entry for the violation's key.
void TraceBadValue(const History& history, const Violation& violation,
                   Focus& focus) {
  if (focus.offending) {
    const Event& read = history.events[*focus.offending];
    if (read.kind == OpKind::kFind && read.completed && read.ok) {
      ValueOrigin origin = TraceValue(history, read.key, read.out);
      focus.value_origin = origin.text;
      focus.value_writers = origin.writers;
      return;
    }
  }
  if (!violation.key) return;
  for (const auto& [key, value] : history.final_state) {
    if (key != *violation.key) continue;
    ValueOrigin origin = TraceValue(history, key, value);
    if (origin.text.empty()) continue;
    focus.final_snapshot = true;
    focus.value_origin = origin.text;
    focus.value_writers = origin.writers;
    return;
  }
}

}  // namespace

Focus FocusOf(const History& history, const Violation& violation) {
  Focus focus;
  size_t size = history.events.size();
  if (violation.offending && *violation.offending < size) {
    focus.offending = violation.offending;
  }
  if (IsValueKind(violation.kind)) TraceBadValue(history, violation, focus);
  focus.final_snapshot |= violation.kind == ViolationKind::kInvariantFailure ||
                          violation.kind == ViolationKind::kBadFinalState;
  for (size_t e : violation.events) {
    if (e < size) focus.named.push_back(e);
  }
  focus.named.insert(focus.named.end(), focus.value_writers.begin(),
                     focus.value_writers.end());
  if (focus.offending) focus.named.push_back(*focus.offending);
  SortUnique(focus.named);
  focus.drawn = focus.named;
  if (focus.drawn.empty()) {
    for (size_t i = 0; i < size && i < kDefaultDrawnEvents; ++i) {
      focus.drawn.push_back(i);
    }
  }
  return focus;
}

}  // namespace thfuzz::report_internal
