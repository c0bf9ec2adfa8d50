// Measuring the kill table: searches per fault x mode, minimization of each
// cell's first finding, and the production-map control runs.

#include "harness/evaluate/kill_table.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "harness/faults.h"
#include "harness/generator.h"
#include "harness/minimize/finding.h"
#include "harness/minimize/schedule_cost.h"
#include "harness/pipeline/pipeline.h"
#include "harness/random.h"

namespace thfuzz {
namespace {

using Clock = std::chrono::steady_clock;

// Seeds to retry a passing candidate with (MinimizeOptions::reseed_tries).
constexpr unsigned kReseedTries = 32;

std::chrono::milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                               start);
}

bool Interrupted(const KillTableOptions& options) {
  return options.interrupt != nullptr && options.interrupt->load();
}

// A stress run that hangs costs its timeout on every try: keep it short.
PipelineOptions Pipeline(ExecutorKind executor, tophash::Fault fault) {
  return {.run = {.executor = executor,
                  .fault = fault,
                  .stress_timeout = std::chrono::milliseconds(300)}};
}

struct Finding {
  Schedule schedule;
  Outcome outcome;  // its failing run
};

// Schedule i of stream `stream`, at `granularity`: the same schedule for
// every mode, so the modes' columns compare like with like.
Schedule StreamSchedule(uint64_t stream, uint64_t i, Granularity granularity) {
  Schedule schedule = GenerateSchedule(StreamScheduleSeed(stream, i));
  schedule.granularity = granularity;
  return schedule;
}

SearchRun Search(const PipelineOptions& pipeline, Granularity granularity,
                 uint64_t stream, const KillTableOptions& options,
                 std::optional<Finding>& first_finding) {
  SearchRun run;
  Clock::time_point start = Clock::now();
  for (uint64_t i = 0; Since(start) < options.search_time; ++i) {
    if (Interrupted(options)) break;
    Schedule schedule = StreamSchedule(stream, i, granularity);
    Outcome outcome = RunAndCheck(schedule, pipeline);
    ++run.executions;
    if (outcome.verdict != Verdict::kViolation) continue;
    run.caught = true;
    if (!first_finding) first_finding = Finding{schedule, std::move(outcome)};
    break;
  }
  run.time = Since(start);
  return run;
}

// The finding workflow (harness/minimize/finding.h) without its conversion
// and save steps: each cell measures its own executor, and nothing is
// written.
void MinimizeFinding(const Finding& finding, const PipelineOptions& pipeline,
                     const KillTableOptions& options, KillCell& cell) {
  FindingOptions workflow;
  workflow.pipeline = pipeline;
  workflow.trials = options.stress_trials;
  workflow.convert_stress = false;
  workflow.minimize.max_wall_time = options.minimize_time;
  workflow.minimize.interrupt = options.interrupt;
  workflow.reseed_tries = kReseedTries;
  FindingResult result =
      ProcessFinding(finding.schedule, finding.outcome, workflow);
  const Schedule& minimized = result.minimized.schedule;
  cell.minimized = SizeOf(minimized);
  cell.minimized_one_minimal = result.minimized.one_minimal();
  if (pipeline.run.executor == ExecutorKind::kControlled) {
    cell.minimized_switches =
        result.reverified ? result.regression.outcome.execution.context_switches
                          : Execute(minimized, pipeline.run).context_switches;
  }
}

KillCell MeasureCell(tophash::Fault fault, KillMode mode,
                     const KillTableOptions& options) {
  KillCell cell;
  cell.fault = fault;
  cell.executor = mode.executor;
  cell.granularity = mode.granularity;
  PipelineOptions pipeline = Pipeline(mode.executor, fault);
  std::optional<Finding> first;
  for (size_t k = 0; k < options.seeds && !Interrupted(options); ++k) {
    cell.runs.push_back(Search(pipeline, mode.granularity, k, options, first));
  }
  if (first) {
    cell.kind = first->outcome.violation.kind;
    cell.finding = first->schedule;
    MinimizeFinding(*first, pipeline, options, cell);
  }
  return cell;
}

