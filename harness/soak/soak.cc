// The soak run: workers, quiescent cuts, and the checker thread (see
// soak.h).

#include "harness/soak/soak.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "harness/exec/live_map.h"
#include "harness/faults.h"
#include "harness/random.h"
#include "harness/soak/internal/window.h"
#include "harness/soak/internal/worker.h"

namespace thfuzz {
namespace {

using Clock = std::chrono::steady_clock;
using soak_internal::Contents;
using soak_internal::Record;
using soak_internal::Window;
using soak_internal::Worker;

constexpr size_t kWindowsInFlight = 2;  // waiting for the checker, at most
constexpr auto kPoll = std::chrono::milliseconds(5);

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); 0 if unknown.
size_t StatusKib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field + ":")) {
      return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10);
    }
  }
  return 0;
}

std::chrono::milliseconds Millis(Clock::duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration);
}

class Soak {
 public:
  explicit Soak(const SoakOptions& options)
      : options_(options), setup_(SoakMapSetup(options)) {}

  SoakResult Run();

 private:
  // One worker thread and what it recorded in the current window.
  struct Lane {
    Lane(uint8_t thread, uint64_t seed, unsigned keys)
        : worker(thread, seed, keys) {}
    Worker worker;
    std::vector<Record> records;
    std::vector<Stamp> odd_reads;
    // Nanoseconds since the start while inside an operation, else 0.
    std::atomic<int64_t> busy_since{0};
    std::thread thread;
  };

  int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() -
                                                                start_)
        .count();
  }
  void Work(Lane& lane);
  bool AnyHung() const;
  bool Park();
  bool Quiesce();
  void Release();
  void StopWorkers();
  bool Cut();
  Window TakeWindow();
  void Enqueue(Window window);
  void CheckWindows();
  void Check(Window window);
  void Found(History window, uint8_t setup_thread, Violation violation,
             std::optional<size_t> anchor, CheckResult checked);
  void ReportLiveness(Window window);
  SoakProgress Progress();

  const SoakOptions& options_;
  Schedule setup_;
  Clock::time_point start_;
  std::atomic<bool> abort_map_{false};
  std::unique_ptr<MapAdapter> map_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<uint64_t> clock_{0};
  std::atomic<uint64_t> window_ops_{0};
  uint64_t recorded_ = 0;  // ops in windows already cut

  // Pausing the workers at a cut.
  std::atomic<bool> pause_{false};
  std::mutex park_mu_;
  std::condition_variable park_cv_;
  size_t parked_ = 0;
  uint64_t generation_ = 0;
  bool stopping_ = false;

  // Windows between the cuts and the checker.
  Contents contents_;  // read at the latest cut
  uint64_t setup_time_ = 0;
  uint64_t windows_cut_ = 0;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Window> queue_;
  bool no_more_windows_ = false;
  std::atomic<bool> found_{false};
  SoakResult result_;  // guarded by queue_mu_ while the checker runs
};

void Soak::Work(Lane& lane) {
  while (true) {
    if (pause_.load(std::memory_order_acquire)) {
      if (!Park()) return;
      continue;
    }
    Record& record = lane.records.emplace_back();
    lane.busy_since.store(Now() | 1, std::memory_order_relaxed);
    lane.worker.Step(*map_, clock_, record, lane.odd_reads);
    lane.busy_since.store(0, std::memory_order_relaxed);
    // A full window (or an odd value) asks for a cut at once, so windows
    // stay near window_ops however late the driver thread gets to run.
    uint64_t ops = window_ops_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (record.odd || ops >= options_.window_ops) {
      pause_.store(true, std::memory_order_release);
    }
    // An aborted operation: wait at the cut, which will stop the run.
    if (!record.completed && !Park()) return;
  }
}

// An operation has run longer than op_timeout (so the next cut must come
// now, to stop it).
bool Soak::AnyHung() const {
  int64_t now = Now();
  for (const auto& lane : lanes_) {
    int64_t since = lane->busy_since.load(std::memory_order_relaxed);
    if (since != 0 &&
        std::chrono::nanoseconds(now - since) > options_.op_timeout) {
      return true;
    }
  }
  return false;
}

// Waits at a cut; false when the run is over.
bool Soak::Park() {
  std::unique_lock<std::mutex> lock(park_mu_);
  uint64_t generation = generation_;
  ++parked_;
  park_cv_.notify_all();
  park_cv_.wait(lock, [&] { return generation_ != generation || stopping_; });
  return !stopping_;
}

// Pauses the workers between operations. An operation that runs longer
// than op_timeout is aborted (tophash); false when one is, or when a worker
// cannot be stopped at all.
bool Soak::Quiesce() {
  pause_.store(true, std::memory_order_release);
  bool hung = false;
  Clock::time_point aborted_at;
  std::unique_lock<std::mutex> lock(park_mu_);
  while (parked_ < lanes_.size()) {
    park_cv_.wait_for(lock, kPoll);
    if (parked_ == lanes_.size()) break;
    if (!hung && AnyHung()) {
      hung = true;
      aborted_at = Clock::now();
      abort_map_.store(true);
    }
    if (hung && Clock::now() - aborted_at > options_.op_timeout) {
      result_.abandoned_threads = true;
      return false;
    }
  }
  return !hung;
}

