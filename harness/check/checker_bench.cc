// Checker benchmarks: the figures of harness/check/README.md, side by side
// in one run.
//
// Histories come from history_gen.h with 8 threads and unique stamps
// (linearizable by construction, with the overlap of a random
// interleaving); a "violation" history is the same with one stale read
// injected at 90% of its length (InjectStaleRead), so that deciding it means
// getting through nine tenths of the history first. Each is checked by:
//   Checker   the default checker (fast path, then search), explanation
//             included for violations;
//   Decide    the same without shrinking the explanation (the cost of the
//             verdict alone; Checker / Decide is the explanation's factor);
//   Search    the default checker with the fast path off, so the
//             Wing-Gong/Lowe search decides every key (budgets as default);
//   Naive     no memoization and no per-key split, 5 s budget.
// Counters: ops; verdict (0 linearizable, 1 violation, 2 unknown); steps;
// peak_cache_bytes (the largest memo table or sweep); fast_path (problems
// the fast path decided); explain_steps; max_rss_mib (the process's peak
// resident set so far: the histories themselves included).

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>

#include "harness/check/checker.h"
#include "harness/check/testing/history_gen.h"

namespace thfuzz {
namespace {

History MakeHistory(int keys, int ops, bool violation) {
  HistoryGenOptions options;
  options.threads = 8;
  options.ops_per_thread = ops / 8;
  options.keys = keys;
  options.whole_map_percent = 0;
  options.abort_percent = 0;
  options.corrupt_percent = 0;
  options.shared_value_percent = 0;
  SeededChoices choices(2024);
  History history = GenerateHistory(options, choices);
  if (violation) InjectStaleRead(history, history.events.size() * 9 / 10);
  return history;
}

// Generated once per shape and reused by every variant.
const History& HistoryFor(int keys, int ops, bool violation) {
  static auto* histories = new std::map<std::tuple<int, int, bool>, History>;
  auto [it, fresh] = histories->try_emplace({keys, ops, violation});
  if (fresh) it->second = MakeHistory(keys, ops, violation);
  return it->second;
}

enum class Variant { kChecker, kDecide, kSearch, kNaive };

CheckOptions OptionsFor(Variant variant) {
  CheckOptions options;
  switch (variant) {
    case Variant::kChecker:
      break;
    case Variant::kDecide:
      options.minimize = false;
      break;
    case Variant::kSearch:
      options.fast_path = false;
      break;
    case Variant::kNaive:
      options.memoize = false;
      options.split_by_key = false;
      options.fast_path = false;
      options.budget.max_wall_time = std::chrono::seconds(5);
      break;
  }
  return options;
}

double MaxRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void Run(benchmark::State& state, int keys, int ops, bool violation,
         Variant variant) {
  const History& history = HistoryFor(keys, ops, violation);
  CheckOptions options = OptionsFor(variant);
  CheckResult result;
  for (auto _ : state) result = CheckHistory(history, options);
  state.counters["ops"] = static_cast<double>(history.events.size());
  state.counters["verdict"] = static_cast<double>(result.verdict);
  state.counters["steps"] = static_cast<double>(result.stats.steps);
  state.counters["peak_cache_bytes"] =
      static_cast<double>(result.stats.peak_cache_bytes);
  state.counters["fast_path"] =
      static_cast<double>(result.stats.fast_path_problems);
  state.counters["explain_steps"] =
      static_cast<double>(result.stats.explain_steps);
  state.counters["max_rss_mib"] = MaxRssMib();
}

// name, keys, ops, violation
struct Shape {
  const char* name;
  int keys;
  int ops;
  bool violation;
};
constexpr Shape kShapes[] = {
    {"1key_1k_linearizable", 1, 1'000, false},
    {"1key_1k_violation", 1, 1'000, true},
    {"1key_10k_violation", 1, 10'000, true},
    {"1key_100k_linearizable", 1, 100'000, false},
    {"1key_100k_violation", 1, 100'000, true},
    {"64keys_100k_linearizable", 64, 100'000, false},
    {"64keys_1M_linearizable", 64, 1'000'000, false},
};

void RegisterAll() {
  constexpr std::pair<Variant, const char*> kVariants[] = {
      {Variant::kChecker, "Checker"},
      {Variant::kDecide, "Decide"},
      {Variant::kSearch, "Search"},
      {Variant::kNaive, "Naive"},
  };
  for (const Shape& shape : kShapes) {
    for (const auto& [variant, name] : kVariants) {
      // The naive search only for the shapes it can finish or nearly.
      if (variant == Variant::kNaive && shape.ops > 100'000) continue;
      if (variant == Variant::kDecide && !shape.violation) continue;
      auto* benchmark = benchmark::RegisterBenchmark(
          (std::string(name) + "/" + shape.name).c_str(),
          [shape, variant](benchmark::State& state) {
            Run(state, shape.keys, shape.ops, shape.violation, variant);
          });
      benchmark->Unit(benchmark::kMillisecond);
      if (shape.ops >= 100'000 || variant == Variant::kNaive) {
        benchmark->Iterations(1);
      }
    }
  }
}

}  // namespace
}  // namespace thfuzz

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  thfuzz::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
