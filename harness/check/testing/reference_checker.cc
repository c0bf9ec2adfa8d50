// Brute-force linearizability (see reference_checker.h).

#include "harness/check/testing/reference_checker.h"

#include <vector>

#include "absl/container/flat_hash_map.h"

namespace thfuzz {
namespace {

using Map = absl::flat_hash_map<uint64_t, Stamp>;

class BruteForce {
 public:
  explicit BruteForce(const History& history) : history_(history) {
    placed_.assign(history.events.size(), false);
  }

  bool Run() { return Extend(Map{}); }

 private:
  bool MustPrecede(const Event& a, const Event& b) const {
    return a.completed && a.response < b.invoke;
  }

  bool Placeable(size_t candidate) const {
    if (placed_[candidate]) return false;
    for (size_t other = 0; other < placed_.size(); ++other) {
      if (!placed_[other] &&
          MustPrecede(history_.events[other], history_.events[candidate])) {
        return false;
      }
    }
    return true;
  }

  bool AllCompletedPlaced() const {
    for (size_t i = 0; i < placed_.size(); ++i) {
      if (!placed_[i] && history_.events[i].completed) return false;
    }
    return true;
  }

  bool EndsInSnapshot(const Map& map) const {
    if (!history_.has_final_state) return true;
    if (map.size() != history_.final_state.size()) return false;
    for (const auto& [key, stamp] : history_.final_state) {
      auto it = map.find(key);
      if (it == map.end() || !(it->second == stamp)) return false;
    }
    return true;
  }

  // Runs `event` on `map`; false if its recorded result differs.
  static bool Replay(const Event& event, Map& map) {
    bool ok = false;
    Stamp out;
    uint64_t size = 0;
    switch (event.kind) {
      case OpKind::kFind:
        if (auto it = map.find(event.key); it != map.end()) {
          ok = true;
          out = it->second;
        }
        break;
      case OpKind::kInsert:
        ok = map.try_emplace(event.key, event.value).second;
        break;
      case OpKind::kInsertOrAssign:
        map.insert_or_assign(event.key, event.value);
        return true;
      case OpKind::kErase:
        ok = map.erase(event.key) == 1;
        break;
      case OpKind::kSize:
        size = map.size();
        break;
      case OpKind::kClear:
        map.clear();
        return true;
      case OpKind::kReserve:
        map.reserve(event.amount);
        return true;
    }
    if (!event.completed) return true;
    if (event.kind == OpKind::kSize) return size == event.size;
    if (ok != event.ok) return false;
    return event.kind != OpKind::kFind || !ok || out == event.out;
  }

  bool Extend(const Map& map) {
    if (AllCompletedPlaced() && EndsInSnapshot(map)) return true;
    for (size_t i = 0; i < placed_.size(); ++i) {
      if (!Placeable(i)) continue;
      Map next = map;
      if (!Replay(history_.events[i], next)) continue;
      placed_[i] = true;
      bool found = Extend(next);
      placed_[i] = false;
      if (found) return true;
    }
    return false;
  }

  const History& history_;
  std::vector<bool> placed_;
};

}  // namespace

std::optional<bool> ReferenceIsLinearizable(const History& history) {
  if (history.events.size() > kMaxReferenceEvents) return std::nullopt;
  return BruteForce(history).Run();
}

}  // namespace thfuzz