void Soak::Release() {
  {
    std::lock_guard<std::mutex> lock(park_mu_);
    pause_.store(false, std::memory_order_release);
    parked_ = 0;
    ++generation_;
  }
  park_cv_.notify_all();
}

void Soak::StopWorkers() {
  if (!result_.abandoned_threads) Quiesce();
  {
    std::lock_guard<std::mutex> lock(park_mu_);
    stopping_ = true;
  }
  park_cv_.notify_all();
  for (auto& lane : lanes_) {
    if (!result_.abandoned_threads) {
      lane->thread.join();
      continue;
    }
    // A thread stuck in the map keeps its lane: leak both.
    lane->thread.detach();
    lane.release();
  }
}

// The workers' records since the last cut, as a window (without its end).
Window Soak::TakeWindow() {
  Window window;
  window.index = windows_cut_++;
  window.start = contents_;
  window.setup_time = setup_time_;
  window.setup_thread = static_cast<uint8_t>(lanes_.size());
  for (auto& lane : lanes_) {
    uint32_t offset = static_cast<uint32_t>(window.odd_reads.size());
    for (Record& record : lane->records) {
      if (record.odd) record.argument += offset;
    }
    window.records.insert(window.records.end(), lane->records.begin(),
                          lane->records.end());
    window.odd_reads.insert(window.odd_reads.end(), lane->odd_reads.begin(),
                            lane->odd_reads.end());
    lane->records.clear();
    lane->odd_reads.clear();
  }
  recorded_ += window.records.size();
  window_ops_.store(0, std::memory_order_relaxed);
  return window;
}

// Quiesces, reads the map and hands the window to the checker; false when
// the run must stop (an operation hung).
bool Soak::Cut() {
  if (!Quiesce()) {
    ReportLiveness(TakeWindow());
    return false;
  }
  Window window = TakeWindow();
  map_->ForEach([&](uint64_t key, const Stamp& value) {
    window.end.emplace_back(key, value);
  });
  std::sort(window.end.begin(), window.end.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  window.invariant_report = map_->CheckInvariants();
  contents_ = window.end;
  Enqueue(std::move(window));
  // The next window's setup inserts take [t, t + 1]; its operations come
  // after.
  setup_time_ = clock_.fetch_add(2) + 1;
  return true;
}

void Soak::Enqueue(Window window) {
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_cv_.wait(
      lock, [&] { return queue_.size() < kWindowsInFlight || found_.load(); });
  if (!found_.load()) queue_.push_back(std::move(window));
  queue_cv_.notify_all();
}

void Soak::CheckWindows() {
  while (true) {
    Window window;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return !queue_.empty() || no_more_windows_; });
      if (queue_.empty()) return;
      window = std::move(queue_.front());
      queue_.pop_front();
    }
    queue_cv_.notify_all();
    if (!found_.load()) Check(std::move(window));
  }
}

void Soak::Check(Window window) {
  History history = soak_internal::WindowHistory(window);
  Clock::time_point begin = Clock::now();
  CheckResult result = CheckHistory(history, options_.check);
  auto took = Millis(Clock::now() - begin);
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    SoakProgress& totals = result_.totals;
    ++totals.windows_checked;
    totals.ops_checked += window.records.size();
    totals.unknown_windows += result.verdict == Verdict::kUnknown;
    totals.last_check = took;
    result_.check_time += took;
    result_.max_window_check = std::max(result_.max_window_check, took);
  }
  Violation violation;
  if (result.verdict == Verdict::kViolation) {
    violation = result.violation;
  } else if (!window.invariant_report.empty()) {
    violation.kind = ViolationKind::kInvariantFailure;
    violation.summary = "check_invariants() failed at the cut after window " +
                        std::to_string(window.index);
    violation.explanation = window.invariant_report;
  } else {
    return;
  }
  std::optional<size_t> anchor = result.unplaceable_event;
  if (!anchor && !violation.events.empty()) anchor = violation.events.back();
  Found(std::move(history), window.setup_thread, std::move(violation), anchor,
        std::move(result));
}

// Cuts the violating window down (around `anchor`) and keeps the first
// finding.
void Soak::Found(History window, uint8_t setup_thread, Violation violation,
                 std::optional<size_t> anchor, CheckResult checked) {
  std::vector<size_t> neighbourhood =
      soak_internal::Neighbourhood(window, anchor, setup_thread);
  SoakFinding finding;
  if (IsSequentialFault(options_.fault)) {
    finding.schedule =
        soak_internal::SerialCutSchedule(window, anchor, setup_thread, setup_);
    finding.executor = ExecutorKind::kSerial;
  } else {
    finding.schedule =
        soak_internal::CutSchedule(window, neighbourhood, setup_);
  }
  finding.cut = soak_internal::CutHistory(window, violation, neighbourhood);
  finding.violation = std::move(violation);
  finding.window = std::move(window);
  finding.checked = std::move(checked);
  std::lock_guard<std::mutex> lock(queue_mu_);
  if (!result_.finding) result_.finding = std::move(finding);
  found_.store(true);
  queue_cv_.notify_all();
}

