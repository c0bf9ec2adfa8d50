// Replays every `.sched` file under corpus/ (seeds/<target>/ and
// regressions/), one test per file.
//
// On the production map every case must be judged linearizable, with the
// executor its header names (serial and controlled when it names none);
// stress cases run several times, since one clean stress run proves little.
// A case whose header names a fault must still fail with that fault and
// show its `expect:` violation kind: a regression that stops biting fails
// here; the failing run's history, printed as `explain` prints it, must
// read back exactly. A file that does not parse fails with its
// file:line:col message. THFUZZ_CORPUS_DIR in the environment replaces the
// corpus/ directory, so that a new case is checked the same way before it
// joins (fuzz/import_finding_test.sh).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "harness/check/history_file.h"
#include "harness/codec/sched_text.h"
#include "harness/faults.h"
#include "harness/minimize/failure_predicate.h"
#include "harness/pipeline/pipeline.h"

namespace thfuzz {
namespace {

namespace fs = std::filesystem;

constexpr size_t kStressPassTrials = 10;
constexpr size_t kStressFailTrials = 500;

fs::path CorpusDir() {
  const char* dir = std::getenv("THFUZZ_CORPUS_DIR");
  return dir != nullptr && *dir != '\0' ? dir : THFUZZ_CORPUS_DIR;
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(CorpusDir())) {
    if (entry.is_regular_file() && entry.path().extension() == ".sched") {
      files.push_back(fs::relative(entry.path(), CorpusDir()).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<ExecutorKind> ExecutorsFor(const SchedMeta& meta) {
  if (!meta.executor) return {ExecutorKind::kSerial, ExecutorKind::kControlled};
  return {*meta.executor};
}

PipelineOptions Options(ExecutorKind executor, tophash::Fault fault) {
  PipelineOptions options;
  options.run.executor = executor;
  options.run.fault = fault;
  return options;
}

std::string Describe(const Outcome& outcome) {
  return std::string(VerdictName(outcome.verdict)) + " " +
         std::string(ViolationKindName(outcome.violation.kind)) + ": " +
         outcome.violation.summary + outcome.unknown_reason;
}

class CorpusReplayTest : public ::testing::TestWithParam<std::string> {
 protected:
  ParseResult Read() { return ReadSchedFile(CorpusDir() / GetParam()); }
};

TEST_P(CorpusReplayTest, PassesOnProductionMap) {
  ParseResult parsed = Read();
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  for (ExecutorKind executor : ExecutorsFor(parsed.meta)) {
    size_t trials = IsDeterministic(executor) ? 1 : kStressPassTrials;
    for (size_t i = 0; i < trials; ++i) {
      Outcome outcome = RunAndCheck(*parsed.schedule,
                                    Options(executor, tophash::Fault::kNone));
      ASSERT_EQ(outcome.verdict, Verdict::kLinearizable)
          << GetParam() << " with the " << ExecutorName(executor)
          << " executor, run " << i + 1 << ": " << Describe(outcome);
    }
  }
}

TEST_P(CorpusReplayTest, StillFailsOnItsFault) {
  ParseResult parsed = Read();
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  const SchedMeta& meta = parsed.meta;
  if (!meta.fault || *meta.fault == tophash::Fault::kNone) {
    EXPECT_TRUE(!meta.expect || *meta.expect == ViolationKind::kNone)
        << GetParam() << ": expects " << ViolationKindName(*meta.expect)
        << " without a fault";
    return;
  }
  std::optional<ViolationKind> kind = meta.expect;
  ASSERT_TRUE(kind && *kind != ViolationKind::kNone)
      << GetParam() << ": a case with a fault needs `expect: <violation>`";
  tophash::Fault fault = *meta.fault;
  std::string_view fault_name = tophash::FaultName(fault);
  for (ExecutorKind executor : ExecutorsFor(meta)) {
    Outcome outcome = RunUntilViolation(
        *parsed.schedule, Options(executor, fault), kStressFailTrials);
    EXPECT_EQ(outcome.verdict, Verdict::kViolation)
        << GetParam() << " no longer fails on " << fault_name << " with the "
        << ExecutorName(executor) << " executor: " << Describe(outcome);
    EXPECT_EQ(outcome.violation.kind, *kind)
        << GetParam() << " on " << fault_name << ": " << Describe(outcome);
    // The history as `explain` prints it (invariant reports of several
    // lines included) reads back as the same history.
    const History& history = outcome.execution.history;
    HistoryParseResult reread = ParseHistory(PrintHistory(history), GetParam());
    EXPECT_EQ(reread.error, "");
    EXPECT_TRUE(reread.history == history)
        << GetParam() << ": PrintHistory() does not read back:\n"
        << PrintHistory(history);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusReplayTest,
                         ::testing::ValuesIn(CorpusFiles()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) {
                               c = '_';
                             }
                           }
                           return name;
                         });

// Every injected fault has a regression that proves the harness catches it.
TEST(CorpusTest, EveryFaultHasARegression) {
  std::set<tophash::Fault> covered;
  for (const std::string& file : CorpusFiles()) {
    if (!file.starts_with("regressions/")) continue;
    ParseResult parsed = ReadSchedFile(CorpusDir() / file);
    if (parsed.ok() && parsed.meta.fault) covered.insert(*parsed.meta.fault);
  }
  for (const tophash::FaultInfo& fault : kInjectedFaults) {
    EXPECT_TRUE(covered.count(fault.value))
        << "no regression for fault " << fault.name;
  }
}

}  // namespace
}  // namespace thfuzz
