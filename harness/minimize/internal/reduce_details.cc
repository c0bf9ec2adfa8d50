// Detail reductions: scheduling decisions, key indices, map settings.

#include <algorithm>
#include <array>
#include <bitset>
#include <vector>

#include "harness/minimize/internal/reduction_passes.h"

namespace thfuzz::minimize_internal {
namespace {

// Values below `value` that can make any choice `value` makes: a decision
// picks `byte % n` among n <= 8 runnable threads, and `byte % n` is itself
// below 8. Ascending, so the first success is the smallest.
std::vector<uint8_t> LowerDecisionValues(uint8_t value) {
  std::vector<uint8_t> values;
  for (uint8_t v = 0; v < std::min<uint8_t>(value, Schedule::kMaxThreads);
       ++v) {
    values.push_back(v);
  }
  return values;
}

Schedule WithKeysRenamed(const Schedule& schedule,
                         const std::array<uint8_t, Schedule::kMaxKeys>& to) {
  Schedule result = schedule;
  for (auto& ops : result.threads) {
    for (Operation& op : ops) {
      if (IsSingleKey(op.kind)) op.key = to[op.key];
    }
  }
  return result;
}

std::array<uint8_t, Schedule::kMaxKeys> IdentityRenaming() {
  std::array<uint8_t, Schedule::kMaxKeys> to{};
  for (size_t k = 0; k < to.size(); ++k) to[k] = static_cast<uint8_t>(k);
  return to;
}

// Keys renumbered 0, 1, 2, ... in order of first use.
Schedule WithKeysInOrderOfUse(const Schedule& schedule) {
  std::array<uint8_t, Schedule::kMaxKeys> to = IdentityRenaming();
  std::bitset<Schedule::kMaxKeys> seen;
  uint8_t next = 0;
  for (const auto& ops : schedule.threads) {
    for (const Operation& op : ops) {
      if (!IsSingleKey(op.kind) || seen[op.key]) continue;
      seen.set(op.key);
      to[op.key] = next++;
    }
  }
  return WithKeysRenamed(schedule, to);
}

bool TryEach(CandidateTester& tester, const std::vector<Schedule>& candidates) {
  for (const Schedule& candidate : candidates) {
    if (tester.Try(candidate)) return true;
  }
  return false;
}

}  // namespace

bool DropDecisions(CandidateTester& tester) {
  return RemoveChunks(
      tester, [](const Schedule& s) { return s.decisions.size(); },
      [](const Schedule& s, size_t begin, size_t end) {
        Schedule result = s;
        result.decisions.erase(result.decisions.begin() + begin,
                               result.decisions.begin() + end);
        return result;
      });
}

bool LowerDecisions(CandidateTester& tester) {
  bool changed = false;
  for (size_t i = 0; i < tester.current().decisions.size(); ++i) {
    if (tester.stopped()) break;
    for (uint8_t value : LowerDecisionValues(tester.current().decisions[i])) {
      Schedule candidate = tester.current();
      candidate.decisions[i] = value;
      if (tester.Try(candidate)) {
        changed = true;
        break;
      }
    }
  }
  return changed;
}

bool RenameKeys(CandidateTester& tester) {
  bool changed = tester.Try(WithKeysInOrderOfUse(tester.current()));
  for (size_t k = Schedule::kMaxKeys; k-- > 1;) {
    if (tester.stopped()) break;
    if (!KeysUsed(tester.current())[k]) continue;
    for (size_t smaller = 0; smaller < k; ++smaller) {
      std::array<uint8_t, Schedule::kMaxKeys> to = IdentityRenaming();
      to[k] = static_cast<uint8_t>(smaller);
      if (tester.Try(WithKeysRenamed(tester.current(), to))) {
        changed = true;
        break;
      }
    }
  }
  std::bitset<Schedule::kMaxKeys> used = KeysUsed(tester.current());
  size_t needed = 1;
  for (size_t k = 0; k < Schedule::kMaxKeys; ++k) {
    if (used[k]) needed = k + 1;
  }
  Schedule fewer = tester.current();
  fewer.key_count = static_cast<uint8_t>(needed);
  changed |= tester.Try(fewer);
  return changed;
}

bool LowerMapSettings(CandidateTester& tester) {
  bool changed = false;
  auto lower = [&](auto change) {
    std::vector<Schedule> candidates;
    for (int step : {0, 1}) {
      Schedule candidate = tester.current();
      change(candidate, step);
      candidates.push_back(candidate);
    }
    changed |= TryEach(tester, candidates);
  };
  lower([](Schedule& s, int step) {
    s.shards_log2 = step == 0 || s.shards_log2 == 0 ? 0 : s.shards_log2 - 1;
  });
  lower([](Schedule& s, int step) {
    s.initial_capacity = step == 0 ? 0 : s.initial_capacity / 2;
  });
  lower([](Schedule& s, int) { s.key_shape = KeyShape::kSpread; });
  lower([](Schedule& s, int) { s.seed = 0; });
  return changed;
}

bool LowerGranularity(CandidateTester& tester) {
  std::vector<Schedule> candidates;
  for (Granularity lower : {Granularity::kCoarse, Granularity::kFine}) {
    if (lower >= tester.current().granularity) continue;
    Schedule candidate = tester.current();
    candidate.granularity = lower;
    candidates.push_back(candidate);
  }
  return TryEach(tester, candidates);
}

}  // namespace thfuzz::minimize_internal
