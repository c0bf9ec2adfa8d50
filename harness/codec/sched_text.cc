// Printer and parser of the `.sched` text form (grammar in FORMAT.md).
//
// The parser works one line at a time: it strips the `#` comment, splits the
// rest into words that remember their columns, and hands the line to the
// handler of the current section (header, threads, decisions). The first
// problem found is reported with the column of the word at fault, or of the
// end of the line when a word is missing; nothing after it is read.

#include "harness/codec/sched_text.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <span>

#include "harness/printable.h"
#include "harness/read_file.h"
#include "harness/violation.h"
#include "tophash/policy.h"

namespace thfuzz {
namespace {

constexpr size_t kDecisionsPerLine = 16;
constexpr uint64_t kMaxDecision = std::numeric_limits<uint8_t>::max();

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::optional<uint64_t> ParseNumber(std::string_view text) {
  uint64_t value = 0;
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> ParseNumberUpTo(std::string_view text, uint64_t max) {
  auto value = ParseNumber(text);
  if (!value || *value > max) return std::nullopt;
  return value;
}

// A word of the file as an error message quotes it: control bytes escaped.
std::string Quote(std::string_view word) { return "'" + Printable(word) + "'"; }

// "1..64". Error texts take their limits from Schedule's caps.
std::string Range(uint64_t low, uint64_t high) {
  return std::to_string(low) + ".." + std::to_string(high);
}

// "1, 2, 4, 8 or 16": the shard counts up to 2^kMaxShardsLog2.
std::string ShardCounts() {
  std::string counts;
  for (unsigned log2 = 0; log2 <= Schedule::kMaxShardsLog2; ++log2) {
    if (log2 > 0) counts += log2 == Schedule::kMaxShardsLog2 ? " or " : ", ";
    counts += std::to_string(1u << log2);
  }
  return counts;
}

// ---------------------------------------------------------------------------
// Header fields.

// Stores a field's value; false if the value is not one the field accepts.
using FieldSetter = bool (*)(std::string_view value, Schedule&, SchedMeta&);

struct FieldSpec {
  std::string_view name;
  std::string expected;  // what a value looks like, for error messages
  FieldSetter set;
};

// `expect: pass` is ViolationKind::kNone; `expect: none` is not a verdict.
constexpr std::string_view kPass = "pass";
constexpr auto kViolationsButNone = std::span(kViolationKinds).subspan<1>();

std::string_view ExpectName(ViolationKind kind) {
  return kind == ViolationKind::kNone ? kPass : ViolationKindName(kind);
}

bool SetExpect(std::string_view value, Schedule&, SchedMeta& meta) {
  if (value == kPass) {
    meta.expect = ViolationKind::kNone;
    return true;
  }
  meta.expect = ParseIn(kViolationKinds, value);
  return meta.expect && *meta.expect != ViolationKind::kNone;
}

bool SetFault(std::string_view value, Schedule&, SchedMeta& meta) {
  meta.fault = tophash::ParseFault(value);
  return meta.fault.has_value();
}

bool SetExecutor(std::string_view value, Schedule&, SchedMeta& meta) {
  meta.executor = ParseExecutor(value);
  return meta.executor.has_value();
}

bool SetGranularity(std::string_view value, Schedule& schedule, SchedMeta&) {
  std::optional<Granularity> granularity = ParseGranularity(value);
  if (granularity) schedule.granularity = *granularity;
  return granularity.has_value();
}

bool SetShape(std::string_view value, Schedule& schedule, SchedMeta&) {
  std::optional<KeyShape> shape = ParseKeyShape(value);
  if (shape) schedule.key_shape = *shape;
  return shape.has_value();
}

bool SetKeys(std::string_view value, Schedule& schedule, SchedMeta&) {
  auto count = ParseNumberUpTo(value, Schedule::kMaxKeys);
  if (!count || *count == 0) return false;
  schedule.key_count = static_cast<uint8_t>(*count);
  return true;
}

bool SetShards(std::string_view value, Schedule& schedule, SchedMeta&) {
  auto count = ParseNumber(value);
  for (unsigned log2 = 0; log2 <= Schedule::kMaxShardsLog2; ++log2) {
    if (count == (uint64_t{1} << log2)) {
      schedule.shards_log2 = static_cast<uint8_t>(log2);
      return true;
    }
  }
  return false;
}

bool SetCapacity(std::string_view value, Schedule& schedule, SchedMeta&) {
  auto capacity = ParseNumberUpTo(value, Schedule::kMaxInitialCapacity);
  if (!capacity) return false;
  schedule.initial_capacity = static_cast<uint16_t>(*capacity);
  return true;
}

bool SetSeed(std::string_view value, Schedule& schedule, SchedMeta&) {
  auto seed = ParseNumber(value);
  if (!seed) return false;
  schedule.seed = *seed;
  return true;
}

// In the order PrintSchedule() writes them.
const std::vector<FieldSpec>& Fields() {
  static const auto* fields = new std::vector<FieldSpec>{
      {"expect",
       "'pass' or a violation kind (" + NameList(kViolationsButNone) + ")",
       SetExpect},
      {"fault", "a fault name (" + NameList(tophash::kFaults) + ")", SetFault},
      {"executor", NameList(kExecutors, " or "), SetExecutor},
      {"granularity", NameList(kGranularities, " or "), SetGranularity},
      {"shape", NameList(kKeyShapes, " or "), SetShape},
      {"keys", "a key count " + Range(1, Schedule::kMaxKeys), SetKeys},
      {"shards", "a shard count " + ShardCounts(), SetShards},
      {"capacity",
       "an initial capacity " + Range(0, Schedule::kMaxInitialCapacity),
       SetCapacity},
      {"seed", "a seed " + Range(0, std::numeric_limits<uint64_t>::max()),
       SetSeed},
  };
  return *fields;
}

// "expect, fault, executor, ...".
std::string FieldNames() {
  std::string names;
  for (const FieldSpec& field : Fields()) {
    names += (names.empty() ? "" : ", ") + std::string(field.name);
  }
  return names;
}

const FieldSpec* FindField(std::string_view word) {
  if (!word.ends_with(':')) return nullptr;
  word.remove_suffix(1);
  for (const FieldSpec& field : Fields()) {
    if (field.name == word) return &field;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Lines.

struct Word {
  std::string_view text;
  size_t column;  // 1-based
};

// One line without its comment, split into words.
struct Line {
  size_t number = 0;  // 1-based
  std::vector<Word> words;
  size_t end_column = 1;  // just past the last word: where "end of line" is

  bool empty() const { return words.empty(); }
};

Line SplitLine(std::string_view raw, size_t number) {
  Line line;
  line.number = number;
  std::string_view content = raw.substr(0, raw.find('#'));
  size_t i = 0;
  while (i < content.size()) {
    if (IsSpace(content[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < content.size() && !IsSpace(content[i])) ++i;
    line.words.push_back({content.substr(start, i - start), start + 1});
    line.end_column = i + 1;
  }
  return line;
}

// A leading `#` line is a note; its text starts after "#" and one space.
std::optional<std::string> NoteOf(std::string_view raw) {
  size_t first = raw.find_first_not_of(" \t");
  if (first == std::string_view::npos || raw[first] != '#') return std::nullopt;
  std::string_view note = raw.substr(first + 1);
  if (note.starts_with(' ')) note.remove_prefix(1);
  if (note.ends_with('\r')) note.remove_suffix(1);
  return std::string(note);
}

// ---------------------------------------------------------------------------
// The parser.

class Parser {
 public:
  explicit Parser(std::string_view filename)
      : filename_(filename.empty() ? "<input>" : Printable(filename)) {}

  ParseResult Parse(std::string_view text);

 private:
  enum class Section { kNotes, kHeader, kThreads, kDecisions };

  // Each returns false once it has recorded an error.
  bool ParseLine(std::string_view raw, size_t number);
  bool ParseField(const Line& line);
  bool ParseThreadStart(const Line& line);
  bool ParseOperation(const Line& line);
  bool ParseOperand(const Line& line, Operation& op);
  bool ParseDecisions(const Line& line, size_t first_word);
  bool Finish(size_t end_line);

  bool Fail(size_t line, size_t column, const std::string& message);
  // Reports `message` at the column of word `index` of the line.
  bool FailAt(const Line& line, size_t index, const std::string& message) {
    return Fail(line.number, line.words[index].column, message);
  }
  // "expected <what>, got <word `index` of the line, or end of line>".
  bool Expected(const Line& line, size_t index, const std::string& what);
  bool ExpectEnd(const Line& line, size_t index) {
    return index >= line.words.size() || Expected(line, index, "end of line");
  }

  std::string filename_;
  Section section_ = Section::kNotes;
  Schedule schedule_;
  SchedMeta meta_;
  std::vector<std::string_view> seen_fields_;
  std::string error_;
};

ParseResult Parser::Parse(std::string_view text) {
  schedule_.threads.clear();
  size_t number = 0;
  bool ok = true;
  while (ok && !text.empty()) {
    size_t newline = text.find('\n');
    std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? "" : text.substr(newline + 1);
    ok = ParseLine(raw, ++number);
  }
  if (ok) ok = Finish(number + 1);

  ParseResult result;
  result.meta = std::move(meta_);
  if (ok) {
    result.schedule = std::move(schedule_);
  } else {
    result.error = std::move(error_);
  }
  return result;
}

bool Parser::ParseLine(std::string_view raw, size_t number) {
  if (section_ == Section::kNotes) {
    if (auto note = NoteOf(raw)) {
      meta_.notes.push_back(std::move(*note));
      return true;
    }
  }
  Line line = SplitLine(raw, number);
  if (line.empty()) return true;
  if (section_ == Section::kNotes) section_ = Section::kHeader;
  if (section_ == Section::kDecisions) return ParseDecisions(line, 0);

  std::string_view first = line.words[0].text;
  if (first == "thread") return ParseThreadStart(line);
  if (first == "decisions:") {
    if (section_ != Section::kThreads) {
      return Expected(line, 0, "'thread 0:' before 'decisions:'");
    }
    section_ = Section::kDecisions;
    return ParseDecisions(line, 1);
  }
  if (section_ == Section::kHeader) {
    if (FindField(first)) return ParseField(line);
    return Expected(line, 0,
                    "a header field (" + FieldNames() + ") or 'thread 0:'");
  }
  if (FindField(first)) {
    return Expected(line, 0,
                    "an operation, 'thread N:' or 'decisions:' (header "
                    "fields come before the first thread)");
  }
  return ParseOperation(line);
}

bool Parser::ParseField(const Line& line) {
  const FieldSpec& field = *FindField(line.words[0].text);
  for (std::string_view seen : seen_fields_) {
    if (seen == field.name) {
      return FailAt(line, 0,
                    "expected each header field once, got a second " +
                        Quote(line.words[0].text));
    }
  }
  seen_fields_.push_back(field.name);
  if (line.words.size() < 2 ||
      !field.set(line.words[1].text, schedule_, meta_)) {
    return Expected(line, 1, field.expected);
  }
  return ExpectEnd(line, 2);
}

bool Parser::ParseThreadStart(const Line& line) {
  size_t next = schedule_.threads.size();
  std::string next_block = "'thread " + std::to_string(next) + ":'";
  std::string_view label = line.words.size() > 1 ? line.words[1].text : "";
  auto number = label.ends_with(':')
                    ? ParseNumber(label.substr(0, label.size() - 1))
                    : std::nullopt;
  if (!number)
    return Expected(line, 1, "a thread number and ':' as in 'thread 0:'");
  if (*number >= Schedule::kMaxThreads) {
    return Expected(line, 1,
                    "a thread number " + Range(0, Schedule::kMaxThreads - 1));
  }
  if (*number < next) {
    return FailAt(line, 1,
                  "expected " + next_block +
                      " (each thread once), got a second " +
                      Quote("thread " + std::string(label)));
  }
  if (*number > next) {
    return Expected(line, 1, next_block + " (threads are numbered in order)");
  }
  if (std::find(seen_fields_.begin(), seen_fields_.end(), "keys") ==
      seen_fields_.end()) {
    return Expected(line, 0, "header field 'keys:' before the first thread");
  }
  section_ = Section::kThreads;
  schedule_.threads.emplace_back();
  return ExpectEnd(line, 2);
}

bool Parser::ParseOperation(const Line& line) {
  auto kind = ParseOpKind(line.words[0].text);
  if (!kind) {
    return Expected(line, 0,
                    "an operation (" + NameList(kOpKinds) +
                        "), 'thread N:' or 'decisions:'");
  }
  auto& ops = schedule_.threads.back();
  if (ops.size() >= Schedule::kMaxOpsPerThread) {
    return FailAt(
        line, 0,
        "expected at most " + std::to_string(Schedule::kMaxOpsPerThread) +
            " operations in thread " +
            std::to_string(schedule_.threads.size() - 1) + ", got more");
  }
  if (schedule_.TotalOps() >= Schedule::kMaxTotalOps) {
    return FailAt(line, 0,
                  "expected at most " + std::to_string(Schedule::kMaxTotalOps) +
                      " operations in all, got more");
  }
  Operation op;
  op.kind = *kind;
  if (!ParseOperand(line, op)) return false;
  ops.push_back(op);
  bool has_operand = IsSingleKey(op.kind) || op.kind == OpKind::kReserve;
  return ExpectEnd(line, has_operand ? 2 : 1);
}

bool Parser::ParseOperand(const Line& line, Operation& op) {
  std::string_view operand = line.words.size() > 1 ? line.words[1].text : "";
  if (op.kind == OpKind::kReserve) {
    auto amount = ParseNumberUpTo(operand, Schedule::kMaxReserve);
    if (!amount) {
      return Expected(line, 1,
                      "a reserve amount " + Range(0, Schedule::kMaxReserve));
    }
    op.amount = static_cast<uint32_t>(*amount);
    return true;
  }
  if (!IsSingleKey(op.kind)) return true;
  auto index =
      operand.starts_with('k') ? ParseNumber(operand.substr(1)) : std::nullopt;
  if (!index) return Expected(line, 1, "a key such as k0");
  if (*index >= schedule_.key_count) {
    return Expected(line, 1,
                    "a key k0..k" + std::to_string(schedule_.key_count - 1) +
                        " (keys: " + std::to_string(schedule_.key_count) + ")");
  }
  op.key = static_cast<uint8_t>(*index);
  return true;
}

bool Parser::ParseDecisions(const Line& line, size_t first_word) {
  for (size_t i = first_word; i < line.words.size(); ++i) {
    auto decision = ParseNumberUpTo(line.words[i].text, kMaxDecision);
    if (!decision) {
      return Expected(line, i, "decision numbers " + Range(0, kMaxDecision));
    }
    if (schedule_.decisions.size() >= Schedule::kMaxDecisions) {
      return FailAt(line, i,
                    "expected at most " +
                        std::to_string(Schedule::kMaxDecisions) +
                        " decisions, got more");
    }
    schedule_.decisions.push_back(static_cast<uint8_t>(*decision));
  }
  return true;
}

bool Parser::Finish(size_t end_line) {
  if (std::find(seen_fields_.begin(), seen_fields_.end(), "keys") ==
      seen_fields_.end()) {
    return Fail(end_line, 1, "expected header field 'keys:', got end of file");
  }
  if (schedule_.threads.empty()) {
    return Fail(end_line, 1,
                "expected at least one 'thread N:' block, got end of file");
  }
  // The checks above should make this unreachable; it guards the promise
  // that every parsed schedule is valid.
  std::string invalid = ValidateSchedule(schedule_);
  if (!invalid.empty())
    return Fail(end_line, 1, "invalid schedule: " + invalid);
  return true;
}

bool Parser::Fail(size_t line, size_t column, const std::string& message) {
  error_ = filename_ + ":" + std::to_string(line) + ":" +
           std::to_string(column) + ": " + message;
  return false;
}

bool Parser::Expected(const Line& line, size_t index, const std::string& what) {
  if (index >= line.words.size()) {
    return Fail(line.number, line.end_column,
                "expected " + what + ", got end of line");
  }
  const Word& word = line.words[index];
  return Fail(line.number, word.column,
              "expected " + what + ", got " + Quote(word.text));
}

// ---------------------------------------------------------------------------
// The printer.

std::string OperationText(const Operation& op) {
  std::string text(OpKindName(op.kind));
  if (IsSingleKey(op.kind)) text += " k" + std::to_string(op.key);
  if (op.kind == OpKind::kReserve) text += " " + std::to_string(op.amount);
  return text;
}

void PrintNotes(const std::vector<std::string>& notes, std::string& out) {
  for (const std::string& note : notes) {
    std::string_view rest = note;
    while (true) {
      std::string_view line = rest.substr(0, rest.find('\n'));
      out += line.empty() ? "#\n" : "# " + std::string(line) + "\n";
      if (line.size() == rest.size()) break;
      rest.remove_prefix(line.size() + 1);
    }
  }
  if (!notes.empty()) out += "\n";
}

void PrintField(std::string_view name, std::string_view value,
                std::string& out) {
  out += std::string(name) + ": " + std::string(value) + "\n";
}

void PrintDecisions(const std::vector<uint8_t>& decisions, std::string& out) {
  if (decisions.empty()) return;
  out += "\ndecisions:\n";
  for (size_t i = 0; i < decisions.size(); ++i) {
    out += i % kDecisionsPerLine == 0 ? "  " : " ";
    out += std::to_string(decisions[i]);
    if (i % kDecisionsPerLine == kDecisionsPerLine - 1 ||
        i + 1 == decisions.size()) {
      out += "\n";
    }
  }
}

}  // namespace

std::string PrintSchedule(const Schedule& schedule, const SchedMeta& meta) {
  std::string out;
  PrintNotes(meta.notes, out);
  if (meta.expect) PrintField("expect", ExpectName(*meta.expect), out);
  if (meta.fault) PrintField("fault", tophash::FaultName(*meta.fault), out);
  if (meta.executor) PrintField("executor", ExecutorName(*meta.executor), out);
  // Coarse is the default and is left out, so every .sched file written
  // before granularities existed prints exactly as it always did.
  if (schedule.granularity != Granularity::kCoarse) {
    PrintField("granularity", GranularityName(schedule.granularity), out);
  }
  PrintField("shape", KeyShapeName(schedule.key_shape), out);
  PrintField("keys", std::to_string(schedule.key_count), out);
  PrintField("shards", std::to_string(1u << schedule.shards_log2), out);
  PrintField("capacity", std::to_string(schedule.initial_capacity), out);
  PrintField("seed", std::to_string(schedule.seed), out);
  for (size_t t = 0; t < schedule.threads.size(); ++t) {
    out += "\nthread " + std::to_string(t) + ":\n";
    for (const Operation& op : schedule.threads[t]) {
      out += "  " + OperationText(op) + "\n";
    }
  }
  PrintDecisions(schedule.decisions, out);
  return out;
}

ParseResult ParseSchedule(std::string_view text, std::string_view filename) {
  return Parser(filename).Parse(text);
}

ParseResult ReadSchedFile(const std::filesystem::path& path) {
  std::string error;
  auto text = ReadWholeFile(path, &error);
  if (!text) {
    ParseResult result;
    result.error = Printable(path.string()) + ": cannot read file: " + error;
    return result;
  }
  return ParseSchedule(*text, path.string());
}

}  // namespace thfuzz
