// The fault kill table: which executor (and, for the controlled executor,
// which granularity) catches which injected fault, how fast, and how small
// the minimized case gets.
//
// For every fault x mode (an executor, and for the controlled executor each
// granularity: coarse, fine, weak), K searches run; search k draws schedules
// from its own generated stream (GenerateSchedule(StreamScheduleSeed(k, i)), i
// = 0, 1, ...) and stops at the first violation or after the time limit. The
// cell reports how many searches caught the fault, the median time and
// executions to the first violation (a miss counts as slower than any
// catch), and the size of the first finding after minimization. The same
// run also sends schedules from the same streams to the production map,
// where any violation would be a bug in the map or a false alarm of the
// harness: the table's production row shows how many ran and that none
// failed.

#ifndef THFUZZ_HARNESS_EVALUATE_KILL_TABLE_H_
#define THFUZZ_HARNESS_EVALUATE_KILL_TABLE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/minimize/schedule_cost.h"
#include "harness/violation.h"
#include "tophash/policy.h"

namespace thfuzz {

struct KillTableOptions {
  std::vector<tophash::Fault> faults;  // empty: every injected fault
  std::vector<ExecutorKind> executors = {
      ExecutorKind::kSerial, ExecutorKind::kControlled, ExecutorKind::kStress};
  // The controlled executor runs once per granularity listed here.
  std::vector<Granularity> granularities = {
      Granularity::kCoarse, Granularity::kFine, Granularity::kWeak};
  size_t seeds = 3;                              // K searches per cell
  std::chrono::milliseconds search_time{2'000};  // per search
  std::chrono::milliseconds minimize_time{3'000};
  size_t stress_trials = 5;  // per candidate when minimizing stress cases
  std::chrono::milliseconds production_time{2'000};  // per executor
  std::function<void(const std::string&)> log;       // progress lines
  const std::atomic<bool>* interrupt = nullptr;
};

struct SearchRun {
  bool caught = false;
  uint64_t executions = 0;
  std::chrono::milliseconds time{0};
};

// An executor and the granularity it runs at (coarse for serial and stress,
// which have no other).
struct KillMode {
  ExecutorKind executor = ExecutorKind::kControlled;
  Granularity granularity = Granularity::kCoarse;
};

// Every mode `options` asks for, in the order the table lists them.
std::vector<KillMode> KillModes(const KillTableOptions& options);

struct KillCell {
  tophash::Fault fault = tophash::Fault::kNone;
  ExecutorKind executor = ExecutorKind::kControlled;
  Granularity granularity = Granularity::kCoarse;
  std::vector<SearchRun> runs;                // one per seed
  ViolationKind kind = ViolationKind::kNone;  // of the first finding
  std::optional<Schedule> finding;            // the first finding, as found
  std::optional<ScheduleSize> minimized;
  uint64_t minimized_switches = 0;  // controlled: context switches
  bool minimized_one_minimal = false;

  size_t caught() const;
  // Medians over all runs; nullopt when more than half missed.
  std::optional<std::chrono::milliseconds> median_time() const;
  std::optional<uint64_t> median_executions() const;
};

struct ProductionRow {
  ExecutorKind executor = ExecutorKind::kControlled;
  Granularity granularity = Granularity::kCoarse;
  uint64_t schedules = 0;
  uint64_t violations = 0;
  uint64_t unknown = 0;  // checker out of budget: neither pass nor fail
};

struct KillTable {
  KillTableOptions options;
  std::vector<KillCell> cells;  // fault-major
  std::vector<ProductionRow> production;
  std::chrono::seconds wall_time{0};
};

// The seed of schedule i of search stream k.
uint64_t StreamScheduleSeed(uint64_t stream, uint64_t index);

KillTable BuildKillTable(const KillTableOptions& options);

// A fixed-width table for the terminal.
std::string RenderKillTableText(const KillTable& table);
// docs/kill-table.md: the table, how to read it, and `command`.
std::string RenderKillTableMarkdown(const KillTable& table,
                                    const std::string& command);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EVALUATE_KILL_TABLE_H_
