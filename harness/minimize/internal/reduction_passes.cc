// The round order of the reduction passes and the chunk-removal helper they
// share.

#include "harness/minimize/internal/reduction_passes.h"

#include <algorithm>

namespace thfuzz::minimize_internal {

std::span<const NamedPass> AllReductionPasses() {
  // Decisions go first: with fewer forced switches every later candidate
  // runs closer to the default (PCT) schedule, and truncation is cheap.
  static constexpr NamedPass kPasses[] = {
      {"drop decisions", DropDecisions},
      {"lower granularity", LowerGranularity},
      {"drop threads", DropThreads},
      {"merge threads", MergeThreads},
      {"drop operations", DropOperations},
      {"drop operation pairs", DropOperationPairs},
      {"move into thread 0", MoveIntoThreadZero},
      {"simplify operations", SimplifyOperations},
      {"rename keys", RenameKeys},
      {"lower map settings", LowerMapSettings},
      {"lower decisions", LowerDecisions},
  };
  return kPasses;
}

bool RemoveChunks(CandidateTester& tester,
                  const std::function<size_t(const Schedule&)>& count,
                  const std::function<Schedule(const Schedule&, size_t begin,
                                               size_t end)>& without) {
  bool changed = false;
  for (size_t chunk = count(tester.current()); chunk >= 1; chunk /= 2) {
    size_t end = count(tester.current());
    while (end > 0 && !tester.stopped()) {
      size_t begin = end > chunk ? end - chunk : 0;
      if (tester.Try(without(tester.current(), begin, end))) {
        changed = true;
        end = std::min(begin, count(tester.current()));
      } else {
        end = begin;
      }
    }
    if (tester.stopped()) break;
  }
  return changed;
}

}  // namespace thfuzz::minimize_internal
