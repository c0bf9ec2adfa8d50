// Maps for long runs on the caller's threads (see live_map.h).

#include "harness/exec/live_map.h"

#include <mutex>

#include "harness/exec/internal/executors.h"
#include "harness/exec/internal/tophash_adapter.h"

namespace thfuzz {
namespace {

// The production policy with a fault switched on and an abort flag checked
// at every scheduling point.
class LivePolicy : public tophash::ProductionPolicy {
 public:
  using Mutex = std::mutex;

  LivePolicy(tophash::Fault fault, const std::atomic<bool>* abort)
      : fault_(fault), abort_(abort) {}

  void point(tophash::Site, const void* = nullptr) const {
    if (abort_->load(std::memory_order_relaxed)) throw LiveMapAborted{};
  }
  bool enabled(tophash::Fault fault) const { return fault == fault_; }

 private:
  tophash::Fault fault_;
  const std::atomic<bool>* abort_;
};

}  // namespace

std::unique_ptr<MapAdapter> MakeLiveMap(MapKind kind, tophash::Fault fault,
                                        const Schedule& setup,
                                        const std::atomic<bool>* abort) {
  if (kind != MapKind::kTophash) {
    return exec_internal::MakeUninstrumentedMap(kind);
  }
  return std::make_unique<exec_internal::TophashAdapter<LivePolicy>>(
      setup, LivePolicy(fault, abort));
}

}  // namespace thfuzz
