// The fuzz campaign loop: input production, parallel workers, findings,
// progress.

#include "harness/cli/campaign.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "harness/codec/codec.h"
#include "harness/codec/sched_text.h"
#include "harness/generator.h"
#include "harness/pipeline/outcome_report.h"
#include "harness/printable.h"
#include "harness/random.h"

namespace thfuzz::cli {

std::atomic<bool> campaign_interrupted{false};

namespace {

using Clock = std::chrono::steady_clock;

// A few byte-level edits of an encoded schedule: the kinds libFuzzer makes.
Schedule Mutate(const Schedule& base, SeededRandom& random) {
  std::vector<uint8_t> bytes = EncodeSchedule(base);
  int edits = 1 + random.Below(4);
  for (int i = 0; i < edits; ++i) {
    size_t at = bytes.empty() ? 0 : random.Below(bytes.size());
    switch (random.Below(4)) {
      case 0:  // flip a bit
        if (!bytes.empty()) bytes[at] ^= 1u << random.Below(8);
        break;
      case 1:  // set a byte
        if (!bytes.empty()) bytes[at] = static_cast<uint8_t>(random.Next());
        break;
      case 2:  // insert a byte
        bytes.insert(bytes.begin() + at, static_cast<uint8_t>(random.Next()));
        break;
      default:  // append a decision
        bytes.push_back(static_cast<uint8_t>(random.Next()));
        break;
    }
  }
  return DecodeSchedule(bytes);
}

class Campaign {
 public:
  explicit Campaign(const CampaignOptions& options) : options_(options) {}

  CampaignResult Run() {
    start_ = Clock::now();
    HangHandler previous_handler =
        SetHangHandler([this](const HangReport& report) { EndOnHang(report); });
    RecordProgress(0);  // before any worker runs: no lock needed yet
    unsigned jobs = options_.pipeline.run.executor == ExecutorKind::kStress
                        ? 1
                        : std::max(1u, options_.jobs);
    std::vector<std::thread> workers;
    for (unsigned w = 0; w < jobs; ++w) {
      workers.emplace_back([this, w] { Work(w); });
    }
    PrintProgressUntilDone();
    for (std::thread& worker : workers) worker.join();
    result_.elapsed_seconds = Elapsed();
    result_.interrupted = campaign_interrupted.load();
    PrintProgress();
    SetHangHandler(std::move(previous_handler));
    return result_;
  }

  // On the watchdog's thread while a worker is trapped in the map: save the
  // input like any finding, print the summary, and end the process (the
  // trapped worker cannot be joined). Workers take mu_ only between
  // executions, so Record() cannot wait on the trapped one.
  [[noreturn]] void EndOnHang(const HangReport& report) {
    Outcome outcome;
    outcome.verdict = Verdict::kViolation;
    outcome.violation = report.violation;
    outcome.granularity = EffectiveGranularity(report.schedule, report.options);
    outcome.execution.violation = report.violation;
    Record(report.schedule, outcome);
    result_.elapsed_seconds = Elapsed();
    PrintProgress();
    if (options_.print_summary) {
      std::lock_guard<std::mutex> lock(mu_);
      options_.print_summary(result_);
    }
    std::fflush(nullptr);
    std::_Exit(1);
  }

 private:
  double Elapsed() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }

  bool ShouldStop() {
    if (campaign_interrupted.load(std::memory_order_relaxed)) return true;
    if (Elapsed() >= options_.seconds) return true;
    std::lock_guard<std::mutex> lock(mu_);
    if (options_.max_execs != 0 && result_.executions >= options_.max_execs) {
      return true;
    }
    return result_.saved.size() >= options_.max_findings;
  }

  Schedule NextInput(SeededRandom& random) {
    if (!options_.corpus.empty() && random.Below(2) == 0) {
      return Mutate(options_.corpus[random.Below(options_.corpus.size())],
                    random);
    }
    GeneratorOptions generator;
    generator.max_threads = std::max(1u, options_.max_threads);
    generator.min_threads = std::min<size_t>(2, generator.max_threads);
    Schedule schedule = GenerateSchedule(random.Next(), generator);
    if (options_.pipeline.run.executor == ExecutorKind::kControlled) {
      schedule.granularity =
          static_cast<Granularity>(random.Below(kGranularityCount));
    }
    return schedule;
  }

  // The next input, at the forced granularity if there is one: written into
  // the schedule, so a saved finding says it itself.
  Schedule NextInputAtGranularity(SeededRandom& random) {
    Schedule schedule = NextInput(random);
    if (options_.pipeline.run.granularity) {
      schedule.granularity = *options_.pipeline.run.granularity;
    }
    return schedule;
  }

  void Work(unsigned worker) {
    SeededRandom random(FrozenMix64(options_.seed) ^ FrozenMix64(worker + 1));
    while (!ShouldStop()) {
      Schedule schedule = NextInputAtGranularity(random);
      Outcome outcome = RunAndCheck(schedule, options_.pipeline);
      if (outcome.verdict == Verdict::kViolation &&
          options_.pipeline.run.executor == ExecutorKind::kControlled) {
        // Again, traced, for the report (the run is deterministic).
        PipelineOptions traced = options_.pipeline;
        traced.run.trace = true;
        outcome = RunAndCheck(schedule, traced);
      }
      Record(schedule, outcome);
    }
  }

