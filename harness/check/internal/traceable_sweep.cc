// The breadth-first frontier sweep over one key (see traceable_sweep.h).

#include "harness/check/internal/traceable_sweep.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "harness/check/internal/map_model.h"
#include "harness/random.h"

namespace thfuzz::check_internal {
namespace {

// The state "present, with a value nothing left can tell from another".
constexpr int32_t kPresent = -2;
constexpr uint32_t kRoot = 0xffffffff;

// Operations that leave every state as it was (the free moves).
bool ChangesNothing(const SearchOp& op) {
  switch (op.kind) {
    case ModelOpKind::kFind:
    case ModelOpKind::kObserve:
      return true;
    case ModelOpKind::kInsert:
    case ModelOpKind::kErase:
      return op.completed && !op.ok;
    default:
      return false;
  }
}

bool IsRead(const SearchOp& op) {
  return op.kind == ModelOpKind::kFind && op.completed && op.ok;
}

uint64_t Bit(int slot) { return uint64_t{1} << slot; }

// The (mask, state) keys of one frontier's configurations: open addressing
// with a generation per slot, so that moving to the next frontier clears it
// in O(1) however large an earlier frontier made it.
class KeySet {
 public:
  // false if the key was there.
  bool Insert(uint64_t mask, int32_t state) {
    if (2 * (count_ + 1) > slots_.size()) Grow();
    size_t at = Home(mask, state);
    for (;; at = (at + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[at];
      if (slot.generation != generation_) {
        slot = {mask, state, generation_};
        ++count_;
        return true;
      }
      if (slot.mask == mask && slot.state == state) return false;
    }
  }
  void Clear() {
    ++generation_;
    count_ = 0;
  }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint64_t mask;
    int32_t state;
    uint32_t generation;  // the slot is empty unless this is generation_
  };

  size_t Home(uint64_t mask, int32_t state) const {
    return FrozenMix64(mask ^ (uint64_t(uint32_t(state)) << 40)) &
           (slots_.size() - 1);
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(64, 2 * old.size()), Slot{0, 0, 0});
    ++generation_;  // never 0, so the fresh slots read as empty
    count_ = 0;
    for (const Slot& slot : old) {
      if (slot.generation == generation_ - 1) Insert(slot.mask, slot.state);
    }
  }

  std::vector<Slot> slots_;
  uint32_t generation_ = 1;
  size_t count_ = 0;
};

class Sweep {
 public:
  Sweep(const SearchProblem& problem, SearchMeter& meter,
        const SweepLimits& limits);

  SweepOutcome Run();

 private:
  struct Config {
    uint64_t mask = 0;  // linearized open operations, by slot
    int32_t state = kAbsent;
    uint32_t node = kRoot;  // the last step of its path (nodes_)
    uint32_t placed = 0;    // bits set in mask
  };
  struct Node {
    uint32_t parent;
    uint32_t op;
  };

  void SortByTime(std::vector<uint32_t>& indices,
                  uint64_t SearchOp::*time) const;
  int32_t LocalValue(int32_t value);
  std::optional<int32_t> Apply(int32_t state, uint32_t op) const;
  int CountOpen(uint64_t slots, int32_t value) const;
  int ReadsLeft(int32_t value, uint64_t mask) const {
    return reads_left_[value] - CountOpen(mask & read_slots_, value);
  }
  int32_t Canonical(int32_t state, uint64_t mask) const;
  bool Open(uint64_t time);
  void Pass(uint32_t op);
  uint32_t AddNode(uint32_t parent, uint32_t op);
  void TakeFreeMoves(Config& config);
  bool Route(Config config, uint64_t frontier_bit);
  bool OverBudget();
  SweepOutcome CannotDecide(std::string why) const;
  SweepOutcome NotLinearizable() const;
  SweepOutcome Linearizable(const Config& config) const;
  std::vector<uint32_t> Path(uint32_t node) const;
  bool IsWitness(const std::vector<uint32_t>& order) const;

  const SearchProblem& problem_;
  const std::vector<SearchOp>& ops_;
  SearchMeter& meter_;
  SweepLimits limits_;

  absl::flat_hash_map<int32_t, int32_t> local_of_;
  std::vector<int32_t> value_;  // per op: local value id, or kAbsent
  int32_t final_ = kAbsent;     // the snapshot's local value id
  // Per local value: reads not yet passed by the frontier.
  std::vector<int> reads_left_;

