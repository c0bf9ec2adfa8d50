// Merging per-problem linearizations into one (see witness.h).

#include "harness/check/internal/witness.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace thfuzz::check_internal {

std::vector<size_t> MergeOrders(
    const History& history, const std::vector<std::vector<size_t>>& orders) {
  // (point, list, position in the list, event): sorting keeps each list's
  // order at equal points.
  std::vector<std::tuple<uint64_t, size_t, size_t, size_t>> placed;
  for (size_t list = 0; list < orders.size(); ++list) {
    uint64_t point = 0;
    for (size_t position = 0; position < orders[list].size(); ++position) {
      size_t event = orders[list][position];
      point = std::max(point, history.events[event].invoke);
      placed.emplace_back(point, list, position, event);
    }
  }
  for (size_t event = 0; event < history.events.size(); ++event) {
    const Event& reserve = history.events[event];
    if (reserve.kind != OpKind::kReserve || !reserve.completed) continue;
    placed.emplace_back(reserve.invoke, orders.size(), event, event);
  }
  std::sort(placed.begin(), placed.end());
  std::vector<size_t> merged;
  merged.reserve(placed.size());
  for (const auto& entry : placed) merged.push_back(std::get<3>(entry));
  return merged;
}

}  // namespace thfuzz::check_internal
