// harness_bench: how many schedules per second each executor runs, and what
// the stress executor's persistent worker pool saves over starting threads.
//
// The schedules are a fixed set: 256 generated schedules of 2-4 threads and
// 8-32 operations in all, on the production map, checker not included (the
// checker has its own benchmark, harness/check/checker_bench.cc).
//
//   build/default/harness/bench/harness_bench --benchmark_repetitions=3

#include <benchmark/benchmark.h>

#include <atomic>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/exec/internal/worker_pool.h"
#include "harness/generator.h"

namespace thfuzz {
namespace {

const std::vector<Schedule>& FixedSchedules() {
  static const std::vector<Schedule> schedules = [] {
    GeneratorOptions options;
    options.min_threads = 2;
    options.max_threads = 4;
    options.min_ops_per_thread = 2;
    options.max_ops_per_thread = 8;
    options.fill_percent = 0;
    std::vector<Schedule> result;
    for (uint64_t seed = 0; result.size() < 256; ++seed) {
      Schedule schedule = GenerateSchedule(seed, options);
      size_t ops = schedule.TotalOps();
      if (ops >= 8 && ops <= 32) result.push_back(schedule);
    }
    return result;
  }();
  return schedules;
}

void BM_Executor(benchmark::State& state, ExecutorKind executor) {
  const std::vector<Schedule>& schedules = FixedSchedules();
  RunOptions options;
  options.executor = executor;
  size_t next = 0, ops = 0;
  for (auto _ : state) {
    const Schedule& schedule = schedules[next++ % schedules.size()];
    Execution execution = Execute(schedule, options);
    benchmark::DoNotOptimize(execution.history.events.data());
    ops += schedule.TotalOps();
  }
  state.counters["exec/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  state.counters["ops/exec"] =
      static_cast<double>(ops) / std::max<int64_t>(1, state.iterations());
}
BENCHMARK_CAPTURE(BM_Executor, serial, ExecutorKind::kSerial)->UseRealTime();
BENCHMARK_CAPTURE(BM_Executor, controlled, ExecutorKind::kControlled)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Executor, stress, ExecutorKind::kStress)->UseRealTime();

// The controlled executor at each granularity, on the same schedules:
// coarse (named points; BM_Executor/controlled runs the same), fine (a
// scheduling point at every shared access) and weak (fine plus the memory
// model).
void BM_Controlled(benchmark::State& state, Granularity granularity) {
  std::vector<Schedule> schedules = FixedSchedules();
  for (Schedule& schedule : schedules) schedule.granularity = granularity;
  RunOptions options;
  options.executor = ExecutorKind::kControlled;
  size_t next = 0;
  uint64_t steps = 0, loads = 0, stale = 0;
  for (auto _ : state) {
    Execution execution =
        Execute(schedules[next++ % schedules.size()], options);
    benchmark::DoNotOptimize(execution.history.events.data());
    steps += execution.steps;
    loads += execution.modelled_loads;
    stale += execution.stale_loads;
  }
  int64_t runs = std::max<int64_t>(1, state.iterations());
  state.counters["exec/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  state.counters["steps/exec"] = static_cast<double>(steps) / runs;
  state.counters["stale%"] = loads == 0 ? 0.0 : 100.0 * stale / loads;
}
BENCHMARK_CAPTURE(BM_Controlled, coarse, Granularity::kCoarse)->UseRealTime();
BENCHMARK_CAPTURE(BM_Controlled, fine, Granularity::kFine)->UseRealTime();
BENCHMARK_CAPTURE(BM_Controlled, weak, Granularity::kWeak)->UseRealTime();

// The cost of releasing N threads to do a stress execution's worth of work
// (a few dozen atomic increments each): persistent pool against threads
// started and joined per execution.
void ThreadWork(std::atomic<uint64_t>& counter) {
  for (int i = 0; i < 32; ++i) counter.fetch_add(1);
}

void BM_WorkerPool(benchmark::State& state) {
  std::atomic<uint64_t> counter{0};
  size_t threads = state.range(0);
  for (auto _ : state) {
    exec_internal::WorkerPool::Get().Run(threads,
                                         [&](size_t) { ThreadWork(counter); });
  }
  state.counters["exec/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WorkerPool)->Arg(2)->Arg(4)->UseRealTime();

void BM_NewThreads(benchmark::State& state) {
  std::atomic<uint64_t> counter{0};
  size_t threads = state.range(0);
  for (auto _ : state) {
    exec_internal::RunOnNewThreads(threads,
                                   [&](size_t) { ThreadWork(counter); });
  }
  state.counters["exec/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NewThreads)->Arg(2)->Arg(4)->UseRealTime();

}  // namespace
}  // namespace thfuzz

BENCHMARK_MAIN();
