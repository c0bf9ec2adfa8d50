// Writing and parsing history files (see history_file.h and HISTORY.md).

#include "harness/check/history_file.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <limits>
#include <map>
#include <utility>

#include "harness/printable.h"
#include "harness/read_file.h"

#include "absl/container/flat_hash_set.h"

namespace thfuzz {
namespace {

// Reads one line left to right; the first failure is kept and all later
// calls fail quietly, so callers can chain without checking each step.
class LineReader {
 public:
  LineReader(std::string_view line, std::string_view filename, int line_number)
      : line_(line), filename_(filename), line_number_(line_number) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool AtEnd() const { return position_ == line_.size(); }
  bool Peek(std::string_view text) const {
    return line_.substr(position_).starts_with(text);
  }

  bool Consume(std::string_view text) {
    if (!ok()) return false;
    if (!Peek(text)) return Fail("'" + std::string(text) + "'");
    position_ += text.size();
    return true;
  }
  bool TryConsume(std::string_view text) {
    if (!ok() || !Peek(text)) return false;
    position_ += text.size();
    return true;
  }

  template <typename Int>
  Int Number(std::string_view what, int base = 10) {
    uint64_t value = 0;
    if (!ok()) return 0;
    const char* begin = line_.data() + position_;
    const char* end = line_.data() + line_.size();
    auto [stop, status] = std::from_chars(begin, end, value, base);
    if (status != std::errc() || value > std::numeric_limits<Int>::max()) {
      Fail(std::string(what));
      return 0;
    }
    position_ += stop - begin;
    return static_cast<Int>(value);
  }

  std::string_view Word() {
    size_t end = position_;
    while (end < line_.size() &&
           (std::islower(static_cast<unsigned char>(line_[end])) ||
            line_[end] == '_')) {
      ++end;
    }
    std::string_view word = line_.substr(position_, end - position_);
    if (ok()) position_ = end;
    return word;
  }
  std::string_view Rest() {
    std::string_view rest = line_.substr(position_);
    position_ = line_.size();
    return rest;
  }

  void ExpectEnd() {
    if (ok() && !AtEnd()) Fail("end of line");
  }

  bool Fail(std::string_view expected) { return FailAt(position_, expected); }
  bool FailAt(size_t position, std::string_view expected) {
    if (!ok()) return false;
    // The offending token, with any spaces that lead up to it.
    size_t token = line_.find_first_not_of(' ', position);
    size_t end =
        token == std::string_view::npos ? line_.size() : line_.find(' ', token);
    std::string_view got = line_.substr(position, end - position);
    error_ = Printable(filename_) + ":" + std::to_string(line_number_) + ":" +
             std::to_string(position + 1) + ": expected " +
             std::string(expected) + ", got " +
             (got.empty() ? "end of line" : "'" + Printable(got) + "'");
    return false;
  }
  size_t position() const { return position_; }

