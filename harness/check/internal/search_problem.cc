// Translation of a History into SearchProblems (see search_problem.h).

#include "harness/check/internal/search_problem.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "harness/random.h"

namespace thfuzz::check_internal {

size_t ValueTable::StampHash::operator()(const Stamp& s) const {
  return FrozenMix64(s.key ^ FrozenMix64(s.salt ^ s.checksum) ^
                     (uint64_t{s.writer} << 32 | s.sequence));
}

int32_t ValueTable::Intern(const Stamp& stamp) {
  auto [it, inserted] =
      ids_.try_emplace(stamp, static_cast<int32_t>(stamps_.size()));
  if (inserted) stamps_.push_back(stamp);
  return it->second;
}

void ValueTable::Reserve(size_t count) {
  ids_.reserve(count);
  stamps_.reserve(count);
}

int32_t ValueTable::Find(const Stamp& stamp) const {
  auto it = ids_.find(stamp);
  return it == ids_.end() ? kAbsent : it->second;
}

namespace {

ModelOpKind ModelKind(OpKind kind) {
  switch (kind) {
    case OpKind::kFind:
      return ModelOpKind::kFind;
    case OpKind::kInsert:
      return ModelOpKind::kInsert;
    case OpKind::kInsertOrAssign:
      return ModelOpKind::kAssign;
    case OpKind::kErase:
      return ModelOpKind::kErase;
    case OpKind::kSize:
      return ModelOpKind::kSize;
    case OpKind::kClear:
      return ModelOpKind::kClear;
    case OpKind::kReserve:
      break;
  }
  return ModelOpKind::kClear;  // unreachable: reserve is filtered out
}

// The search needs one time after every invoke and response for the final
// snapshot, and kNever above that. Times are used only for their order, so
// when the history reaches the top of the clock (2^64-2 or 2^64-1, where
// "last + 1" would run into kNever or wrap to 0) they are replaced by their
// ranks among all the history's times; otherwise they are kept as they are.
class TimeScale {
 public:
  explicit TimeScale(const History& history) {
    for (const Event& event : history.events) {
      last_ = std::max(last_, event.invoke);
      if (event.completed) last_ = std::max(last_, event.response);
    }
    if (last_ < kNever - 1) return;
    for (const Event& event : history.events) {
      ranks_.push_back(event.invoke);
      if (event.completed) ranks_.push_back(event.response);
    }
    std::sort(ranks_.begin(), ranks_.end());
    ranks_.erase(std::unique(ranks_.begin(), ranks_.end()), ranks_.end());
    last_ = ranks_.size();
  }

  uint64_t operator()(uint64_t time) const {
    if (ranks_.empty()) return time;
    return 1 + (std::lower_bound(ranks_.begin(), ranks_.end(), time) -
                ranks_.begin());
  }
  // After every invoke and response, so the snapshot follows everything.
  uint64_t observe_time() const { return last_ + 1; }

 private:
  uint64_t last_ = 0;
  std::vector<uint64_t> ranks_;  // sorted distinct times, when rescaled
};

SearchOp TranslateEvent(const Event& event, size_t index, int32_t slot,
                        const TimeScale& scale, ValueTable& values) {
  SearchOp op;
  op.kind = ModelKind(event.kind);
  op.completed = event.completed;
  op.slot = slot;
  op.invoke = scale(event.invoke);
  op.response = event.completed ? scale(event.response) : kNever;
  op.event = index;
  if (IsWrite(event.kind)) op.value = values.Intern(event.value);
  if (!event.completed) return op;
  op.ok = event.ok;
  if (event.kind == OpKind::kFind && event.ok) {
    op.value = values.Intern(event.out);
  }
  op.size = event.size;
  return op;
}

SearchOp ObserveOp(uint64_t time) {
  SearchOp op;
  op.kind = ModelOpKind::kObserve;
  op.invoke = time;
  return op;
}

}  // namespace

ProblemSet BuildProblems(const History& history, bool whole_map_wanted) {
  ProblemSet set;
  // Slots in key order, so per-key problems come out sorted.
  std::map<uint64_t, int32_t> ordered;
  for (const Event& event : history.events) {
    if (IsSingleKey(event.kind)) ordered.emplace(event.key, 0);
    if (event.kind == OpKind::kSize || event.kind == OpKind::kClear) {
      set.needs_whole_map = true;
    }
  }
  for (const auto& [key, stamp] : history.final_state) ordered.emplace(key, 0);
  SearchProblem& whole = set.whole_map;
  absl::flat_hash_map<uint64_t, int32_t> slot_of;
  slot_of.reserve(ordered.size());
  for (auto& [key, slot] : ordered) {
    slot = static_cast<int32_t>(whole.slot_keys.size());
    slot_of[key] = slot;
    whole.slot_keys.push_back(key);
  }
  whole.final_values.assign(whole.slot_keys.size(), kAbsent);
  for (const auto& [key, stamp] : history.final_state) {
    whole.final_values[slot_of[key]] = set.values.Intern(stamp);
  }

  // Per key: its own ops and every clear, all on slot 0. Size is dropped:
  // leaving out an observation can only make a history easier to explain,
  // so a per-key failure still proves the whole history wrong.
  set.per_key.resize(whole.slot_keys.size());
  std::vector<size_t> op_counts(set.per_key.size(), 0);
  size_t clears = 0;
  for (const Event& event : history.events) {
    if (IsSingleKey(event.kind)) ++op_counts[slot_of[event.key]];
    clears += event.kind == OpKind::kClear;
  }
  for (size_t slot = 0; slot < set.per_key.size(); ++slot) {
    SearchProblem& problem = set.per_key[slot];
    problem.slot_keys = {whole.slot_keys[slot]};
    problem.final_values = {whole.final_values[slot]};
    problem.ops.reserve(op_counts[slot] + clears + 1);
  }
  // The whole-map problem only when it will be searched: it doubles the
  // memory of a long history.
  bool build_whole = whole_map_wanted || set.needs_whole_map;
  if (build_whole) whole.ops.reserve(history.events.size() + 1);

  TimeScale scale(history);
  set.values.Reserve(history.events.size());
  for (size_t i = 0; i < history.events.size(); ++i) {
    const Event& event = history.events[i];
    if (event.kind == OpKind::kReserve) continue;
    bool single = IsSingleKey(event.kind);
    int32_t slot = single ? slot_of[event.key] : -1;
    SearchOp op = TranslateEvent(event, i, slot, scale, set.values);
    if (build_whole) whole.ops.push_back(op);
    op.slot = 0;
    if (single) {
      set.per_key[slot].ops.push_back(op);
    } else if (op.kind == ModelOpKind::kClear) {
      for (SearchProblem& problem : set.per_key) problem.ops.push_back(op);
    }
  }
  if (history.has_final_state) {
    SearchOp observe = ObserveOp(scale.observe_time());
    if (build_whole) whole.ops.push_back(observe);
    for (SearchProblem& problem : set.per_key) problem.ops.push_back(observe);
  }
  return set;
}

SearchProblem SubProblem(const SearchProblem& problem,
                         const std::vector<uint32_t>& keep) {
  SearchProblem sub;
  sub.slot_keys = problem.slot_keys;
  sub.final_values = problem.final_values;
  sub.ops.reserve(keep.size());
  for (uint32_t index : keep) sub.ops.push_back(problem.ops[index]);
  return sub;
}

}  // namespace thfuzz::check_internal
