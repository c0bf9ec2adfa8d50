// Report tests: a golden rendering of a fixed violation, and the width limit
// on crowded timelines.

#include "harness/report/report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "harness/check/checker.h"
#include "harness/check/testing/history_builder.h"

namespace thfuzz {
namespace {

using testing::HistoryBuilder;
using testing::W;

// A ghost read after a completed erase, next to a pending insert and an
// unrelated key.
History GhostReadHistory() {
  return HistoryBuilder()
      .Insert(0, 3, 1, 4, true)
      .Erase(0, 3, 5, 8, true)
      .Absent(1, 3, 2, 3)
      .Found(1, 3, 9, 12, W(3, 0, 0))
      .Assign(2, 4, 6, 14)
      .Insert(2, 5, 15, 0, true)
      .Pending()
      .Final({{4, W(4, 2, 0)}})
      .Build();
}

constexpr char kGoldenReport[] =
    R"(== tophash-fuzz violation: ghost_read ==============================================================
key       k3
fault     publish_tophash_early
executor  controlled
replay    tophash-fuzz replay corpus/regressions/ghost_read-1a2b3c4d.sched
what      T1#1 find(k3) returned ok=true T0#0, but no order of the operations consistent with real
          time gives that result

Timeline (logical time runs left to right; an operation is |--its interval--|,
the one that went wrong |==its interval==|):
time  1                        4 5                  8 9                    12
T0    |-insert k3 T0#0 -> true-| |-erase k3 -> true-|
T1                                                    |=find k3 -> ok T0#0=|

Why:
  T1#1 find(k3) returned ok=true T0#0, but no order of the operations consistent with real time
  gives that result.
  Longest linearizable prefix: T0#0 insert(k3) -> true, T0#1 erase(k3) -> true.
  After it the map holds k3 absent, so T1#1 find(k3) would have returned ok=false, and no other
  remaining operation can be placed before it.
  Minimal non-linearizable sub-history (3 of 4 operations on k3):
    T0#0 [1,4] insert k3 T0#0 -> true
    T0#1 [5,8] erase k3 -> true
    T1#1 [9,12] find k3 -> ok T0#0
  Decided by the traceable fast path.
)";

TEST(ReportTest, RendersGoldenReport) {
  History history = GhostReadHistory();
  CheckResult result = CheckHistory(history);
  ASSERT_EQ(result.verdict, Verdict::kViolation);
  ReportContext context;
  context.fault = "publish_tophash_early";
  context.executor = "controlled";
  context.replay_command =
      "tophash-fuzz replay corpus/regressions/ghost_read-1a2b3c4d.sched";
  EXPECT_EQ(RenderReport(history, result.violation, context), kGoldenReport);
}

TEST(ReportTest, PendingOperationsRunOffTheRightEdge) {
  History history = GhostReadHistory();
  Violation violation;
  violation.kind = ViolationKind::kLostKey;
  violation.events = {3, 5};  // the assign and the pending insert
  std::string report = RenderReport(history, violation, {});
  EXPECT_NE(
      report.find("T2    |-insert_or_assign k4 T2#0-| |-insert k5 T2#1 -> "
                  "(no response)-->\n"),
      std::string::npos)
      << report;
}

TEST(ReportTest, CrowdedTimelinesStayWithinTheWidth) {
  HistoryBuilder builder;
  // Four threads, three overlapping writes each.
  for (int i = 0; i < 12; ++i) {
    uint64_t start = 1 + 30 * (i / 4) + 2 * (i % 4);
    builder.Assign(i % 4, 7, start, start + 20);
  }
  History history = builder.Build();
  Violation violation;
  violation.kind = ViolationKind::kBadFinalState;
  violation.summary = std::string(300, 'x');
  for (size_t i = 0; i < history.events.size(); ++i) {
    violation.events.push_back(i);
  }
  violation.offending = 5;
  std::string report = RenderReport(history, violation, {});
  std::string timeline = report.substr(0, report.find("\nOperations"));
  std::istringstream lines(timeline);
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    EXPECT_LE(line.size(), kReportWidth) << line;
    ++count;
  }
  EXPECT_GT(count, 8u);
  // Full labels do not fit; the kind-and-key form does, and the list after
  // the timeline has every operation in full, the offending one marked.
  EXPECT_NE(timeline.find("insert_or_assign k7"), std::string::npos) << report;
  EXPECT_EQ(timeline.find("insert_or_assign k7 T"), std::string::npos)
      << report;
  EXPECT_NE(timeline.find("|=insert_or_assign k7=|"), std::string::npos)
      << report;
  for (size_t i = 0; i < history.events.size(); ++i) {
    std::string listed =
        (i == 5 ? "\n* " : "\n  ") + PrintEvent(history.events[i]) + "\n";
    EXPECT_NE(report.find(listed), std::string::npos) << listed << report;
  }
}

TEST(ReportTest, TimelinesTooWideForAnyLabelStillListTheOperations) {
  HistoryBuilder builder;
  for (int i = 0; i < 60; ++i) builder.Assign(i % 8, i, 1 + 3 * i, 2 + 3 * i);
  History history = builder.Build();
  Violation violation;
  violation.kind = ViolationKind::kWrongSize;
  for (size_t i = 0; i < history.events.size(); ++i) {
    violation.events.push_back(i);
  }
  std::string report = RenderReport(history, violation, {});
  EXPECT_NE(report.find("(too many operations to draw in 100 columns; the "
                        "list below has them all)"),
            std::string::npos)
      << report;
  for (const Event& event : history.events) {
    EXPECT_NE(report.find("  " + PrintEvent(event) + "\n"), std::string::npos)
        << PrintEvent(event);
  }
}

}  // namespace
}  // namespace thfuzz
