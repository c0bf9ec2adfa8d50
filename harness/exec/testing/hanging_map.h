// WaitsWithoutPointsMap: a test-only map whose wait loop never reaches a
// scheduling point, the case the watchdog exists for (a third-party map, a
// bug). Tests of the watchdog and of the commands' hang handling share it.

#ifndef THFUZZ_HARNESS_EXEC_TESTING_HANGING_MAP_H_
#define THFUZZ_HARNESS_EXEC_TESTING_HANGING_MAP_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "harness/exec/adapter.h"
#include "harness/stamp.h"

namespace thfuzz {

// find() spins until its key is inserted. Under the controlled executor (one
// OS thread) the insert can never run once the find spins; with `never` set,
// no insert ends the wait under any executor.
class WaitsWithoutPointsMap final : public MapAdapter {
 public:
  explicit WaitsWithoutPointsMap(bool never) : never_(never) {}

  bool Find(uint64_t, Stamp*) override {
    while (!inserted_.load(std::memory_order_acquire)) {
    }
    return true;
  }
  bool Insert(uint64_t, const Stamp&) override {
    if (!never_) inserted_.store(true, std::memory_order_release);
    return true;
  }
  void InsertOrAssign(uint64_t, const Stamp&) override {}
  bool Erase(uint64_t) override { return false; }
  size_t Size() override { return 0; }
  void Clear() override {}
  void Reserve(size_t) override {}
  void ForEach(const std::function<void(uint64_t, const Stamp&)>&) override {}

 private:
  bool never_;
  std::atomic<bool> inserted_{false};
};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_TESTING_HANGING_MAP_H_
