// MapAdapter: the one interface through which the harness drives a map.
//
// The tophash map, the oracle and third-party maps (TBB, libcuckoo) all
// implement it, so any executor can run any of them and the harness can test
// maps that nobody here wrote. Keys are 64-bit integers and values are
// 32-byte stamps (stamp.h): the harness never needs other types, and fixing
// them keeps the interface small. Implementations must be safe to call from
// several threads at once, except ForEach and CheckInvariants, which the
// executors call only when no other call is running.

#ifndef THFUZZ_HARNESS_EXEC_ADAPTER_H_
#define THFUZZ_HARNESS_EXEC_ADAPTER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "harness/history.h"
#include "harness/stamp.h"

namespace thfuzz {

class MapAdapter {
 public:
  virtual ~MapAdapter() = default;

  virtual bool Find(uint64_t key, Stamp* out) = 0;
  virtual bool Insert(uint64_t key, const Stamp& value) = 0;  // if absent
  virtual void InsertOrAssign(uint64_t key, const Stamp& value) = 0;
  virtual bool Erase(uint64_t key) = 0;
  virtual size_t Size() = 0;
  virtual void Clear() = 0;
  virtual void Reserve(size_t count) = 0;
  virtual void ForEach(
      const std::function<void(uint64_t, const Stamp&)>& visit) = 0;
  // "" when the map's structure is sound or the map cannot check itself.
  virtual std::string CheckInvariants() { return ""; }
  // For traces: the name of the map's shared word at `address` ("bucket 3
  // keys[2]"), or "" when the map cannot tell.
  virtual std::string DescribeAddress(const void* address) { return ""; }
};

// Calls the map as `event` says (kind, key, value, amount) and records the
// result in `event`. Timestamps are the caller's business.
void ApplyToMap(MapAdapter& map, Event& event);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_ADAPTER_H_
