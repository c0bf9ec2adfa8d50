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
      : ops_(problem.ops),
        meter_(meter),
        model_(problem),
        linearized_((ops_.size() + 63) / 64, 0),
        cache_(linearized_.size() + MapModel::WordCount(problem.slot_count())) {
    BuildEntryList();
    for (const SearchOp& op : ops_) required_left_ += op.completed;
  }

  SearchOutcome Run();

 private:
  void BuildEntryList();
  bool OutOfBudget();
  bool TryLinearize(uint32_t op);
  void Backtrack(uint32_t op);
  void Unlink(uint32_t node);
  void Relink(uint32_t node);
  void Flip(uint32_t op);
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

  std::vector<uint64_t> linearized_;  // bitset over ops
  uint64_t linearized_hash_ = 0;
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

bool Searcher::OutOfBudget() {
  ++meter_.steps;
  if (meter_.steps > meter_.step_limit) {
    meter_.exhausted = "step budget";
  } else if ((meter_.steps & 1023) == 0 &&
             std::chrono::steady_clock::now() > meter_.deadline) {
    meter_.exhausted = "wall-time budget";
  }
  return !meter_.exhausted.empty();
}

void Searcher::Flip(uint32_t op) {
  linearized_[op / 64] ^= uint64_t{1} << (op % 64);
  linearized_hash_ ^= FrozenMix64(op + kGoldenGamma);
}

bool Searcher::TryLinearize(uint32_t op) {
  if (!model_.Apply(ops_[op])) return false;
  Flip(op);
  if (meter_.memoize) {
    scratch_.assign(linearized_.begin(), linearized_.end());
    model_.AppendWords(scratch_);
    uint64_t hash =
        FrozenMix64(linearized_hash_ ^ FrozenMix64(model_.hash() + 1));
    if (!cache_.Insert(hash, scratch_)) {
      Flip(op);
      model_.Revert(ops_[op]);
      return false;
    }
    size_t bytes = cache_.MemoryBytes();
    meter_.peak_cache_bytes = std::max(meter_.peak_cache_bytes, bytes);
    if (bytes > meter_.cache_byte_limit) meter_.exhausted = "memory budget";
  }
  Unlink(call_node_[op]);
  Unlink(return_node_[op]);
  stack_.push_back(op);
  required_left_ -= ops_[op].completed;
  RememberDeepestStack();
  return true;
}

void Searcher::Backtrack(uint32_t op) {
  stack_.pop_back();
  deepest_agrees_ = std::min(deepest_agrees_, stack_.size());
  required_left_ += ops_[op].completed;
  // Dancing links: relink in the reverse order of unlinking.
  Relink(return_node_[op]);
  Relink(call_node_[op]);
  Flip(op);
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
    if (OutOfBudget()) {
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

SearchOutcome Search(const SearchProblem& problem, SearchMeter& meter) {
  if (!meter.exhausted.empty()) return {};
  return Searcher(problem, meter).Run();
}

}  // namespace thfuzz::check_internal
