// Example-based tests of the `.sched` text form: the canonical printout, the
// looser text the parser also accepts, file reading, and the corpus in
// testdata/: every good/*.sched file parses and re-prints byte for byte, and
// every bad/*.sched file fails at the location its own first line names
// ("# error: LINE:COL [part of the message]").

#include "harness/codec/sched_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/codec/codec.h"
#include "harness/codec/documented_schedule.h"

namespace thfuzz {
namespace {

namespace fs = std::filesystem;

SchedMeta ExampleMeta() {
  return {.expect = ViolationKind::kNone,
          .fault = tophash::Fault::kNone,
          .executor = ExecutorKind::kControlled,
          .notes = {"A reader looks up k1 while thread 0 inserts it."}};
}

constexpr std::string_view kExampleText =
    "# A reader looks up k1 while thread 0 inserts it.\n"
    "\n"
    "expect: pass\n"
    "fault: none\n"
    "executor: controlled\n"
    "shape: collide\n"
    "keys: 4\n"
    "shards: 2\n"
    "capacity: 0\n"
    "seed: 42\n"
    "\n"
    "thread 0:\n"
    "  insert k1\n"
    "  reserve 300\n"
    "\n"
    "thread 1:\n"
    "  find k1\n"
    "  size\n"
    "\n"
    "decisions:\n"
    "  1 0 1\n";

TEST(CodecTextTest, PrintsCanonicalText) {
  EXPECT_EQ(PrintSchedule(DocumentedSchedule(), ExampleMeta()), kExampleText);
}

TEST(CodecTextTest, ParsesCanonicalText) {
  ParseResult parsed = ParseSchedule(kExampleText, "example.sched");
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.schedule, DocumentedSchedule());
  EXPECT_EQ(parsed.meta, ExampleMeta());
}

TEST(CodecTextTest, AcceptsLooseText) {
  constexpr std::string_view kLoose =
      "\n"
      "  # A reader looks up k1 while thread 0 inserts it.\r\n"
      "seed: 42   # header fields in any order\r\n"
      "keys:\t4\n"
      "shape: collide\n"
      "shards: 02\n"
      "executor: controlled\n"
      "fault: none\n"
      "expect: pass\n"
      "thread 0:\n"
      "insert k1\n"
      "      reserve 300\n"
      "# a comment inside a thread is not a note\n"
      "thread 1:\n"
      "\tfind k1\n"
      "  size  \n"
      "decisions: 1\n"
      "  0\n"
      "\n"
      "  1";
  ParseResult parsed = ParseSchedule(kLoose, "loose.sched");
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.schedule, DocumentedSchedule());
  EXPECT_EQ(parsed.meta, ExampleMeta());
}

TEST(CodecTextTest, OptionalFieldsDefault) {
  ParseResult parsed = ParseSchedule("keys: 3\nthread 0:\n", "min.sched");
  ASSERT_EQ(parsed.error, "");
  Schedule expected;
  expected.key_count = 3;
  expected.threads.resize(1);
  EXPECT_EQ(parsed.schedule, expected);
  EXPECT_EQ(parsed.meta, SchedMeta{});
}

TEST(CodecTextTest, NoteWithNewlinesPrintsAsSeveralNotes) {
  Schedule s;
  s.threads.resize(1);
  SchedMeta meta;
  meta.notes = {"first\nsecond", ""};
  ParseResult parsed = ParseSchedule(PrintSchedule(s, meta), "n.sched");
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.meta.notes,
            (std::vector<std::string>{"first", "second", ""}));
}

TEST(CodecTextTest, ErrorNamesFileLineColumnAndWhatWasExpected) {
  ParseResult parsed =
      ParseSchedule("keys: 4\nthread 0:\n  find k9\n", "three.sched");
  EXPECT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error,
            "three.sched:3:8: expected a key k0..k3 (keys: 4), got 'k9'");
}

TEST(CodecTextTest, ErrorWithoutFilenameSaysInput) {
  ParseResult parsed = ParseSchedule("", "");
  EXPECT_EQ(parsed.error,
            "<input>:1:1: expected header field 'keys:', got end of file");
}

TEST(CodecTextTest, ReadSchedFileReportsUnreadableFiles) {
  ParseResult missing = ReadSchedFile("/nonexistent/dir/x.sched");
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.error,
            "/nonexistent/dir/x.sched: cannot read file: No such file or "
            "directory");
  ParseResult directory = ReadSchedFile(THFUZZ_CODEC_TESTDATA);
  EXPECT_FALSE(directory.ok());
  EXPECT_NE(directory.error.find("cannot read file: Is a directory"),
            std::string::npos)
      << directory.error;
}

// --- The corpus in testdata/ -------------------------------------------------

std::vector<fs::path> SchedFiles(const std::string& subdirectory) {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(THFUZZ_CODEC_TESTDATA) / subdirectory)) {
    if (entry.path().extension() == ".sched") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string FileText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TestNameOf(const testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class CodecGoodCorpusTest : public testing::TestWithParam<fs::path> {};

TEST_P(CodecGoodCorpusTest, ParsesAndReprintsIdentically) {
  ParseResult parsed = ReadSchedFile(GetParam());
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(PrintSchedule(*parsed.schedule, parsed.meta), FileText(GetParam()));
  EXPECT_EQ(DecodeSchedule(EncodeSchedule(*parsed.schedule)), *parsed.schedule);
}

INSTANTIATE_TEST_SUITE_P(Good, CodecGoodCorpusTest,
                         testing::ValuesIn(SchedFiles("good")), TestNameOf);

class CodecBadCorpusTest : public testing::TestWithParam<fs::path> {};

TEST_P(CodecBadCorpusTest, FailsAtTheMarkedLocation) {
  std::string text = FileText(GetParam());
  std::smatch marker;
  static const std::regex kMarker(R"(^# error: (\d+):(\d+) ?([^\n]*))");
  ASSERT_TRUE(std::regex_search(text, marker, kMarker))
      << "the first line must be '# error: LINE:COL [message part]'";
  ParseResult parsed = ReadSchedFile(GetParam());
  EXPECT_FALSE(parsed.ok());
  std::string location = GetParam().string() + ":" + marker[1].str() + ":" +
                         marker[2].str() + ": expected ";
  EXPECT_TRUE(parsed.error.starts_with(location))
      << parsed.error << "\ndoes not start with\n"
      << location;
  EXPECT_NE(parsed.error.find(marker[3].str()), std::string::npos)
      << parsed.error << "\ndoes not contain\n"
      << marker[3].str();
}

INSTANTIATE_TEST_SUITE_P(Bad, CodecBadCorpusTest,
                         testing::ValuesIn(SchedFiles("bad")), TestNameOf);

}  // namespace
}  // namespace thfuzz
