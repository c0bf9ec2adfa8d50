// Tests of the core types: stamps classify what they must, schedules are
// validated against their caps, histories print stably.

#include <gtest/gtest.h>

#include <cstring>

#include "harness/history.h"
#include "harness/schedule.h"
#include "harness/stamp.h"
#include "harness/violation.h"

namespace thfuzz {
namespace {

TEST(StampTest, ClassifiesValidForeignTornAndZero) {
  Stamp a = MakeStamp(7, 0, 3);
  Stamp b = MakeStamp(7, 1, 0);
  EXPECT_EQ(CheckStamp(a, 7), StampCheck::kValid);
  EXPECT_EQ(CheckStamp(a, 8), StampCheck::kForeign);
  EXPECT_EQ(CheckStamp(Stamp{}, 7), StampCheck::kZero);
  // Every mix of words from two different writes of the same key is torn
  // (the key word is the same in both, so some masks give back a or b).
  for (int mask = 1; mask < 15; ++mask) {
    uint64_t wa[4], wb[4], mixed[4];
    std::memcpy(wa, &a, 32);
    std::memcpy(wb, &b, 32);
    for (int w = 0; w < 4; ++w) mixed[w] = (mask >> w & 1) ? wb[w] : wa[w];
    Stamp torn;
    std::memcpy(&torn, mixed, 32);
    if (torn == a || torn == b) continue;
    EXPECT_EQ(CheckStamp(torn, 7), StampCheck::kTorn) << "mask " << mask;
  }
  // A value caught after its first word was stored is torn, not zero, even
  // for key 0.
  Stamp first_word_only;
  first_word_only.salt = MakeStamp(0, 0, 0).salt;
  EXPECT_EQ(CheckStamp(first_word_only, 0), StampCheck::kTorn);
  EXPECT_EQ(StampLabel(a, 7), "T0#3");
}

TEST(ScheduleTest, ValidatesCaps) {
  Schedule s;
  EXPECT_NE(ValidateSchedule(s), "");  // no threads
  s.threads = {{{OpKind::kInsert, 3, 0}}, {{OpKind::kFind, 3, 0}}};
  EXPECT_EQ(ValidateSchedule(s), "");
  s.threads[0][0].key = 8;  // key_count is 8
  EXPECT_NE(ValidateSchedule(s).find("key index 8"), std::string::npos);
  s.threads[0][0] = {OpKind::kReserve, 0, Schedule::kMaxReserve + 1};
  EXPECT_NE(ValidateSchedule(s).find("amount"), std::string::npos);
  s.threads.assign(Schedule::kMaxThreads + 1, {});
  EXPECT_NE(ValidateSchedule(s).find("thread count"), std::string::npos);
}

// T0 inserts k3 while T1 finds it; the final state holds T0's value.
History InsertAndFind() {
  History h;
  Event insert;
  insert.kind = OpKind::kInsert;
  insert.key = 3;
  insert.value = MakeStamp(3, 0, 0);
  insert.invoke = 1;
  insert.response = 4;
  insert.ok = true;
  Event find;
  find.thread = 1;
  find.key = 3;
  find.invoke = 2;
  find.response = 5;
  find.ok = true;
  find.out = MakeStamp(3, 0, 0);
  h.events = {insert, find};
  h.has_final_state = true;
  h.final_state = {{3, MakeStamp(3, 0, 0)}};
  return h;
}

TEST(HistoryTest, PrintsStably) {
  History h = InsertAndFind();
  EXPECT_EQ(PrintHistory(h),
            "T0#0 [1,4] insert k3 T0#0 -> true\n"
            "T1#0 [2,5] find k3 -> ok T0#0\n"
            "final {k3=T0#0}\n");
  History same = h;
  EXPECT_EQ(HistoryHash(h), HistoryHash(same));
  same.events[1].out = MakeStamp(3, 1, 0);
  EXPECT_NE(HistoryHash(h), HistoryHash(same));
}

// Like random_test.cc's numbers, never to be updated to make a test pass:
// HistoryHash proves that executions replay bit for bit.
TEST(HistoryTest, HashIsPinned) {
  EXPECT_EQ(HistoryHash(InsertAndFind()), 5386692078058573613ULL);
}

TEST(ViolationTest, NamesRoundTrip) {
  for (const NameRow<ViolationKind>& row : kViolationKinds) {
    EXPECT_EQ(ParseViolationKind(ViolationKindName(row.value)), row.value);
  }
}

}  // namespace
}  // namespace thfuzz
