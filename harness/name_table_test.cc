// Tests of the name tables (name_table.h) and of the tables themselves:
// every table is in enum order, names round-trip, and lists read as the
// usage texts and error messages print them.

#include "harness/name_table.h"

#include <gtest/gtest.h>

#include <span>
#include <string>

#include "harness/faults.h"
#include "harness/operation.h"
#include "harness/run_options.h"
#include "harness/schedule.h"
#include "harness/violation.h"

namespace thfuzz {
namespace {

enum class Color : uint8_t { kRed, kGreen, kBlue };
constexpr NameRow<Color> kColors[] = {{Color::kRed, "red", "stop"},
                                      {Color::kGreen, "green", "go"},
                                      {Color::kBlue, "blue", "sky"}};
static_assert(InEnumOrder(kColors));
static_assert(NameIn(kColors, Color::kGreen) == "green");
static_assert(NameIn(kColors, static_cast<Color>(7)) == "unknown");
static_assert(ParseIn(kColors, "blue") == Color::kBlue);
static_assert(!ParseIn(kColors, "Blue"));

constexpr NameRow<Color> kShuffled[] = {{Color::kGreen, "green", ""},
                                        {Color::kRed, "red", ""}};
static_assert(!InEnumOrder(kShuffled));

TEST(NameTableTest, ListsReadAsInUsageTexts) {
  EXPECT_EQ(NameList(kColors), "red, green, blue");
  EXPECT_EQ(NameList(kColors, " or "), "red, green or blue");
  EXPECT_EQ(NameList(std::span(kColors).subspan<1>(), " or "),
            "green or blue");
  EXPECT_EQ(NameList(std::span(kColors).first<1>(), " or "), "red");
  EXPECT_EQ(HelpLines(kColors),
            "  red     stop\n"
            "  green   go\n"
            "  blue    sky");
}

TEST(NameTableTest, HarnessListsAreTheOnesUsageTextsShow) {
  EXPECT_EQ(NameList(kExecutors, " or "), "serial, controlled or stress");
  EXPECT_EQ(NameList(kMapKinds, " or "), "tophash, oracle, tbb or cuckoo");
  EXPECT_EQ(NameList(kKeyShapes, " or "), "spread or collide");
  EXPECT_EQ(NameList(kOpKinds),
            "find, insert, insert_or_assign, erase, size, clear, reserve");
  EXPECT_EQ(NameList(tophash::kFaults).substr(0, 34),
            "none, publish_tophash_before_key, ");
  EXPECT_EQ(kInjectedFaults.size(), size_t{tophash::kFaultCount} - 1);
  EXPECT_EQ(kInjectedFaults.front().value,
            tophash::Fault::kPublishTophashBeforeKey);
}

template <class Row, size_t N>
void ExpectRoundTrip(const Row (&rows)[N]) {
  for (const Row& row : rows) {
    EXPECT_EQ(ParseIn(rows, NameIn(rows, row.value)), row.value) << row.name;
    EXPECT_FALSE(row.help.empty()) << row.name;
  }
}

TEST(NameTableTest, EveryTableRoundTrips) {
  ExpectRoundTrip(kOpKinds);
  ExpectRoundTrip(kViolationKinds);
  ExpectRoundTrip(kKeyShapes);
  ExpectRoundTrip(kExecutors);
  ExpectRoundTrip(kMapKinds);
  ExpectRoundTrip(tophash::kFaults);
  for (const tophash::FaultInfo& fault : tophash::kFaults) {
    EXPECT_EQ(tophash::ParseFault(tophash::FaultName(fault.value)),
              fault.value);
  }
}

}  // namespace
}  // namespace thfuzz
