// Search: decides whether one SearchProblem is linearizable.
//
// This is the Wing & Gong backtracking search with Lowe's memoization, in the
// shape Porcupine popularized. Every operation contributes a call entry and a
// return entry to one list sorted by time (calls before returns at equal
// times, because intervals are closed). Walking the list from the front, the
// search may linearize any operation whose call it meets before the first
// remaining return: those are exactly the operations that no unlinearized
// operation precedes in real time. Linearizing an operation applies it to the
// model (it must give the recorded result), unlinks both its entries, pushes
// it on a stack and restarts the walk. Meeting a return means that operation
// should already have been linearized, so the search pops the stack, undoes
// the model, relinks the entries and tries the next call after the popped
// one. The history is linearizable once every completed operation (and the
// final snapshot) is on the stack; operations that never returned may be
// placed or left out. An empty stack at a return means no order exists.
//
// Memoization: before committing to a step the search records the
// configuration it leads to (linearized set + model state) in a StateCache
// and skips it if it was reached before. The linearized set is encoded by
// the first return entry left in the list and the call entries left before
// it (every op that returned earlier is linearized), so a configuration
// costs O(operations open at once) words, not O(history length). A SearchMeter
// shared by consecutive searches bounds steps, cache bytes and wall time;
// running out yields kOutOfBudget instead of an answer, never a hang.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_SEARCH_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_SEARCH_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/check/internal/search_problem.h"

namespace thfuzz::check_internal {

struct SearchMeter {
  uint64_t step_limit = 0;      // over every search that shares this meter
  size_t cache_byte_limit = 0;  // per search
  std::chrono::steady_clock::time_point deadline;
  bool memoize = true;

  uint64_t steps = 0;
  size_t peak_cache_bytes = 0;
  std::string exhausted;  // which budget ran out; "" while none has

  // Counts one step; true once the step or wall-time budget has run out
  // (or another budget already had), with `exhausted` saying which.
  bool Tick();
};

enum class SearchVerdict { kLinearizable, kNotLinearizable, kOutOfBudget };

struct SearchOutcome {
  SearchVerdict verdict = SearchVerdict::kOutOfBudget;
  // The deepest stack the search reached: op indices in linearization order.
  // When the verdict is kNotLinearizable, no operation can be placed after it.
  std::vector<uint32_t> longest_prefix;
};

SearchOutcome Search(const SearchProblem& problem, SearchMeter& meter);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_SEARCH_H_
