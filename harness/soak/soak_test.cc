// Soak tests: windows as histories (carried contents, cuts within the
// schedule caps), clean runs on every map kind with enough work to cross
// many cuts, and faults found, cut down and explained: a broken erase (the
// checker's kinds) and a hung operation (liveness); a torn value as the
// workers record it.

#include "harness/soak/soak.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "harness/check/checker.h"
#include "harness/soak/internal/window.h"

namespace thfuzz {
namespace {

using soak_internal::Record;
using soak_internal::Window;

SoakOptions Short(MapKind map, tophash::Fault fault, int millis) {
  SoakOptions options;
  options.threads = 2;
  options.keys = 8;
  options.map = map;
  options.fault = fault;
  options.duration = std::chrono::milliseconds(millis);
  options.window_ops = 5'000;
  return options;
}

Record Find(uint8_t thread, uint16_t key, uint64_t invoke, uint8_t writer,
            uint32_t index) {
  Record record;
  record.thread = thread;
  record.kind = OpKind::kFind;
  record.key = key;
  record.invoke = invoke;
  record.response = invoke + 1;
  record.ok = true;
  record.read_thread = writer;
  record.argument = index;
  return record;
}

TEST(SoakWindowTest, AWindowStartsFromTheContentsReadAtItsCut) {
  Window window;
  window.setup_thread = 2;
  window.setup_time = 10;
  window.records = {Find(0, 1, 12, 1, 500)};
  window.end = {{1, MakeStamp(1, 1, 500)}};
  // The value was written in an earlier window and was there at the cut.
  window.start = window.end;
  History history = soak_internal::WindowHistory(window);
  ASSERT_EQ(history.events.size(), 2u);
  EXPECT_EQ(PrintEvent(history.events[0]),
            "T2#0 [10,11] insert k1 T1#500 -> true");
  EXPECT_EQ(CheckHistory(history).verdict, Verdict::kLinearizable);
  // Had it not been there, the read is of a value nobody wrote here.
  window.start.clear();
  CheckResult result = CheckHistory(soak_internal::WindowHistory(window));
  EXPECT_EQ(result.violation.kind, ViolationKind::kPhantomValue);
}

TEST(SoakWindowTest, NeighbourhoodFitsTheScheduleCaps) {
  Window window;
  window.setup_thread = 12;
  uint64_t time = 1;
  for (uint32_t i = 0; i < 3000; ++i) {
    Record record = Find(static_cast<uint8_t>(i % 12), i % 40, time, 0, 0);
    record.ok = false;
    record.sequence = i;
    window.records.push_back(record);
    time += 2;
  }
  History history = soak_internal::WindowHistory(window);
  size_t anchor = 2000;
  std::vector<size_t> chosen =
      soak_internal::Neighbourhood(history, anchor, window.setup_thread);
  EXPECT_LE(chosen.size(), Schedule::kMaxTotalOps);
  EXPECT_EQ(chosen.back(), anchor);
  SoakOptions options;
  Schedule schedule =
      soak_internal::CutSchedule(history, chosen, SoakMapSetup(options));
  EXPECT_EQ(ValidateSchedule(schedule), "");
  EXPECT_LE(schedule.threads.size(), Schedule::kMaxThreads);
}

TEST(SoakTest, ProductionMapRunsCleanAcrossManyWindows) {
  SoakResult result =
      RunSoak(Short(MapKind::kTophash, tophash::Fault::kNone, 1000));
  EXPECT_FALSE(result.finding.has_value())
      << result.finding->violation.explanation;
  EXPECT_GE(result.totals.windows_checked, 3u);
  EXPECT_GE(result.totals.ops, 10'000u);
  EXPECT_EQ(result.totals.ops_checked, result.totals.ops);
  EXPECT_EQ(result.totals.unknown_windows, 0u);
  EXPECT_GT(result.peak_rss_kib, 0u);
}

TEST(SoakTest, EveryMapKindRunsClean) {
  for (MapKind map : {MapKind::kOracle, MapKind::kTbb, MapKind::kCuckoo}) {
    SoakResult result = RunSoak(Short(map, tophash::Fault::kNone, 300));
    EXPECT_FALSE(result.finding.has_value())
        << MapKindName(map) << ": " << result.finding->violation.explanation;
    EXPECT_GE(result.totals.windows_checked, 1u) << MapKindName(map);
    EXPECT_EQ(result.totals.ops_checked, result.totals.ops);
  }
}

void ExpectCutDown(const SoakFinding& finding) {
  EXPECT_EQ(ValidateSchedule(finding.schedule), "");
  EXPECT_GE(finding.schedule.TotalOps(), 1u);
  EXPECT_LE(finding.schedule.TotalOps(), Schedule::kMaxTotalOps);
}

TEST(SoakTest, BrokenEraseIsFoundCutDownAndExplained) {
  // Erase ends lookup chains early: keys get lost, or a second copy of a
  // key appears and an old value comes back; the checker's kinds.
  SoakOptions options = Short(MapKind::kTophash,
                              tophash::Fault::kEraseMarksEmptyRestEarly, 20000);
  options.shards_log2 = 0;
  options.keys = 24;
  SoakResult result = RunSoak(options);
  ASSERT_TRUE(result.finding.has_value());
  const SoakFinding& finding = *result.finding;
  const std::set<ViolationKind> kinds = {
      ViolationKind::kLostKey, ViolationKind::kGhostRead,
      ViolationKind::kWrongResult, ViolationKind::kBadFinalState};
  EXPECT_TRUE(kinds.count(finding.violation.kind))
      << finding.violation.explanation;
  ExpectCutDown(finding);
  EXPECT_EQ(finding.executor, ExecutorKind::kSerial);  // a sequential fault
  // The cut history fails by itself, the same way, in a few operations.
  CheckResult cut = CheckHistory(finding.cut);
  EXPECT_EQ(cut.verdict, Verdict::kViolation) << PrintHistory(finding.cut);
  EXPECT_EQ(cut.violation.kind, finding.violation.kind);
  EXPECT_LE(finding.cut.events.size(), 16u) << PrintHistory(finding.cut);
}

Record Write(OpKind kind, uint8_t thread, uint16_t key, uint64_t invoke) {
  Record record;
  record.thread = thread;
  record.kind = kind;
  record.key = key;
  record.invoke = invoke;
  record.response = invoke + 1;
  record.ok = true;
  return record;
}

TEST(SoakWindowTest, SerialCutStartsWithTheKeysPresentBeforeIt) {
  Window window;
  window.setup_thread = 2;
  window.start = {{1, MakeStamp(1, 0, 0)}, {2, MakeStamp(2, 0, 1)}};
  // 300 worker events: k1 erased first, k3 written, then finds of k4.
  window.records.push_back(Write(OpKind::kErase, 0, 1, 10));
  window.records.push_back(Write(OpKind::kInsertOrAssign, 1, 3, 12));
  for (uint64_t i = 0; i < 298; ++i) {
    Record find = Find(static_cast<uint8_t>(i % 2), 4, 20 + 2 * i, 0, 0);
    find.ok = false;
    window.records.push_back(find);
  }
  History history = soak_internal::WindowHistory(window);
  SoakOptions options;
  options.keys = 8;
  Schedule schedule = soak_internal::SerialCutSchedule(
      history, std::nullopt, window.setup_thread, SoakMapSetup(options));
  EXPECT_EQ(ValidateSchedule(schedule), "");
  // The last 256 - 8 events, after inserts of k2 and k3 (k1 was erased).
  ASSERT_EQ(schedule.TotalOps(), 2u + 248u);
  EXPECT_EQ(schedule.threads[0][0].kind, OpKind::kInsert);
  EXPECT_EQ(schedule.threads[0][0].key, 2);
  EXPECT_EQ(schedule.threads[0][1].key, 3);
  EXPECT_EQ(schedule.threads[0][2].kind, OpKind::kFind);
  for (const auto& lane : schedule.threads) {
    EXPECT_LE(lane.size(), Schedule::kMaxOpsPerThread);
  }
  // One 0 (the earliest lane) for every choice among two or more lanes.
  EXPECT_EQ(schedule.decisions.size(),
            schedule.TotalOps() - schedule.threads.back().size());
  for (uint8_t decision : schedule.decisions) EXPECT_EQ(decision, 0);
}

TEST(SoakWindowTest, AValueThatIsNoStampIsTornAndCutToItsRead) {
  Window window;
  window.setup_thread = 2;
  Stamp torn = MakeStamp(3, 0, 7);
  torn.salt = MakeStamp(3, 1, 9).salt;  // half of each write
  Record read = Find(1, 3, 5, 0, 0);
  read.odd = true;
  window.records = {read};
  window.odd_reads = {torn};
  History history = soak_internal::WindowHistory(window);
  EXPECT_EQ(history.events[0].out, torn);
  CheckResult result = CheckHistory(history);
  ASSERT_EQ(result.violation.kind, ViolationKind::kTornValue);
  History cut = soak_internal::CutHistory(history, result.violation, {});
  EXPECT_EQ(cut.events, history.events);
  EXPECT_EQ(CheckHistory(cut).violation.kind, ViolationKind::kTornValue);
}

TEST(SoakTest, HungOperationIsStoppedAndReported) {
  SoakOptions options = Short(MapKind::kTophash,
                              tophash::Fault::kEraseMissLeavesWriteOpen, 20000);
  options.op_timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  SoakResult result = RunSoak(options);
  ASSERT_TRUE(result.finding.has_value());
  EXPECT_EQ(result.finding->violation.kind, ViolationKind::kLiveness);
  EXPECT_FALSE(result.abandoned_threads);
  EXPECT_FALSE(result.finding->violation.events.empty());
  ExpectCutDown(*result.finding);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(SoakTest, BadOptionsAreNamed) {
  SoakOptions options;
  options.threads = 0;
  EXPECT_EQ(ValidateSoakOptions(options), "--threads must be 1 to 64, got 0");
  options.threads = 2;
  options.keys = 65;
  EXPECT_EQ(ValidateSoakOptions(options),
            "--keys must be 1 to 64 (a finding must replay as a schedule), "
            "got 65");
  options.keys = 8;
  options.map = MapKind::kOracle;
  options.fault = tophash::Fault::kSkipReadValidation;
  EXPECT_EQ(ValidateSoakOptions(options),
            "--fault needs --map tophash: faults are injected into the "
            "tophash map only");
}

}  // namespace
}  // namespace thfuzz