// An operation ran past op_timeout: the window so far, the hung operations
// pending, is the finding.
void Soak::ReportLiveness(Window window) {
  History history = soak_internal::WindowHistory(window);
  history.has_final_state = false;
  Violation violation;
  violation.kind = ViolationKind::kLiveness;
  for (size_t i = 0; i < history.events.size(); ++i) {
    if (!history.events[i].completed) violation.events.push_back(i);
  }
  std::string what = "an operation";
  if (!violation.events.empty()) {
    const Event& hung = history.events[violation.events.front()];
    what = "T" + std::to_string(hung.thread) + "'s " +
           std::string(OpKindName(hung.kind)) +
           (IsSingleKey(hung.kind) ? " of k" + std::to_string(hung.key) : "");
    violation.key =
        IsSingleKey(hung.kind) ? std::optional(hung.key) : std::nullopt;
  }
  violation.summary = what + " ran longer than " +
                      std::to_string(options_.op_timeout.count()) + " ms";
  if (result_.abandoned_threads) {
    violation.summary += " and could not be stopped";
  }
  std::optional<size_t> anchor;
  if (!violation.events.empty()) anchor = violation.events.front();
  Found(std::move(history), window.setup_thread, std::move(violation), anchor,
        CheckResult{});
}

SoakProgress Soak::Progress() {
  SoakProgress progress;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    progress = result_.totals;
  }
  progress.elapsed = Millis(Clock::now() - start_);
  progress.ops = recorded_ + window_ops_.load(std::memory_order_relaxed);
  progress.rss_kib = StatusKib("VmRSS");
  return progress;
}

SoakResult Soak::Run() {
  start_ = Clock::now();
  map_ = MakeLiveMap(options_.map, options_.fault, setup_, &abort_map_);
  for (unsigned t = 0; t < options_.threads; ++t) {
    uint64_t seed = FrozenMix64(options_.seed ^ (kGoldenGamma * (t + 1)));
    lanes_.push_back(
        std::make_unique<Lane>(static_cast<uint8_t>(t), seed, options_.keys));
    lanes_.back()->records.reserve(2 * options_.window_ops / options_.threads);
  }
  std::thread checker([this] { CheckWindows(); });
  for (auto& lane : lanes_) {
    lane->thread = std::thread([this, lane = lane.get()] { Work(*lane); });
  }
  Clock::time_point deadline = start_ + options_.duration;
  Clock::time_point next_progress = start_ + options_.progress_interval;
  while (!found_.load()) {
    {
      // Woken when the last worker parks after asking for a cut.
      std::unique_lock<std::mutex> lock(park_mu_);
      park_cv_.wait_for(lock, kPoll, [&] {
        return pause_.load() && parked_ == lanes_.size();
      });
    }
    Clock::time_point now = Clock::now();
    result_.interrupted = options_.interrupt && options_.interrupt->load();
    bool last = now >= deadline || result_.interrupted;
    if (last || pause_.load() || AnyHung()) {
      if (!Cut() || last) break;
      Release();
    }
    if (options_.on_progress && now >= next_progress) {
      options_.on_progress(Progress());
      next_progress = now + options_.progress_interval;
    }
  }
  StopWorkers();
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    no_more_windows_ = true;
  }
  queue_cv_.notify_all();
  checker.join();
  result_.totals = Progress();
  result_.peak_rss_kib = StatusKib("VmHWM");
  // A thread still inside the map keeps using it.
  if (result_.abandoned_threads) map_.release();
  return std::move(result_);
}

}  // namespace

std::string ValidateSoakOptions(const SoakOptions& options) {
  if (options.threads < 1 || options.threads > kMaxSoakThreads) {
    return "--threads must be 1 to " + std::to_string(kMaxSoakThreads) +
           ", got " + std::to_string(options.threads);
  }
  if (options.keys < 1 || options.keys > Schedule::kMaxKeys) {
    return "--keys must be 1 to " + std::to_string(Schedule::kMaxKeys) +
           " (a finding must replay as a schedule), got " +
           std::to_string(options.keys);
  }
  if (options.duration.count() <= 0) return "--seconds must be at least 1";
  if (options.shards_log2 > Schedule::kMaxShardsLog2) {
    return "--shards-log2 must be 0 to " +
           std::to_string(Schedule::kMaxShardsLog2) + ", got " +
           std::to_string(options.shards_log2);
  }
  if (options.window_ops < 1) return "--window-ops must be at least 1";
  if (options.fault != tophash::Fault::kNone &&
      options.map != MapKind::kTophash) {
    return "--fault needs --map tophash: faults are injected into the tophash "
           "map only";
  }
  return "";
}

Schedule SoakMapSetup(const SoakOptions& options) {
  Schedule setup;
  setup.key_count = static_cast<uint8_t>(options.keys);
  setup.shards_log2 = static_cast<uint8_t>(options.shards_log2);
  setup.seed = options.seed;
  return setup;
}

SoakResult RunSoak(const SoakOptions& options) { return Soak(options).Run(); }

}  // namespace thfuzz
