// SearchProblem: a history translated into the form the search works on.
//
// The search never looks at stamps or 64-bit keys. Every distinct stamp in a
// history gets a small value id (ValueTable), every key a slot in the model's
// array, and every event a SearchOp carrying its interval and recorded result
// in those terms. The final snapshot becomes one more operation, kObserve,
// invoked after everything else and never returning, so that every
// linearization must end in exactly that state.
//
// BuildProblems() cuts a history the two ways the checker needs it: one
// problem per key (the key's own operations plus every clear, which also acts
// on it) and, when the history has size or clear or the caller asks, one
// problem over the whole map. Reserve has no effect and no result, so it is
// left out everywhere.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_SEARCH_PROBLEM_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_SEARCH_PROBLEM_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/history.h"

namespace thfuzz::check_internal {

inline constexpr int32_t kAbsent = -1;
inline constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
inline constexpr size_t kNoEvent = std::numeric_limits<size_t>::max();

enum class ModelOpKind : uint8_t {
  kFind,
  kInsert,
  kAssign,
  kErase,
  kSize,
  kClear,
  kObserve,  // the final snapshot
};

struct SearchOp {
  ModelOpKind kind = ModelOpKind::kFind;
  // false: never returned; the op may be linearized after its invoke or
  // left out entirely. kObserve is completed but returns at kNever.
  bool completed = true;
  bool ok = false;          // find / insert / erase result
  int32_t slot = -1;        // key slot; -1 for whole-map operations
  int32_t value = kAbsent;  // id written (insert, assign) or read (find ok)
  uint64_t size = 0;        // size result
  uint64_t invoke = 0;
  uint64_t response = kNever;  // kNever unless completed (kObserve: kNever)
  size_t event = kNoEvent;     // index into History::events
};

// Stamps by id, so that ids can be turned back into labels.
class ValueTable {
 public:
  int32_t Intern(const Stamp& stamp);
  void Reserve(size_t count);  // room for `count` distinct stamps
  // kAbsent if the stamp never appeared in the history.
  int32_t Find(const Stamp& stamp) const;
  const Stamp& stamp(int32_t id) const { return stamps_[id]; }
  size_t size() const { return stamps_.size(); }

 private:
  struct StampHash {
    size_t operator()(const Stamp& s) const;
  };
  absl::flat_hash_map<Stamp, int32_t, StampHash> ids_;
  std::vector<Stamp> stamps_;
};

struct SearchProblem {
  std::vector<uint64_t> slot_keys;  // slot -> 64-bit key
  std::vector<SearchOp> ops;
  std::vector<int32_t> final_values;  // per slot, for kObserve

  int32_t slot_count() const { return static_cast<int32_t>(slot_keys.size()); }
};

struct ProblemSet {
  ValueTable values;
  std::vector<SearchProblem> per_key;  // ordered by key
  // Size or clear occurs, so the per-key verdicts do not settle the history.
  bool needs_whole_map = false;
  // Its keys and final values always; its ops only when needed or asked for.
  SearchProblem whole_map;
};

ProblemSet BuildProblems(const History& history, bool whole_map_wanted);

// The same problem restricted to the ops whose indices are in `keep`
// (ascending).
SearchProblem SubProblem(const SearchProblem& problem,
                         const std::vector<uint32_t>& keep);

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_SEARCH_PROBLEM_H_
