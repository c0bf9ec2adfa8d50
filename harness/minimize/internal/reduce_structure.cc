// Structural reductions: threads and operations.
//
// Operations are addressed by their position in the flattened list (thread
// 0's operations, then thread 1's, ...), which lets delta debugging remove
// chunks that span threads.

#include <algorithm>
#include <utility>
#include <vector>

#include "harness/minimize/internal/reduction_passes.h"

namespace thfuzz::minimize_internal {
namespace {

struct OpPosition {
  size_t thread;
  size_t index;
};

std::vector<OpPosition> Positions(const Schedule& schedule) {
  std::vector<OpPosition> positions;
  for (size_t t = 0; t < schedule.threads.size(); ++t) {
    for (size_t i = 0; i < schedule.threads[t].size(); ++i) {
      positions.push_back({t, i});
    }
  }
  return positions;
}

// `schedule` without the flattened operations whose positions are marked.
Schedule WithoutMarked(const Schedule& schedule,
                       const std::vector<bool>& marked) {
  Schedule result = schedule;
  size_t flat = 0;
  for (auto& ops : result.threads) {
    std::vector<Operation> kept;
    for (const Operation& op : ops) {
      if (!marked[flat++]) kept.push_back(op);
    }
    ops = std::move(kept);
  }
  return result;
}

Schedule WithoutRange(const Schedule& schedule, size_t begin, size_t end) {
  std::vector<bool> marked(schedule.TotalOps(), false);
  std::fill(marked.begin() + begin, marked.begin() + end, true);
  return WithoutMarked(schedule, marked);
}

bool SameTarget(const Operation& a, const Operation& b) {
  if (IsSingleKey(a.kind) != IsSingleKey(b.kind)) return false;
  return !IsSingleKey(a.kind) || a.key == b.key;
}

}  // namespace

bool DropThreads(CandidateTester& tester) {
  bool changed = false;
  for (size_t t = tester.current().threads.size(); t-- > 0;) {
    if (tester.current().threads.size() <= 1 ||
        t >= tester.current().threads.size())
      continue;
    Schedule candidate = tester.current();
    candidate.threads.erase(candidate.threads.begin() + t);
    changed |= tester.Try(candidate);
  }
  return changed;
}

bool MergeThreads(CandidateTester& tester) {
  bool changed = false;
  for (size_t from = tester.current().threads.size(); from-- > 1;) {
    for (size_t into = 0; into < from && !tester.stopped(); ++into) {
      if (from >= tester.current().threads.size()) break;
      const Schedule& current = tester.current();
      const auto& moved = current.threads[from];
      for (bool before : {true, false}) {
        Schedule candidate = current;
        auto& target = candidate.threads[into];
        target.insert(before ? target.begin() : target.end(), moved.begin(),
                      moved.end());
        candidate.threads.erase(candidate.threads.begin() + from);
        if (tester.Try(candidate)) {
          changed = true;
          break;
        }
      }
    }
  }
  return changed;
}

bool DropOperations(CandidateTester& tester) {
  return RemoveChunks(
      tester, [](const Schedule& s) { return s.TotalOps(); }, WithoutRange);
}

// Inserts and erases of one key often matter only together.
bool DropOperationPairs(CandidateTester& tester) {
  constexpr size_t kMaxOpsForPairs = 64;  // quadratic: keep it bounded
  bool changed = false;
  bool again = true;
  while (again && !tester.stopped()) {
    again = false;
    const Schedule& current = tester.current();
    if (current.TotalOps() > kMaxOpsForPairs) break;
    std::vector<OpPosition> positions = Positions(current);
    for (size_t i = 0; i < positions.size() && !again; ++i) {
      for (size_t j = i + 1; j < positions.size() && !again; ++j) {
        const Operation& a =
            current.threads[positions[i].thread][positions[i].index];
        const Operation& b =
            current.threads[positions[j].thread][positions[j].index];
        if (!SameTarget(a, b)) continue;
        std::vector<bool> marked(positions.size(), false);
        marked[i] = marked[j] = true;
        again = tester.Try(WithoutMarked(current, marked));
      }
    }
    changed |= again;
  }
  return changed;
}

// Thread 0 before the others is as close as a Schedule gets to "a
// sequential prefix": fewer operations in the concurrent part.
bool MoveIntoThreadZero(CandidateTester& tester) {
  bool changed = false;
  for (size_t t = 1; t < tester.current().threads.size(); ++t) {
    bool moved = true;
    while (moved && !tester.stopped() && t < tester.current().threads.size() &&
           !tester.current().threads[t].empty()) {
      moved = false;
      for (bool to_front : {true, false}) {
        Schedule candidate = tester.current();
        Operation op = candidate.threads[t].front();
        candidate.threads[t].erase(candidate.threads[t].begin());
        auto& zero = candidate.threads[0];
        zero.insert(to_front ? zero.begin() : zero.end(), op);
        if (tester.Try(candidate)) {
          moved = changed = true;
          break;
        }
      }
    }
  }
  return changed;
}

bool SimplifyOperations(CandidateTester& tester) {
  bool changed = false;
  std::vector<OpPosition> positions = Positions(tester.current());
  for (const OpPosition& at : positions) {
    if (tester.stopped()) break;
    const Operation op = tester.current().threads[at.thread][at.index];
    std::vector<Operation> simpler;
    if (op.kind == OpKind::kInsertOrAssign) {
      simpler.push_back({OpKind::kInsert, op.key, 0});
    }
    if (op.kind == OpKind::kReserve && op.amount > 0) {
      simpler.push_back({OpKind::kReserve, 0, 0});
      simpler.push_back({OpKind::kReserve, 0, op.amount / 2});
    }
    for (const Operation& replacement : simpler) {
      Schedule candidate = tester.current();
      candidate.threads[at.thread][at.index] = replacement;
      if (tester.Try(candidate)) {
        changed = true;
        break;
      }
    }
  }
  return changed;
}

}  // namespace thfuzz::minimize_internal
