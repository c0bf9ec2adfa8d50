// Pins the kill table's schedule streams: docs/kill-table.md names its
// searches by StreamScheduleSeed(k, i), so the same command must draw the
// same schedules in every build (the seeds come from the harness's frozen
// mixer, random.h, never from the map's hash).

#include "harness/evaluate/kill_table.h"

#include <gtest/gtest.h>

namespace thfuzz {
namespace {

TEST(KillTableTest, StreamSeedsArePinned) {
  EXPECT_EQ(StreamScheduleSeed(0, 3), 11286133854226296553ULL);
  EXPECT_EQ(StreamScheduleSeed(1, 3), 15207254349468351956ULL);
  EXPECT_EQ(StreamScheduleSeed(42, 3), 14852252369830489057ULL);
  EXPECT_EQ(StreamScheduleSeed(0, 0) ^ StreamScheduleSeed(0, 1), 1u);
}

}  // namespace
}  // namespace thfuzz