ProductionRow MeasureProduction(KillMode mode,
                                const KillTableOptions& options) {
  ProductionRow row;
  row.executor = mode.executor;
  row.granularity = mode.granularity;
  PipelineOptions pipeline = Pipeline(mode.executor, tophash::Fault::kNone);
  Clock::time_point start = Clock::now();
  // Streams beyond the fault searches' ones, so these are fresh schedules.
  uint64_t stream = options.seeds + 1000;
  for (uint64_t i = 0; Since(start) < options.production_time; ++i) {
    if (Interrupted(options)) break;
    Outcome outcome =
        RunAndCheck(StreamSchedule(stream, i, mode.granularity), pipeline);
    ++row.schedules;
    row.violations += outcome.verdict == Verdict::kViolation;
    row.unknown += outcome.verdict == Verdict::kUnknown;
  }
  return row;
}

// The middle of `values` sorted; the upper middle for an even count, so a
// tie between a catch and a miss reads as a miss.
template <class T>
std::optional<T> Median(std::vector<std::optional<T>> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
    if (!a || !b) return a.has_value() && !b.has_value();
    return *a < *b;
  });
  return values[values.size() / 2];
}

}  // namespace

size_t KillCell::caught() const {
  return std::count_if(runs.begin(), runs.end(),
                       [](const SearchRun& run) { return run.caught; });
}

std::optional<std::chrono::milliseconds> KillCell::median_time() const {
  std::vector<std::optional<std::chrono::milliseconds>> times;
  for (const SearchRun& run : runs) {
    times.push_back(run.caught ? std::optional(run.time) : std::nullopt);
  }
  return Median(times);
}

std::optional<uint64_t> KillCell::median_executions() const {
  std::vector<std::optional<uint64_t>> executions;
  for (const SearchRun& run : runs) {
    executions.push_back(run.caught ? std::optional(run.executions)
                                    : std::nullopt);
  }
  return Median(executions);
}

std::vector<KillMode> KillModes(const KillTableOptions& options) {
  std::vector<KillMode> modes;
  for (ExecutorKind executor : options.executors) {
    if (executor != ExecutorKind::kControlled) {
      modes.push_back({executor, Granularity::kCoarse});
      continue;
    }
    for (Granularity granularity : options.granularities) {
      modes.push_back({executor, granularity});
    }
  }
  return modes;
}

uint64_t StreamScheduleSeed(uint64_t stream, uint64_t index) {
  return FrozenMix64((stream + 1) * kGoldenGamma) ^ index;
}

KillTable BuildKillTable(const KillTableOptions& options) {
  KillTable table;
  table.options = options;
  if (table.options.faults.empty()) {
    for (const tophash::FaultInfo& fault : kInjectedFaults) {
      table.options.faults.push_back(fault.value);
    }
  }
  Clock::time_point start = Clock::now();
  std::vector<KillMode> modes = KillModes(table.options);
  for (tophash::Fault fault : table.options.faults) {
    for (KillMode mode : modes) {
      if (Interrupted(options)) break;
      table.cells.push_back(MeasureCell(fault, mode, table.options));
      const KillCell& cell = table.cells.back();
      if (options.log) {
        options.log(std::string(tophash::FaultName(fault)) + " / " +
                    std::string(ExecutorName(mode.executor)) + " " +
                    std::string(GranularityName(mode.granularity)) +
                    ": caught " + std::to_string(cell.caught()) + "/" +
                    std::to_string(cell.runs.size()));
      }
    }
  }
  for (KillMode mode : modes) {
    if (Interrupted(options)) break;
    table.production.push_back(MeasureProduction(mode, table.options));
  }
  table.wall_time =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
  return table;
}

}  // namespace thfuzz
