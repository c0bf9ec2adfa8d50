// Concurrency feedback (exec/internal/concurrency_feedback.h): the counters
// an execution fills are a function of the input, differ when the
// interleaving or what loads read differs, stay inside the array and
// saturate, and recording them never changes the execution itself.

#include "harness/exec/internal/concurrency_feedback.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "harness/exec/executor.h"
#include "harness/exec/feedback_counters.h"
#include "harness/exec/testing/execution_text.h"
#include "harness/generator.h"

namespace thfuzz {
namespace {

using exec_internal::ConcurrencyRecorder;
using exec_internal::RetryKind;
using exec_internal::SwitchReason;
using tophash::Fault;

using Counters = std::array<uint8_t, kConcurrencyCounters>;

RunOptions Controlled(Fault fault = Fault::kNone) {
  RunOptions options;
  options.executor = ExecutorKind::kControlled;
  options.fault = fault;
  return options;
}

Schedule Generated(uint64_t seed, Granularity granularity) {
  Schedule schedule = GenerateSchedule(seed);
  schedule.granularity = granularity;
  return schedule;
}

// Runs `schedule` with feedback into a fresh array.
Counters Record(const Schedule& schedule, RunOptions options = Controlled()) {
  Counters counters{};
  options.concurrency_counters = counters;
  Execute(schedule, options);
  return counters;
}

size_t HitsIn(const Counters& counters, const FeedbackRange& range) {
  return std::count_if(counters.begin() + range.begin,
                       counters.begin() + range.begin + range.size,
                       [](uint8_t c) { return c != 0; });
}

// Slots of `range` that `a` hits and `b` does not.
size_t OnlyIn(const Counters& a, const Counters& b,
              const FeedbackRange& range) {
  size_t only = 0;
  for (size_t i = range.begin; i < range.begin + range.size; ++i) {
    only += a[i] != 0 && b[i] == 0;
  }
  return only;
}

class FeedbackTest : public ::testing::TestWithParam<Granularity> {};

TEST_P(FeedbackTest, SameInputSameCounters) {
  size_t with_hits = 0;
  for (int seed = 0; seed < 200; ++seed) {
    Schedule schedule = Generated(seed, GetParam());
    Counters first = Record(schedule);
    ASSERT_EQ(first, Record(schedule)) << "seed " << seed;
    with_hits += HitsIn(first, kSwitchRange) != 0;
  }
  EXPECT_GT(with_hits, 100u);
}

// Recording only observes: the same decisions, steps, switches, stale reads
// and history with feedback on as off, on the production map and on faults.
TEST_P(FeedbackTest, RecordingDoesNotChangeTheExecution) {
  for (Fault fault : {Fault::kNone, Fault::kValidateBeforeValueCopy,
                      Fault::kRelaxedTophashPublish}) {
    for (int seed = 0; seed < 300; ++seed) {
      Schedule schedule = Generated(seed, GetParam());
      Execution off = Execute(schedule, Controlled(fault));
      Counters counters{};
      RunOptions on_options = Controlled(fault);
      on_options.concurrency_counters = counters;
      Execution on = Execute(schedule, on_options);
      ASSERT_EQ(HistoryHash(off.history), HistoryHash(on.history))
          << "seed " << seed;
      ASSERT_EQ(off.steps, on.steps) << "seed " << seed;
      ASSERT_EQ(off.context_switches, on.context_switches);
      ASSERT_EQ(off.stale_loads, on.stale_loads);
      ASSERT_EQ(off.violation.has_value(), on.violation.has_value());
      if (off.violation) {
        ASSERT_EQ(off.violation->kind, on.violation->kind);
      }
    }
  }
}

// The run writes only inside the span it is given, even when it is part of
// a larger buffer.
TEST_P(FeedbackTest, WritesStayInsideTheArray) {
  constexpr size_t kGuard = 64;
  std::vector<uint8_t> buffer(kGuard + kConcurrencyCounters + kGuard, 0xab);
  std::fill_n(buffer.begin() + kGuard, kConcurrencyCounters, 0);
  RunOptions options = Controlled();
  options.concurrency_counters =
      std::span(buffer).subspan(kGuard, kConcurrencyCounters);
  for (int seed = 0; seed < 100; ++seed) {
    Execute(Generated(seed, GetParam()), options);
  }
  for (size_t i = 0; i < kGuard; ++i) {
    ASSERT_EQ(buffer[i], 0xab);
    ASSERT_EQ(buffer[kGuard + kConcurrencyCounters + i], 0xab);
  }
}

INSTANTIATE_TEST_SUITE_P(AllGranularities, FeedbackTest,
                         ::testing::Values(Granularity::kCoarse,
                                           Granularity::kFine,
                                           Granularity::kWeak),
                         [](const auto& info) {
                           return std::string(GranularityName(info.param));
                         });

// T0 inserts key 0, T1 looks it up; the decisions choose the interleaving.
Schedule InsertAndFind(Granularity granularity,
                       std::vector<uint8_t> decisions) {
  Schedule schedule;
  schedule.granularity = granularity;
  schedule.threads = {{{OpKind::kInsert, 0}}, {{OpKind::kFind, 0}}};
  schedule.decisions = std::move(decisions);
  return schedule;
}

// A decision picks byte % runnable threads: all 0 runs T0 to its end
// first, all 1 runs T1 first, and alternating bytes switch back and forth.
constexpr size_t kDecisions = 400;
const std::vector<uint8_t> kInsertFirst(kDecisions, 0);
const std::vector<uint8_t> kFindFirst(kDecisions, 1);
std::vector<uint8_t> Alternating() {
  std::vector<uint8_t> decisions(kDecisions);
  for (size_t i = 0; i < decisions.size(); ++i) decisions[i] = i % 2;
  return decisions;
}

// A find after the insert reads T0's stores; a find before it reads memory
// as it was before the run: different reads-from slots.
TEST(FeedbackTest, ReadsFromSeesWhoseStoreALoadRead) {
  for (Granularity granularity : {Granularity::kFine, Granularity::kWeak}) {
    Counters insert_first = Record(InsertAndFind(granularity, kInsertFirst));
    Counters find_first = Record(InsertAndFind(granularity, kFindFirst));
    EXPECT_GT(OnlyIn(insert_first, find_first, kReadsFromRange), 0u)
        << GranularityName(granularity);
    EXPECT_GT(OnlyIn(find_first, insert_first, kReadsFromRange), 0u)
        << GranularityName(granularity);
  }
}

// Threads run one after the other switch only when one finishes, which is
// no switch pair; interleaved threads fill the switch range.
TEST(FeedbackTest, SwitchPairsSeeInterleavings) {
  for (Granularity granularity :
       {Granularity::kCoarse, Granularity::kFine, Granularity::kWeak}) {
    EXPECT_EQ(
        HitsIn(Record(InsertAndFind(granularity, kInsertFirst)), kSwitchRange),
        0u);
    EXPECT_GT(
        HitsIn(Record(InsertAndFind(granularity, Alternating())), kSwitchRange),
        0u)
        << GranularityName(granularity);
  }
}

// Readers that meet an open write section retry or wait: some generated
// schedule at every granularity hits the retry range.
TEST(FeedbackTest, RetriesAreCounted) {
  for (Granularity granularity :
       {Granularity::kCoarse, Granularity::kFine, Granularity::kWeak}) {
    bool hit = false;
    for (int seed = 0; seed < 500 && !hit; ++seed) {
      hit = HitsIn(Record(Generated(seed, granularity)), kRetryRange) != 0;
    }
    EXPECT_TRUE(hit) << GranularityName(granularity);
  }
}

// Each event kind lands in its own range, and hits saturate at 255.
TEST(FeedbackTest, KindsStayInTheirRangesAndSaturate) {
  Counters counters{};
  {
    ConcurrencyRecorder recorder(counters);
    for (int i = 0; i < 300; ++i) {
      recorder.Retried(0, RetryKind::kReadRetry, 7);
    }
  }
  EXPECT_EQ(HitsIn(counters, kRetryRange), 1u);
  EXPECT_EQ(*std::max_element(counters.begin(), counters.end()), 255);

  counters.fill(0);
  {
    ConcurrencyRecorder recorder(counters);
    recorder.Passed(0, 11);
    recorder.Passed(1, 12);
    recorder.Switched(0, 1, SwitchReason::kPicked);
    recorder.Switched(0, 1, SwitchReason::kBlocked);
    recorder.Switched(1, 0, SwitchReason::kPicked);
  }
  EXPECT_EQ(HitsIn(counters, kSwitchRange), 3u);
  EXPECT_EQ(HitsIn(counters, kReadsFromRange), 0u);

  counters.fill(0);
  {
    ConcurrencyRecorder recorder(counters);
    recorder.ReadFrom(0, 5, 1, 9, /*stale=*/false);   // other thread
    recorder.ReadFrom(0, 5, 1, 9, /*stale=*/true);    // the same, stale
    recorder.ReadFrom(1, 5, 1, 9, /*stale=*/false);   // same thread
    recorder.ReadFrom(0, 5, -1, 9, /*stale=*/false);  // before the run
  }
  EXPECT_EQ(HitsIn(counters, kReadsFromRange), 4u);
  EXPECT_EQ(HitsIn(counters, kSwitchRange) + HitsIn(counters, kRetryRange) +
                HitsIn(counters, kReservedRange),
            0u);
}

// Fine granularity's last-writer table: a load reads the last store at its
// address in this execution, or memory before the run, and a new execution
// forgets the previous one's stores.
TEST(FeedbackTest, LastWriterTableIsPerExecution) {
  int word = 0;
  Counters first{}, second{};
  {
    ConcurrencyRecorder recorder(first);
    recorder.Wrote(1, &word, 42);
    recorder.ReadNewest(0, &word, 5);
  }
  {
    ConcurrencyRecorder recorder(second);
    recorder.ReadNewest(0, &word, 5);
  }
  Counters other_thread{}, initial{};
  {
    ConcurrencyRecorder recorder(other_thread);
    recorder.ReadFrom(0, 5, 1, 42, false);
  }
  {
    ConcurrencyRecorder recorder(initial);
    recorder.ReadFrom(0, 5, -1, 0, false);
  }
  EXPECT_EQ(first, other_thread);
  EXPECT_EQ(second, initial);
}

// Keys name call sites by file base name and line, not by pointer.
TEST(FeedbackTest, AccessKeysIgnoreDirectoriesAndPointers) {
  static const char kLocal[] = "/home/me/tophash/map/include/tophash/map.h";
  static const char kOssFuzz[] = "/src/tophash-fuzz/map/include/tophash/map.h";
  exec_internal::Access a, b, c;
  a.where = {kLocal, "Find", 372};
  b.where = {kOssFuzz, "Find", 372};
  c.where = {kOssFuzz, "Find", 373};
  EXPECT_EQ(ConcurrencyRecorder::AccessKey(a),
            ConcurrencyRecorder::AccessKey(b));
  EXPECT_NE(ConcurrencyRecorder::AccessKey(b),
            ConcurrencyRecorder::AccessKey(c));
  b.kind = exec_internal::AccessKind::kStore;
  EXPECT_NE(ConcurrencyRecorder::AccessKey(a),
            ConcurrencyRecorder::AccessKey(b));
}

}  // namespace
}  // namespace thfuzz