  std::vector<uint32_t> frontier_;   // completed ops by (response, index)
  std::vector<uint32_t> by_invoke_;  // ops that can take effect, by invoke
  size_t opened_ = 0;                // prefix of by_invoke_ opened so far
  std::vector<int> slot_of_;         // per op; -1 when not open
  uint32_t slot_op_[64] = {};
  uint64_t used_slots_ = 0, free_slots_ = 0, read_slots_ = 0;
  size_t open_count_ = 0;  // bits set in used_slots_

  std::vector<Node> nodes_;
  size_t passed_ = 0;  // frontier ops placed by every configuration
  size_t deepest_count_ = 0;
  uint32_t deepest_node_ = kRoot;  // a configuration that placed the most
  // This frontier's configurations: explored ones (the frontier op not
  // placed) and those that placed it (the next frontier's).
  std::vector<Config> explored_, next_, work_;
  KeySet explored_keys_, next_keys_;
};

Sweep::Sweep(const SearchProblem& problem, SearchMeter& meter,
             const SweepLimits& limits)
    : problem_(problem),
      ops_(problem.ops),
      meter_(meter),
      limits_(limits),
      value_(ops_.size(), kAbsent),
      slot_of_(ops_.size(), -1) {
  local_of_.reserve(ops_.size() / 2);
  for (uint32_t i = 0; i < ops_.size(); ++i) {
    const SearchOp& op = ops_[i];
    if (IsRead(op) || op.kind == ModelOpKind::kInsert ||
        op.kind == ModelOpKind::kAssign) {
      value_[i] = LocalValue(op.value);
    }
    if (IsRead(op)) ++reads_left_[value_[i]];
    if (op.kind == ModelOpKind::kObserve) {
      int32_t final_value = problem.final_values[0];
      if (final_value != kAbsent) final_ = LocalValue(final_value);
    }
    if (op.completed) frontier_.push_back(i);
    // A find that never returned has no effect and no result.
    if (op.completed || op.kind != ModelOpKind::kFind) by_invoke_.push_back(i);
  }
  // The search's entry order: by time, op index on ties (calls come before
  // returns at equal times, which Open() respects with <=).
  SortByTime(frontier_, &SearchOp::response);
  SortByTime(by_invoke_, &SearchOp::invoke);
}

// Sorts op indices by (time, index). Histories come in invoke order, and
// responses nearly so, which makes this linear.
void Sweep::SortByTime(std::vector<uint32_t>& indices,
                       uint64_t SearchOp::*time) const {
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  keyed.reserve(indices.size());
  for (uint32_t op : indices) keyed.emplace_back(ops_[op].*time, op);
  // Insertion sort while the pairs are nearly in order (each moves past a
  // few others at most); a real sort once they are not.
  size_t moves = 0, budget = 16 * keyed.size();
  for (size_t i = 1; i < keyed.size() && moves <= budget; ++i) {
    for (size_t j = i; j > 0 && keyed[j] < keyed[j - 1]; --j, ++moves) {
      std::swap(keyed[j], keyed[j - 1]);
    }
  }
  if (moves > budget) std::sort(keyed.begin(), keyed.end());
  for (size_t i = 0; i < keyed.size(); ++i) indices[i] = keyed[i].second;
}

int32_t Sweep::LocalValue(int32_t value) {
  auto [it, fresh] =
      local_of_.try_emplace(value, static_cast<int32_t>(reads_left_.size()));
  if (fresh) reads_left_.push_back(0);
  return it->second;
}

std::optional<int32_t> Sweep::Apply(int32_t state, uint32_t index) const {
  const SearchOp& op = ops_[index];
  bool absent = state == kAbsent;
  switch (op.kind) {
    case ModelOpKind::kFind:
      if (op.ok && state != value_[index]) return std::nullopt;
      if (!op.ok && !absent) return std::nullopt;
      return state;
    case ModelOpKind::kInsert:
      // A pending insert on a present key does nothing: leaving it out is
      // the same configuration.
      if (op.ok || !op.completed) {
        return absent ? std::optional(value_[index]) : std::nullopt;
      }
      return absent ? std::nullopt : std::optional(state);
    case ModelOpKind::kAssign:
      return value_[index];
    case ModelOpKind::kErase:
      if (op.ok || !op.completed) {
        return absent ? std::nullopt : std::optional(kAbsent);
      }
      return absent ? std::optional(state) : std::nullopt;
    case ModelOpKind::kClear:
      if (!op.completed && absent) return std::nullopt;
      return kAbsent;
    case ModelOpKind::kObserve:
      return state == final_ ? std::optional(state) : std::nullopt;
    case ModelOpKind::kSize:
      break;
  }
  return std::nullopt;
}

int Sweep::CountOpen(uint64_t slots, int32_t value) const {
  int count = 0;
  for (; slots != 0; slots &= slots - 1) {
    count += value_[slot_op_[std::countr_zero(slots)]] == value;
  }
  return count;
}

int32_t Sweep::Canonical(int32_t state, uint64_t mask) const {
  if (state < 0 || state == final_ || ReadsLeft(state, mask) > 0) {
    return state;
  }
  return kPresent;
}

// Opens every operation invoked at or before `time`; false when more than
// limits_.max_open would be open.
bool Sweep::Open(uint64_t time) {
  for (; opened_ < by_invoke_.size(); ++opened_) {
    uint32_t op = by_invoke_[opened_];
    if (ops_[op].invoke > time) break;
    if (open_count_ >= std::min<size_t>(limits_.max_open, 64)) return false;
    ++open_count_;
    int slot = std::countr_zero(~used_slots_);
    slot_of_[op] = slot;
    slot_op_[slot] = op;
    used_slots_ |= Bit(slot);
    if (ChangesNothing(ops_[op])) free_slots_ |= Bit(slot);
    if (IsRead(ops_[op])) read_slots_ |= Bit(slot);
  }
  return true;
}

// The frontier moves past `op`, which every next configuration placed.
void Sweep::Pass(uint32_t op) {
  if (IsRead(ops_[op])) --reads_left_[value_[op]];
  uint64_t keep = ~Bit(slot_of_[op]);
  used_slots_ &= keep;
  --open_count_;
  free_slots_ &= keep;
  read_slots_ &= keep;
  slot_of_[op] = -1;
  for (Config& config : next_) {
    config.mask &= keep;
    --config.placed;
  }
  ++passed_;
}

uint32_t Sweep::AddNode(uint32_t parent, uint32_t op) {
  nodes_.push_back({parent, op});
  return static_cast<uint32_t>(nodes_.size() - 1);
}

void Sweep::TakeFreeMoves(Config& config) {
  for (uint64_t slots = free_slots_ & ~config.mask; slots != 0;
       slots &= slots - 1) {
    int slot = std::countr_zero(slots);
    if (!Apply(config.state, slot_op_[slot])) continue;
    config.mask |= Bit(slot);
    ++config.placed;
    config.node = AddNode(config.node, slot_op_[slot]);
  }
  config.state = Canonical(config.state, config.mask);
}

// Files a new configuration under this frontier or the next; false when the
// frontier has too many.
bool Sweep::Route(Config config, uint64_t frontier_bit) {
  TakeFreeMoves(config);
  size_t count = passed_ + config.placed;
  if (count > deepest_count_) {
    deepest_count_ = count;
    deepest_node_ = config.node;
  }
  if (config.mask & frontier_bit) {
    if (next_keys_.Insert(config.mask, config.state)) next_.push_back(config);
  } else if (explored_keys_.Insert(config.mask, config.state)) {
    explored_.push_back(config);
    work_.push_back(config);
  }
  return explored_.size() + next_.size() <= limits_.max_width;
}

bool Sweep::OverBudget() {
  if (meter_.Tick()) return true;
  size_t bytes = nodes_.capacity() * sizeof(Node) +
                 explored_keys_.MemoryBytes() + next_keys_.MemoryBytes() +
                 (explored_.capacity() + next_.capacity() + work_.capacity()) *
                     sizeof(Config);
  meter_.peak_cache_bytes = std::max(meter_.peak_cache_bytes, bytes);
  return false;
}

SweepOutcome Sweep::CannotDecide(std::string why) const {
  SweepOutcome outcome;
  outcome.cannot_decide = std::move(why);
  return outcome;
}

// Like the search's deepest stack: the configuration, over all frontiers,
// that linearized the most operations.
SweepOutcome Sweep::NotLinearizable() const {
  SweepOutcome outcome;
  outcome.decided = true;
  outcome.search.verdict = SearchVerdict::kNotLinearizable;
  outcome.search.longest_prefix = Path(deepest_node_);
  return outcome;
}

SweepOutcome Sweep::Linearizable(const Config& config) const {
  std::vector<uint32_t> order = Path(config.node);
  if (!IsWitness(order)) return CannotDecide("its witness failed to replay");
  SweepOutcome outcome;
  outcome.decided = true;
  outcome.search.verdict = SearchVerdict::kLinearizable;
  outcome.search.longest_prefix = std::move(order);
  return outcome;
}

std::vector<uint32_t> Sweep::Path(uint32_t node) const {
  std::vector<uint32_t> order;
  for (; node != kRoot; node = nodes_[node].parent) {
    order.push_back(nodes_[node].op);
  }
  std::reverse(order.begin(), order.end());
  return order;
}

// Every completed op once, each result as the model answers it, and no op
// after one that it precedes in real time.
bool Sweep::IsWitness(const std::vector<uint32_t>& order) const {
  MapModel model(problem_);
  std::vector<bool> placed(ops_.size(), false);
  uint64_t latest_invoke = 0;
  size_t completed = 0;
  for (uint32_t op : order) {
    if (placed[op] || !model.Apply(ops_[op])) return false;
    if (ops_[op].completed && ops_[op].response < latest_invoke) return false;
    placed[op] = true;
    latest_invoke = std::max(latest_invoke, ops_[op].invoke);
    completed += ops_[op].completed;
  }
  return completed == frontier_.size();
}

SweepOutcome Sweep::Run() {
  std::vector<Config> incoming = {Config{}};
  for (uint32_t frontier : frontier_) {
    if (!Open(ops_[frontier].response)) {
      return CannotDecide("more than " + std::to_string(limits_.max_open) +
                          " operations are open at once");
    }
    if (slot_of_[frontier] < 0) {
      return CannotDecide("an operation returns before it is called");
    }
    uint64_t frontier_bit = Bit(slot_of_[frontier]);
    explored_.clear();
    next_.clear();
    explored_keys_.Clear();
    next_keys_.Clear();
    work_.clear();
    bool fits = true;
    for (const Config& config : incoming) {
      fits = fits && Route(config, frontier_bit);
    }
    while (fits && !work_.empty()) {
      Config config = work_.back();
      work_.pop_back();
      if (OverBudget()) {
        SweepOutcome outcome;
        outcome.decided = true;  // kOutOfBudget: the meter says which
        return outcome;
      }
      for (uint64_t slots = used_slots_ & ~free_slots_ & ~config.mask;
           fits && slots != 0; slots &= slots - 1) {
        int slot = std::countr_zero(slots);
        std::optional<int32_t> state = Apply(config.state, slot_op_[slot]);
        if (!state) continue;
        Config step;
        step.mask = config.mask | Bit(slot);
        step.placed = config.placed + 1;
        step.state = Canonical(*state, step.mask);
        step.node = AddNode(config.node, slot_op_[slot]);
        fits = Route(step, frontier_bit);
      }
    }
    if (!fits) {
      return CannotDecide("more than " + std::to_string(limits_.max_width) +
                          " configurations at one frontier");
    }
    if (nodes_.size() * sizeof(Node) > meter_.cache_byte_limit) {
      return CannotDecide("its paths outgrew the memory budget");
    }
    if (next_.empty()) return NotLinearizable();
    Pass(frontier);
    incoming.swap(next_);
  }
  return Linearizable(incoming.front());
}

}  // namespace

bool SweepApplies(const SearchProblem& problem) {
  if (problem.slot_count() != 1 || problem.ops.size() >= kRoot) return false;
  return std::none_of(
      problem.ops.begin(), problem.ops.end(),
      [](const SearchOp& op) { return op.kind == ModelOpKind::kSize; });
}

SweepOutcome SweepTraceable(const SearchProblem& problem, SearchMeter& meter,
                            const SweepLimits& limits) {
  if (!meter.exhausted.empty()) {
    SweepOutcome outcome;
    outcome.decided = true;
    return outcome;
  }
  return Sweep(problem, meter, limits).Run();
}

}  // namespace thfuzz::check_internal
