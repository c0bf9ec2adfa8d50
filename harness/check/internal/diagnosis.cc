// Classification and minimization of failing problems (see diagnosis.h).

#include "harness/check/internal/diagnosis.h"

#include <algorithm>
#include <set>
#include <utility>

#include "harness/check/internal/decide.h"
#include "harness/check/internal/map_model.h"

namespace thfuzz::check_internal {
namespace {

std::optional<uint32_t> FindBlockedOp(const SearchProblem& problem,
                                      const std::vector<uint32_t>& prefix) {
  std::vector<bool> placed(problem.ops.size(), false);
  for (uint32_t op : prefix) placed[op] = true;
  std::optional<uint32_t> blocked;
  for (uint32_t i = 0; i < problem.ops.size(); ++i) {
    const SearchOp& op = problem.ops[i];
    if (placed[i] || !op.completed) continue;
    if (!blocked || op.response < problem.ops[*blocked].response) blocked = i;
  }
  return blocked;
}

ViolationKind ClassifyMismatch(const SearchOp& op, const SearchOp& answer) {
  switch (op.kind) {
    case ModelOpKind::kFind:
      return op.ok ? ViolationKind::kGhostRead : ViolationKind::kLostKey;
    case ModelOpKind::kInsert:
      // An insert that succeeded on a present key ignored it: lost.
      return op.ok ? ViolationKind::kLostKey : ViolationKind::kWrongResult;
    case ModelOpKind::kErase:
      return op.ok ? ViolationKind::kWrongResult : ViolationKind::kLostKey;
    case ModelOpKind::kSize:
      return ViolationKind::kWrongSize;
    case ModelOpKind::kObserve:
      return ViolationKind::kBadFinalState;
    default:
      return ViolationKind::kWrongResult;
  }
}

ViolationKind Classify(const SearchProblem& problem,
                       const std::vector<uint32_t>& prefix,
                       std::optional<uint32_t> blocked) {
  if (!blocked) return ViolationKind::kWrongResult;
  MapModel model(problem);
  for (uint32_t op : prefix) model.Apply(problem.ops[op]);
  const SearchOp& op = problem.ops[*blocked];
  return ClassifyMismatch(op, model.Answer(op));
}

// A read whose value no remaining write stores would turn a subtle failure
// into a trivial one, so such subsets are not offered as explanations.
bool ReadsAreBacked(const SearchProblem& problem) {
  std::set<std::pair<int32_t, int32_t>> written;
  for (const SearchOp& op : problem.ops) {
    if (op.kind == ModelOpKind::kInsert || op.kind == ModelOpKind::kAssign) {
      written.emplace(op.slot, op.value);
    }
  }
  for (const SearchOp& op : problem.ops) {
    if (op.kind == ModelOpKind::kFind && op.completed && op.ok &&
        !written.count({op.slot, op.value})) {
      return false;
    }
    if (op.kind != ModelOpKind::kObserve) continue;
    for (int32_t slot = 0; slot < problem.slot_count(); ++slot) {
      int32_t value = problem.final_values[slot];
      if (value != kAbsent && !written.count({slot, value})) return false;
    }
  }
  return true;
}

class Minimizer {
 public:
  Minimizer(Diagnosis& diagnosis, SearchMeter& meter, bool fast_path)
      : diagnosis_(diagnosis), meter_(meter), fast_path_(fast_path) {}

  void Run();

 private:
  bool TryKeep(std::vector<uint32_t> keep);
  void DropLaterThanBlocked();
  void NarrowToWindow();
  bool DropChunks(size_t chunk);

