// History file tests: exact round trips (torn, foreign and zero stamps,
// pending events, reports spanning lines, PrintHistory() output) and error
// positions, duplicate keys in `final` included.

#include "harness/check/history_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "harness/check/testing/history_builder.h"
#include "harness/check/testing/history_gen.h"

namespace thfuzz {
namespace {

using testing::HistoryBuilder;
using testing::W;

History RoundTrip(const History& history) {
  HistoryParseResult parsed =
      ParseHistory(FormatHistoryFile(history), "round_trip");
  EXPECT_EQ(parsed.error, "");
  return parsed.history.value_or(History{});
}

TEST(HistoryFileTest, WritesThePrintEventForm) {
  History history = HistoryBuilder()
                        .Insert(0, 3, 1, 4, true)
                        .Found(1, 3, 2, 5, W(3, 0, 0))
                        .Final({{3, W(3, 0, 0)}})
                        .Build();
  EXPECT_EQ(FormatHistoryFile(history),
            "# tophash-fuzz history v1 (see harness/HISTORY.md)\n"
            "T0#0 [1,4] insert k3 T0#0 -> true\n"
            "T1#0 [2,5] find k3 -> ok T0#0\n"
            "final {k3=T0#0}\n");
}

TEST(HistoryFileTest, OddStampsAndPendingEventsRoundTrip) {
  Stamp torn = W(3, 0, 0);
  torn.salt = W(3, 1, 4).salt;
  History history = HistoryBuilder()
                        .Insert(0, 3, 1, 4, true)
                        .Found(1, 3, 2, 5, torn)
                        .Found(1, 3, 6, 7, W(9, 2, 5))  // foreign
                        .Found(1, 3, 8, 9, Stamp{})
                        .Erase(2, 3, 1, 0, true)
                        .Pending()
                        .Size(0, 5, 10, 7)
                        .Clear(0, 11, 12)
                        .Final({{3, torn}, {4, Stamp{}}})
                        .Build();
  Event reserve;
  reserve.thread = 3;
  reserve.kind = OpKind::kReserve;
  reserve.amount = 4096;
  reserve.invoke = 20;
  reserve.response = 21;
  history.events.push_back(reserve);
  history.invariant_report = "bucket 3: bad tophash\n\n  overflow loop\n";
  EXPECT_EQ(RoundTrip(history), history);
}

TEST(HistoryFileTest, GeneratedHistoriesRoundTrip) {
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    History history = GenerateSmallHistory(seed);
    ASSERT_EQ(RoundTrip(history), history) << PrintHistory(history);
  }
}

TEST(HistoryFileTest, AcceptsCommentsIndentationAndPrintHistoryOutput) {
  History history = HistoryBuilder().Insert(0, 3, 1, 4, true).Final({}).Build();
  history.invariant_report = "all good";
  HistoryParseResult parsed =
      ParseHistory("\n# a comment\n  " + PrintHistory(history), "f");
  EXPECT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.history, history);
}

// PrintHistory() is what `explain` and reports print; with one
// "invariants:" line per report line it reads back exactly, whatever the
// report's shape (several lines, empty lines, a trailing newline).
TEST(HistoryFileTest, PrintHistoryOutputReadsBack) {
  const char* const kReports[] = {
      "",        "one line", "shard 0 bucket 3: tophash mismatch\n",
      "a\nb",    "\n",       "a\n\n  b\n",
      "  x\ny ", "\n\n"};
  for (uint64_t seed = 0; seed < 4000; ++seed) {
    History history = GenerateSmallHistory(seed);
    history.invariant_report = kReports[seed % std::size(kReports)];
    HistoryParseResult parsed = ParseHistory(PrintHistory(history), "printed");
    ASSERT_EQ(parsed.error, "") << PrintHistory(history);
    ASSERT_EQ(parsed.history, history) << PrintHistory(history);
    ASSERT_EQ(RoundTrip(history), history) << FormatHistoryFile(history);
  }
}

struct Malformed {
  const char* text;
  const char* error;
};

TEST(HistoryFileTest, MalformedLinesNameLineAndColumn) {
  const Malformed cases[] = {
      {"T0#0 [1,4] insert k3 T0#0 -> true\nT1#0 [2,5] fnd k3 -> absent\n",
       "h.txt:2:12: expected an operation (find, insert, ...), got 'fnd'"},
      {"T0#0 [4,4] erase k1 -> true",
       "h.txt:1:9: expected a response time after the invoke time, got "
       "'4]'"},
      {"T0#0 [1,2] find k1 -> maybe",
       "h.txt:1:23: expected 'ok <value>' or 'absent', got 'maybe'"},
      {"T0#0 [1,2] insert k1 X0#0 -> true",
       "h.txt:1:22: expected 'T', got 'X0#0'"},
      {"T0#0 [1,2] find k1 -> ok torn(12:34)",
       "h.txt:1:36: expected ':', got ')'"},
      {"T0#0 [1,2] size -> 3 extra",
       "h.txt:1:21: expected end of line, got ' extra'"},
      {"T300#0 [1,2] size -> 3",
       "h.txt:1:2: expected a thread number (0-255), got '300#0'"},
      {"final {k1=T0#0,k2=zero}", "h.txt:1:15: expected '}', got ',k2=zero}'"},
      {"final {k1=T0#0, k1=T1#0}",
       "h.txt:1:17: expected each key at most once in the final snapshot, "
       "got 'k1=T1#0}'"},
      {"final {}\nfinal {}",
       "h.txt:2:1: expected a single final line, got "
       "'final'"},
      {"T0#0 [1,2] size -> 0\nT1#0 [1,2] size -> 0\nT0#0 [3,4] size -> 0",
       "h.txt:3:1: expected each event id once (T0#0 is already on line 1), "
       "got 'T0#0'"},
      // Bytes of a bad file are escaped in the message, never echoed raw.
      {"T0#0 [1,2] \x1b[31mfind k1 -> absent",
       "h.txt:1:12: expected an operation (find, insert, ...), got "
       "'\\e[31mfind'"},
      {"  hello",
       "h.txt:1:3: expected an event ('T<thread>#<op> ...'), "
       "'final {' or 'invariants:', got 'hello'"},
  };
  for (const Malformed& c : cases) {
    HistoryParseResult parsed = ParseHistory(c.text, "h.txt");
    EXPECT_FALSE(parsed.history.has_value()) << c.text;
    EXPECT_EQ(parsed.error, c.error) << c.text;
  }
}

TEST(HistoryFileTest, FilesRoundTripAndMissingFilesFail) {
  auto path = std::filesystem::temp_directory_path() / "thfuzz_history.txt";
  History history = GenerateSmallHistory(uint64_t{7});
  ASSERT_EQ(WriteHistoryFile(path, history), "");
  HistoryParseResult parsed = ReadHistoryFile(path);
  EXPECT_EQ(parsed.history, history) << parsed.error;
  std::filesystem::remove(path);
  parsed = ReadHistoryFile(path);
  EXPECT_FALSE(parsed.history.has_value());
  EXPECT_EQ(parsed.error,
            path.string() + ": cannot read file: No such file or directory");
  parsed = ReadHistoryFile(path.parent_path());
  EXPECT_EQ(parsed.error,
            path.parent_path().string() + ": cannot read file: Is a directory");
  EXPECT_EQ(ReadHistoryFile("/dev/null").error,
            "/dev/null: cannot read file: not a regular file");
}

}  // namespace
}  // namespace thfuzz