  void Record(const Schedule& schedule, const Outcome& outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    ++result_.executions;
    size_t granularity = static_cast<size_t>(outcome.granularity);
    ++result_.executions_at[granularity];
    if (outcome.verdict == Verdict::kUnknown) ++result_.unknowns;
    if (outcome.verdict != Verdict::kViolation) return;
    ++result_.violations;
    ++result_.violations_at[granularity];
    std::string kind(ViolationKindName(outcome.violation.kind));
    ++result_.violations_by_kind[kind];
    if (result_.saved.size() < options_.max_findings) {
      SaveFinding(schedule, outcome, kind);
    }
  }

  // Writes <out>/<kind>-<hash>.sched unless that exact case is saved already.
  void SaveFinding(const Schedule& schedule, const Outcome& outcome,
                   const std::string& kind) {
    const RunOptions& run = options_.pipeline.run;
    SchedMeta meta;
    meta.expect = outcome.violation.kind;
    if (run.fault != tophash::Fault::kNone) meta.fault = run.fault;
    meta.executor = run.executor;
    std::string body = PrintSchedule(schedule, {});
    char hash[17];
    uint64_t digest = 0xcbf29ce484222325ULL;
    for (unsigned char c : body) digest = (digest ^ c) * 0x100000001b3ULL;
    std::snprintf(hash, sizeof(hash), "%08llx",
                  static_cast<unsigned long long>(FrozenMix64(digest) >> 32));
    std::filesystem::path path = std::filesystem::path(options_.out_dir) /
                                 (kind + "-" + hash + ".sched");
    std::error_code error;
    if (std::filesystem::exists(path, error)) return;  // the same case again
    // The schedule carries a forced granularity itself (see
    // NextInputAtGranularity), so the command needs no --granularity.
    RunOptions as_saved = run;
    as_saved.granularity.reset();
    std::string replay = ReplayCommand(path.string(), as_saved);
    meta.notes = {
        "found by tophash-fuzz run --seed " + std::to_string(options_.seed),
        "replay: " + replay};
    std::ofstream out(path);
    out << PrintSchedule(schedule, meta);
    if (!out) {
      std::fprintf(stderr, "tophash-fuzz: cannot write %s\n",
                   path.string().c_str());
      return;
    }
    result_.saved.push_back(path.string());
    result_.findings.push_back({path.string(), schedule, outcome});
    bool full = result_.saved.size() == 1 && options_.print_first_report;
    std::string report = full ? ReportFor(outcome, run, replay) : "";
    if (result_.first_report.empty()) result_.first_report = report;
    std::fprintf(
        options_.progress, "\nVIOLATION %s saved to %s\n%s\n", kind.c_str(),
        Printable(path.string()).c_str(),
        full ? report.c_str() : Printable(outcome.violation.summary).c_str());
  }

  void PrintProgressUntilDone() {
    auto next = start_ + std::chrono::seconds(1);
    while (!ShouldStop()) {
      std::this_thread::sleep_until(std::min(
          next, start_ + std::chrono::milliseconds(
                             static_cast<int64_t>(options_.seconds * 1000))));
      if (Clock::now() >= next) {
        PrintProgress();
        next += std::chrono::seconds(1);
      }
    }
  }

  void PrintProgress() {
    std::lock_guard<std::mutex> lock(mu_);
    double elapsed = Elapsed();
    RecordProgress(elapsed);
    std::fprintf(options_.progress,
                 "[%5.1fs] execs %llu (%.0f/s)  violations %llu  unknown %llu"
                 "  saved %zu\n",
                 elapsed, static_cast<unsigned long long>(result_.executions),
                 elapsed > 0 ? result_.executions / elapsed : 0.0,
                 static_cast<unsigned long long>(result_.violations),
                 static_cast<unsigned long long>(result_.unknowns),
                 result_.saved.size());
    std::fflush(options_.progress);
  }

  // Called with mu_ held.
  void RecordProgress(double elapsed) {
    CampaignProgress& progress = result_.progress;
    AppendBounded(progress.executions,
                  {elapsed, static_cast<double>(result_.executions)});
    AppendBounded(progress.violations,
                  {elapsed, static_cast<double>(result_.violations)});
    AppendBounded(progress.unknowns,
                  {elapsed, static_cast<double>(result_.unknowns)});
    AppendBounded(progress.saved,
                  {elapsed, static_cast<double>(result_.saved.size())});
  }

  const CampaignOptions& options_;
  Clock::time_point start_;
  std::mutex mu_;
  CampaignResult result_;
};

}  // namespace

CampaignResult RunCampaign(const CampaignOptions& options) {
  return Campaign(options).Run();
}

}  // namespace thfuzz::cli
