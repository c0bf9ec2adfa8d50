// The Wing–Gong / Lowe linearizability search (see search.h).

#include "harness/check/internal/search.h"

#include <algorithm>
#include <tuple>

#include "harness/check/internal/map_model.h"
#include "harness/check/internal/state_cache.h"
#include "harness/random.h"

namespace thfuzz::check_internal {
namespace {

class Searcher {
 public:
  Searcher(const SearchProblem& problem, SearchMeter& meter)
      : ops_(problem.ops), meter_(meter), model_(problem) {
    BuildEntryList();
    for (const SearchOp& op : ops_) required_left_ += op.completed;
  }

  SearchOutcome Run();

 private:
  void BuildEntryList();
  bool TryLinearize(uint32_t op);
  bool IsNewConfiguration();
  void Backtrack(uint32_t op);
  void Unlink(uint32_t node);
  void Relink(uint32_t node);
  void RememberDeepestStack();

  const std::vector<SearchOp>& ops_;
  SearchMeter& meter_;
  MapModel model_;

  // Doubly linked entry list: node 0 is the head, node tail_ the end; node
  // 1 + i is the i-th entry in time order.
  std::vector<uint32_t> next_, prev_, node_op_;
  std::vector<bool> node_is_return_;
  std::vector<uint32_t> call_node_, return_node_;
  uint32_t tail_ = 0;

  StateCache cache_;
  std::vector<uint64_t> scratch_;

  std::vector<uint32_t> stack_;
  std::vector<uint32_t> deepest_;
  size_t deepest_agrees_ = 0;  // stack_ and deepest_ share this prefix
  size_t required_left_ = 0;
};

void Searcher::BuildEntryList() {
  struct Entry {
    uint64_t time;
    bool is_return;
    uint32_t op;
  };
  std::vector<Entry> entries;
  entries.reserve(2 * ops_.size());
  for (uint32_t i = 0; i < ops_.size(); ++i) {
    entries.push_back({ops_[i].invoke, false, i});
    entries.push_back({ops_[i].response, true, i});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.time, a.is_return, a.op) <
           std::tie(b.time, b.is_return, b.op);
  });
  tail_ = static_cast<uint32_t>(entries.size() + 1);
  next_.resize(tail_ + 1);
  prev_.resize(tail_ + 1);
  node_op_.resize(tail_ + 1);
  node_is_return_.resize(tail_ + 1);
  call_node_.resize(ops_.size());
  return_node_.resize(ops_.size());
  for (uint32_t node = 0; node <= tail_; ++node) {
    next_[node] = node + 1;
    prev_[node] = node - 1;
  }
  for (uint32_t i = 0; i < entries.size(); ++i) {
    uint32_t node = i + 1;
    node_op_[node] = entries[i].op;
    node_is_return_[node] = entries[i].is_return;
    (entries[i].is_return ? return_node_ : call_node_)[entries[i].op] = node;
  }
}

bool Searcher::TryLinearize(uint32_t op) {
  if (!model_.Apply(ops_[op])) return false;
  Unlink(call_node_[op]);
  Unlink(return_node_[op]);
  if (meter_.memoize && !IsNewConfiguration()) {
    Relink(return_node_[op]);
    Relink(call_node_[op]);
    model_.Revert(ops_[op]);
    return false;
  }
  stack_.push_back(op);
  required_left_ -= ops_[op].completed;
  RememberDeepestStack();
  return true;
}

// The linearized set is every op whose call entry comes before the first
// return entry still in the list (the frontier), less the calls still in
// the list before it: ops that returned earlier are all linearized, so only
// the few open at the frontier can differ. The configuration is recorded
// as the frontier, those remaining calls and the model state, which takes
// O(open ops) words however long the history is.
bool Searcher::IsNewConfiguration() {
  scratch_.clear();
  uint32_t node = next_[0];
  uint64_t packed = 0;
  size_t halves = 0;
  for (; node != tail_ && !node_is_return_[node]; node = next_[node]) {
    packed = packed << 32 | node;
    if (++halves % 2 == 0) scratch_.push_back(packed);
  }
  packed = packed << 32 | node;
  scratch_.push_back(packed);
  scratch_.push_back(halves);
  model_.AppendWords(scratch_);
  uint64_t hash = model_.hash();
  for (uint64_t word : scratch_) hash = FrozenMix64(hash ^ word) + kGoldenGamma;
  bool fresh = cache_.Insert(hash, scratch_);
  size_t bytes = cache_.MemoryBytes();
  meter_.peak_cache_bytes = std::max(meter_.peak_cache_bytes, bytes);
  if (bytes > meter_.cache_byte_limit) meter_.exhausted = "memory budget";
  return fresh;
}

void Searcher::Backtrack(uint32_t op) {
  stack_.pop_back();
  deepest_agrees_ = std::min(deepest_agrees_, stack_.size());
  required_left_ += ops_[op].completed;
  // Dancing links: relink in the reverse order of unlinking.
  Relink(return_node_[op]);
  Relink(call_node_[op]);
  model_.Revert(ops_[op]);
}

void Searcher::Unlink(uint32_t node) {
  next_[prev_[node]] = next_[node];
  prev_[next_[node]] = prev_[node];
}

void Searcher::Relink(uint32_t node) {
  next_[prev_[node]] = node;
  prev_[next_[node]] = node;
}

// Copies only the part of the stack that changed since the last record, so
// tracking the deepest stack costs O(1) amortized per step.
void Searcher::RememberDeepestStack() {
  if (stack_.size() <= deepest_.size()) return;
  deepest_.resize(deepest_agrees_);
  deepest_.insert(deepest_.end(), stack_.begin() + deepest_agrees_,
                  stack_.end());
  deepest_agrees_ = stack_.size();
}

SearchOutcome Searcher::Run() {
  SearchOutcome outcome;
  uint32_t node = next_[0];
  while (required_left_ > 0) {
    if (meter_.Tick()) {
      outcome.verdict = SearchVerdict::kOutOfBudget;
      outcome.longest_prefix = deepest_;
      return outcome;
    }
    uint32_t op = node_op_[node];
    if (node != tail_ && !node_is_return_[node]) {
      if (TryLinearize(op)) {
        node = next_[0];
      } else {
        node = next_[node];
      }
      continue;
    }
    // `op` had to be linearized before its return: undo the latest choice.
    if (stack_.empty()) {
      outcome.verdict = SearchVerdict::kNotLinearizable;
      outcome.longest_prefix = deepest_;
      return outcome;
    }
    uint32_t undone = stack_.back();
    Backtrack(undone);
    node = next_[call_node_[undone]];
  }
  outcome.verdict = SearchVerdict::kLinearizable;
  outcome.longest_prefix = stack_;
  return outcome;
}

}  // namespace

bool SearchMeter::Tick() {
  ++steps;
  if (!exhausted.empty()) return true;
  if (steps > step_limit) {
    exhausted = "step budget";
  } else if ((steps & 1023) == 0 &&
             std::chrono::steady_clock::now() > deadline) {
    exhausted = "wall-time budget";
  }
  return !exhausted.empty();
}

SearchOutcome Search(const SearchProblem& problem, SearchMeter& meter) {
  if (!meter.exhausted.empty()) return {};
  return Searcher(problem, meter).Run();
}

}  // namespace thfuzz::check_internal