 private:
  std::string_view line_;
  std::string_view filename_;
  int line_number_;
  size_t position_ = 0;
  std::string error_;
};

// The inverse of StampLabel(stamp, key).
Stamp ReadStamp(LineReader& in, uint64_t key) {
  if (in.TryConsume("zero")) return Stamp{};
  if (in.TryConsume("torn(")) {
    Stamp stamp;
    stamp.salt = in.Number<uint64_t>("16 hex digits", 16);
    in.Consume(":");
    stamp.key = in.Number<uint64_t>("16 hex digits", 16);
    in.Consume(":");
    uint64_t writer_sequence = in.Number<uint64_t>("16 hex digits", 16);
    stamp.writer = static_cast<uint32_t>(writer_sequence >> 32);
    stamp.sequence = static_cast<uint32_t>(writer_sequence);
    in.Consume(":");
    stamp.checksum = in.Number<uint64_t>("16 hex digits", 16);
    in.Consume(")");
    return stamp;
  }
  bool foreign = in.TryConsume("foreign(k");
  if (foreign) {
    key = in.Number<uint64_t>("a key number");
    in.Consume(":");
  }
  if (!in.Consume("T")) return Stamp{};
  auto thread = in.Number<uint32_t>("a writer thread number");
  in.Consume("#");
  auto index = in.Number<uint32_t>("an operation number");
  if (foreign) in.Consume(")");
  if (thread == 0xffffffff || index == 0xffffffff) {
    in.Fail("a stamp label");
  }
  return MakeStamp(key, thread, index);
}

void ReadResult(LineReader& in, Event& event) {
  switch (event.kind) {
    case OpKind::kFind:
      if (!in.Consume(" -> ") || in.TryConsume("absent")) return;
      if (!in.TryConsume("ok ")) {
        in.Fail("'ok <value>' or 'absent'");
        return;
      }
      event.ok = true;
      event.out = ReadStamp(in, event.key);
      return;
    case OpKind::kInsert:
    case OpKind::kErase:
      if (!in.Consume(" -> ")) return;
      event.ok = in.TryConsume("true");
      if (!event.ok && !in.TryConsume("false")) in.Fail("'true' or 'false'");
      return;
    case OpKind::kSize:
      in.Consume(" -> ");
      event.size = in.Number<uint64_t>("a size");
      return;
    default:
      return;
  }
}

// "T1#0 [2,5] find k3 -> ok T0#0", as PrintEvent() writes it.
Event ReadEvent(LineReader& in) {
  Event event;
  in.Consume("T");
  event.thread = in.Number<uint8_t>("a thread number (0-255)");
  in.Consume("#");
  event.index = in.Number<uint16_t>("an operation number");
  in.Consume(" [");
  event.invoke = in.Number<uint64_t>("an invoke time");
  in.Consume(",");
  event.completed = !in.TryConsume("-");
  size_t response_at = in.position();
  if (event.completed) {
    event.response = in.Number<uint64_t>("a response time or '-'");
    if (in.ok() && event.response <= event.invoke) {
      in.FailAt(response_at, "a response time after the invoke time");
    }
  }
  in.Consume("] ");
  size_t kind_at = in.position();
  std::optional<OpKind> kind = ParseOpKind(in.Word());
  if (!kind) in.FailAt(kind_at, "an operation (find, insert, ...)");
  event.kind = kind.value_or(OpKind::kFind);
  if (IsSingleKey(event.kind)) {
    in.Consume(" k");
    event.key = in.Number<uint64_t>("a key number");
  }
  if (IsWrite(event.kind)) {
    in.Consume(" ");
    event.value = ReadStamp(in, event.key);
  }
  if (event.kind == OpKind::kReserve) {
    in.Consume(" ");
    event.amount = in.Number<uint32_t>("a reserve amount");
  }
  if (event.completed) {
    ReadResult(in, event);
  } else {
    in.Consume(" -> (no response)");
  }
  in.ExpectEnd();
  return event;
}

// "final {k3=T0#0, k5=T1#2}"
void ReadFinalState(LineReader& in, History& history) {
  history.has_final_state = true;
  in.Consume("final {");
  if (in.TryConsume("}")) return in.ExpectEnd();
  // A key twice would make the snapshot contradict itself.
  absl::flat_hash_set<uint64_t> seen;
  do {
    size_t key_at = in.position();
    in.Consume("k");
    uint64_t key = in.Number<uint64_t>("a key number");
    if (in.ok() && !seen.insert(key).second) {
      in.FailAt(key_at, "each key at most once in the final snapshot");
    }
    in.Consume("=");
    history.final_state.emplace_back(key, ReadStamp(in, key));
  } while (in.ok() && in.TryConsume(", "));
  in.Consume("}");
  in.ExpectEnd();
}

std::string_view StripIndent(std::string_view line) {
  size_t start = line.find_first_not_of(" \t");
  return start == std::string_view::npos ? "" : line.substr(start);
}

}  // namespace

std::string FormatHistoryFile(const History& history) {
  return "# tophash-fuzz history v1 (see harness/HISTORY.md)\n" +
         PrintHistory(history);
}

HistoryParseResult ParseHistory(std::string_view text,
                                std::string_view filename) {
  History history;
  bool has_report = false;
  int line_number = 0;
  // Event ids (thread, index) -> the line that first used them.
  std::map<std::pair<uint8_t, uint16_t>, int> first_line;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = StripIndent(raw);
    if (line.empty() || line[0] == '#') continue;
    LineReader in(raw, filename, line_number);
    in.Consume(std::string(raw.substr(0, raw.size() - line.size())));
    if (line.starts_with("final")) {
      if (history.has_final_state) in.Fail("a single final line");
      ReadFinalState(in, history);
    } else if (line.starts_with("invariants:")) {
      in.Consume("invariants:");
      in.TryConsume(" ");
      if (has_report) history.invariant_report += "\n";
      history.invariant_report += std::string(in.Rest());
      has_report = true;
    } else if (line.starts_with("T")) {
      Event event = ReadEvent(in);
      auto [first, inserted] =
          first_line.try_emplace({event.thread, event.index}, line_number);
      if (in.ok() && !inserted) {
        in.FailAt(raw.size() - line.size(),
                  "each event id once (T" + std::to_string(event.thread) + "#" +
                      std::to_string(event.index) + " is already on line " +
                      std::to_string(first->second) + ")");
      }
      history.events.push_back(event);
    } else {
      in.Fail("an event ('T<thread>#<op> ...'), 'final {' or 'invariants:'");
    }
    if (!in.ok()) return {std::nullopt, in.error()};
  }
  return {std::move(history), ""};
}

HistoryParseResult ReadHistoryFile(const std::filesystem::path& path) {
  std::string error;
  std::optional<std::string> text = ReadWholeFile(path, &error);
  if (!text) {
    return {std::nullopt,
            Printable(path.string()) + ": cannot read file: " + error};
  }
  return ParseHistory(*text, path.string());
}

std::string WriteHistoryFile(const std::filesystem::path& path,
                             const History& history) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << FormatHistoryFile(history);
  file.close();
  return file ? "" : path.string() + ": cannot write";
}

}  // namespace thfuzz