  Diagnosis& diagnosis_;
  SearchMeter& meter_;
  bool fast_path_;
};

// Replaces the diagnosis with the subset if it still fails the same way.
bool Minimizer::TryKeep(std::vector<uint32_t> keep) {
  if (!meter_.exhausted.empty()) return false;
  SearchProblem sub = SubProblem(diagnosis_.problem, keep);
  if (!ReadsAreBacked(sub)) return false;
  SearchOutcome outcome = Decide(sub, meter_, fast_path_).outcome;
  if (outcome.verdict != SearchVerdict::kNotLinearizable) return false;
  std::optional<uint32_t> blocked = FindBlockedOp(sub, outcome.longest_prefix);
  if (Classify(sub, outcome.longest_prefix, blocked) != diagnosis_.kind) {
    return false;
  }
  // The same operation must stay the one that cannot be placed, so that the
  // explanation is about the operation first reported.
  if (!blocked || !diagnosis_.blocked ||
      sub.ops[*blocked].event !=
          diagnosis_.problem.ops[*diagnosis_.blocked].event) {
    return false;
  }
  diagnosis_.problem = std::move(sub);
  diagnosis_.prefix = std::move(outcome.longest_prefix);
  diagnosis_.blocked = blocked;
  return true;
}

// Operations invoked after the blocked one returned rarely matter; try
// dropping them all at once before the finer passes.
void Minimizer::DropLaterThanBlocked() {
  if (!diagnosis_.blocked) return;
  uint64_t deadline = diagnosis_.problem.ops[*diagnosis_.blocked].response;
  if (deadline == kNever) return;
  std::vector<uint32_t> keep;
  for (uint32_t i = 0; i < diagnosis_.problem.ops.size(); ++i) {
    if (diagnosis_.problem.ops[i].invoke <= deadline) keep.push_back(i);
  }
  if (keep.size() < diagnosis_.problem.ops.size()) TryKeep(std::move(keep));
}

// Keeps only the latest operations invoked before the blocked one returned,
// the blocked one, the final snapshot, and the writes of every value those
// read: the smallest such window, doubling, that fails the same way.
void Minimizer::NarrowToWindow() {
  const SearchProblem& problem = diagnosis_.problem;
  constexpr size_t kFirstWindow = 16;
  if (!diagnosis_.blocked || problem.ops.size() <= 2 * kFirstWindow) return;
  // Operations invoked after the blocked one returned come after it.
  uint64_t deadline = problem.ops[*diagnosis_.blocked].response;
  std::vector<uint32_t> by_invoke;
  for (uint32_t i = 0; i < problem.ops.size(); ++i) {
    if (problem.ops[i].invoke <= deadline) by_invoke.push_back(i);
  }
  std::stable_sort(by_invoke.begin(), by_invoke.end(),
                   [&](uint32_t a, uint32_t b) {
                     return problem.ops[a].invoke < problem.ops[b].invoke;
                   });
  for (size_t window = kFirstWindow; 2 * window < by_invoke.size();
       window *= 2) {
    std::vector<bool> kept(problem.ops.size(), false);
    std::set<std::pair<int32_t, int32_t>> read;  // (slot, value) seen
    auto keep = [&](uint32_t i) {
      kept[i] = true;
      const SearchOp& op = problem.ops[i];
      if (op.kind == ModelOpKind::kFind && op.completed && op.ok) {
        read.emplace(op.slot, op.value);
      }
      if (op.kind == ModelOpKind::kObserve) {
        for (int32_t slot = 0; slot < problem.slot_count(); ++slot) {
          read.emplace(slot, problem.final_values[slot]);
        }
      }
    };
    for (size_t i = by_invoke.size() - window; i < by_invoke.size(); ++i) {
      keep(by_invoke[i]);
    }
    keep(*diagnosis_.blocked);
    // The writes of what the window reads, wherever they are.
    for (uint32_t i = 0; i < problem.ops.size(); ++i) {
      const SearchOp& op = problem.ops[i];
      bool writes =
          op.kind == ModelOpKind::kInsert || op.kind == ModelOpKind::kAssign;
      if (writes && read.count({op.slot, op.value})) kept[i] = true;
    }
    std::vector<uint32_t> subset;
    for (uint32_t i = 0; i < kept.size(); ++i) {
      if (kept[i]) subset.push_back(i);
    }
    if (subset.size() >= problem.ops.size()) return;
    if (TryKeep(std::move(subset)) || !meter_.exhausted.empty()) return;
  }
}

// One pass dropping runs of `chunk` ops, from the back; true if any went.
bool Minimizer::DropChunks(size_t chunk) {
  bool dropped = false;
  size_t end = diagnosis_.problem.ops.size();
  while (end > 0 && meter_.exhausted.empty()) {
    size_t begin = end > chunk ? end - chunk : 0;
    std::vector<uint32_t> keep;
    for (uint32_t i = 0; i < diagnosis_.problem.ops.size(); ++i) {
      if (i < begin || i >= end) keep.push_back(i);
    }
    // Indices shift after a drop, but ops before `begin` keep theirs.
    if (TryKeep(std::move(keep))) dropped = true;
    end = begin;
  }
  return dropped;
}

void Minimizer::Run() {
  NarrowToWindow();
  DropLaterThanBlocked();
  for (size_t chunk = diagnosis_.problem.ops.size() / 2; chunk > 1;
       chunk /= 2) {
    DropChunks(chunk);
  }
  while (DropChunks(1)) {
  }
}

}  // namespace

Diagnosis Diagnose(const SearchProblem& problem, const SearchOutcome& outcome) {
  Diagnosis diagnosis;
  diagnosis.problem = problem;
  diagnosis.prefix = outcome.longest_prefix;
  diagnosis.blocked = FindBlockedOp(problem, diagnosis.prefix);
  diagnosis.kind = Classify(problem, diagnosis.prefix, diagnosis.blocked);
  diagnosis.original_op_count =
      std::count_if(problem.ops.begin(), problem.ops.end(),
                    [](const SearchOp& op) { return op.event != kNoEvent; });
  return diagnosis;
}

void Minimize(Diagnosis& diagnosis, SearchMeter& meter, bool fast_path) {
  Minimizer(diagnosis, meter, fast_path).Run();
}

}  // namespace thfuzz::check_internal
