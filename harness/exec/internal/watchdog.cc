// The process-wide watchdog thread and the hang handler (watchdog.h).

#include "harness/exec/internal/watchdog.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <utility>

#include "harness/key_space.h"

namespace thfuzz {
namespace exec_internal {
namespace {

using Clock = std::chrono::steady_clock;

// "T1#3 find k2".
std::string OperationLabel(const Schedule& schedule, size_t thread, int index) {
  std::string label =
      "T" + std::to_string(thread) + "#" + std::to_string(index);
  const Operation& op = schedule.threads[thread][index];
  label += " " + std::string(OpKindName(op.kind));
  if (IsSingleKey(op.kind)) label += " k" + std::to_string(op.key);
  return label;
}

}  // namespace

std::string Heartbeat::Describe(const Schedule& schedule) const {
  std::string text = "T" + std::to_string(running_);
  int index = operation_[running_];
  if (index >= 0) {
    text += " (in " + OperationLabel(schedule, running_, index) + ")";
  }
  return text + "; its last scheduling point was " +
         LastPoint(running_, nullptr);
}

std::string Heartbeat::LastPoint(
    size_t thread,
    const std::function<std::string(const void*)>& name_address) const {
  const Point& last = last_[thread];
  switch (last.kind) {
    case Point::kOperationStart:
      return "at the start of its operation";
    case Point::kSite:
      return "at the map's " + std::string(tophash::SiteName(last.site)) +
             " point";
    case Point::kAccess:
      return "before " +
             DescribeAccess(last.access,
                            name_address && last.access.address != nullptr
                                ? name_address(last.access.address)
                                : std::string());
  }
  return "";
}

// One thread for the whole process, started by the first guard.
class Watchdog {
 public:
  static Watchdog& Get() {
    static Watchdog* watchdog = new Watchdog;  // never destroyed
    return *watchdog;
  }

  void Register(WatchdogGuard* guard) {
    std::lock_guard<std::mutex> lock(mu_);
    for (Heartbeat* heartbeat : guard->heartbeats_) Reset(*heartbeat);
    guards_.push_back(guard);
    if (!started_) {
      started_ = true;
      std::thread([this] { Loop(); }).detach();
    }
  }
  void Unregister(WatchdogGuard* guard) {
    std::lock_guard<std::mutex> lock(mu_);
    guards_.erase(std::find(guards_.begin(), guards_.end(), guard));
  }

  HangHandler SetHandler(HangHandler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(handler_, std::move(handler));
  }

 private:
  static void Reset(Heartbeat& heartbeat) {
    heartbeat.seen_beats_ = heartbeat.beats_.load(std::memory_order_acquire);
    heartbeat.seen_at_ = Clock::now();
  }

  [[noreturn]] void Loop() {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard<std::mutex> lock(mu_);
      for (WatchdogGuard* guard : guards_) Check(*guard);
    }
  }

  void Check(WatchdogGuard& guard) {
    for (Heartbeat* heartbeat : guard.heartbeats_) {
      uint64_t beats = heartbeat->beats_.load(std::memory_order_acquire);
      bool busy = heartbeat->busy_.load(std::memory_order_acquire);
      if (beats != heartbeat->seen_beats_ || !busy) {
        Reset(*heartbeat);
        continue;
      }
      auto stalled = Clock::now() - heartbeat->seen_at_;
      if (stalled >= guard.options_.watchdog) Fire(guard, *heartbeat);
    }
  }

  [[noreturn]] void Fire(WatchdogGuard& guard, const Heartbeat& heartbeat) {
    Violation violation;
    violation.kind = ViolationKind::kLiveness;
    violation.summary = "no scheduling point for " +
                        std::to_string(guard.options_.watchdog.count()) +
                        " ms in " + heartbeat.Describe(guard.schedule_);
    violation.explanation =
        "The thread is trapped in a loop (or a blocking wait) that never "
        "reaches a scheduling point, so no executor can interleave or abort "
        "it. The watchdog ends the process.";
    HangReport report{violation, guard.schedule_, guard.options_};
    if (handler_) {
      handler_(report);
    } else {
      std::fprintf(stderr, "tophash-fuzz: liveness violation: %s\n",
                   violation.summary.c_str());
    }
    std::fflush(stdout);
    std::fflush(stderr);
    std::abort();
  }

  std::mutex mu_;
  std::vector<WatchdogGuard*> guards_;
  HangHandler handler_;
  bool started_ = false;
};

WatchdogGuard::WatchdogGuard(const Schedule& schedule,
                             const RunOptions& options,
                             std::vector<Heartbeat*> heartbeats)
    : schedule_(schedule),
      options_(options),
      heartbeats_(std::move(heartbeats)) {
  if (options.watchdog.count() <= 0) return;
  Watchdog::Get().Register(this);
  registered_ = true;
}

WatchdogGuard::~WatchdogGuard() {
  if (registered_) Watchdog::Get().Unregister(this);
}

}  // namespace exec_internal

HangHandler SetHangHandler(HangHandler handler) {
  return exec_internal::Watchdog::Get().SetHandler(std::move(handler));
}

}  // namespace thfuzz
