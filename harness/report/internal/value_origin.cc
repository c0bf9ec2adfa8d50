// Tracing a bad value's words back to the writes that stored them (see
// value_origin.h).

#include "harness/report/internal/value_origin.h"

#include <algorithm>
#include <array>
#include <optional>

namespace thfuzz::report_internal {
namespace {

constexpr size_t kWords = 4;

// The stamp's words in memory order, as StampLabel prints a torn one.
std::array<uint64_t, kWords> Words(const Stamp& stamp) {
  return {stamp.salt, stamp.key, uint64_t{stamp.writer} << 32 | stamp.sequence,
          stamp.checksum};
}

std::vector<size_t> Writes(const History& history) {
  std::vector<size_t> writes;
  for (size_t i = 0; i < history.events.size(); ++i) {
    if (IsWrite(history.events[i].kind)) writes.push_back(i);
  }
  return writes;
}

// The write of exactly `value` for `key`, if the history has one.
std::optional<size_t> WriteOf(const History& history, uint64_t key,
                              const Stamp& value) {
  for (size_t i : Writes(history)) {
    const Event& write = history.events[i];
    if (write.key == key && write.value == value) return i;
  }
  return std::nullopt;
}

// What one word is: from a write (an event index), zero, or unexplained.
struct WordSource {
  enum class Kind { kWrite, kZero, kNoWrite, kAnyWriteOfKey } kind;
  size_t event = 0;
  bool operator==(const WordSource&) const = default;
};

class TornTracer {
 public:
  TornTracer(const History& history, const Stamp& value)
      : history_(history), words_(Words(value)) {
    for (size_t i : Writes(history)) {
      std::array<uint64_t, kWords> written = Words(history.events[i].value);
      for (size_t w = 0; w < kWords; ++w) {
        if (written[w] == words_[w]) candidates_[w].push_back(i);
      }
    }
  }

  ValueOrigin Trace() {
    // Words only one write holds settle first; the shared key word then
    // goes to a neighbour's write.
    for (size_t w = 0; w < kWords; ++w) {
      if (candidates_[w].size() == 1 && words_[w] != 0) {
        source_[w] = {WordSource::Kind::kWrite, candidates_[w][0]};
      }
    }
    for (size_t w = 0; w < kWords; ++w) {
      if (!source_[w]) source_[w] = Tie(w);
    }
    return Describe();
  }

 private:
  bool IsCandidate(size_t w, const std::optional<WordSource>& source) const {
    return source && source->kind == WordSource::Kind::kWrite &&
           std::count(candidates_[w].begin(), candidates_[w].end(),
                      source->event) > 0;
  }

  WordSource Tie(size_t w) const {
    if (w > 0 && IsCandidate(w, source_[w - 1])) return *source_[w - 1];
    if (w + 1 < kWords && IsCandidate(w, source_[w + 1])) {
      return *source_[w + 1];
    }
    if (words_[w] == 0) return {WordSource::Kind::kZero};
    if (candidates_[w].empty()) return {WordSource::Kind::kNoWrite};
    if (candidates_[w].size() == 1) {
      return {WordSource::Kind::kWrite, candidates_[w][0]};
    }
    return {WordSource::Kind::kAnyWriteOfKey, candidates_[w][0]};
  }

  std::string SourceText(const WordSource& source) const {
    switch (source.kind) {
      case WordSource::Kind::kWrite:
        return "from " + EventName(history_.events[source.event]);
      case WordSource::Kind::kZero:
        return "zero (not written yet)";
      case WordSource::Kind::kNoWrite:
        return "from no write in the history";
      case WordSource::Kind::kAnyWriteOfKey:
        return "the key word of any write of k" +
               std::to_string(history_.events[source.event].key);
    }
    return "";
  }

  ValueOrigin Describe() const {
    ValueOrigin origin;
    for (size_t first = 0; first < kWords;) {
      size_t last = first;
      while (last + 1 < kWords && source_[last + 1] == source_[first]) ++last;
      if (!origin.text.empty()) origin.text += ", ";
      origin.text += first == last ? "word " + std::to_string(first)
                                   : "words " + std::to_string(first) + "-" +
                                         std::to_string(last);
      origin.text += " " + SourceText(*source_[first]);
      if (source_[first]->kind == WordSource::Kind::kWrite) {
        origin.writers.push_back(source_[first]->event);
      }
      first = last + 1;
    }
    std::sort(origin.writers.begin(), origin.writers.end());
    origin.writers.erase(
        std::unique(origin.writers.begin(), origin.writers.end()),
        origin.writers.end());
    return origin;
  }

  const History& history_;
  std::array<uint64_t, kWords> words_;
  std::array<std::vector<size_t>, kWords> candidates_;
  std::array<std::optional<WordSource>, kWords> source_;
};

}  // namespace

ValueOrigin TraceValue(const History& history, uint64_t key,
                       const Stamp& value) {
  ValueOrigin origin;
  switch (CheckStamp(value, key)) {
    case StampCheck::kValid:
      if (WriteOf(history, key, value)) return origin;
      origin.text = StampLabel(value, key) + " is a well-formed value of k" +
                    std::to_string(key) + ", but no write of k" +
                    std::to_string(key) + " in the history stored it";
      return origin;
    case StampCheck::kZero:
      origin.text = "all four words are zero: memory no write had filled";
      return origin;
    case StampCheck::kForeign: {
      std::string other = "k" + std::to_string(value.key);
      std::optional<size_t> write = WriteOf(history, value.key, value);
      if (!write) {
        origin.text = "a whole value of " + other + " by T" +
                      std::to_string(value.writer - 1) + "#" +
                      std::to_string(value.sequence - 1) +
                      ", a write the history does not hold";
        return origin;
      }
      origin.text = "a whole value of " + other + ": the one " +
                    EventName(history.events[*write]) + " wrote";
      origin.writers = {*write};
      return origin;
    }
    case StampCheck::kTorn:
      break;
  }
  return TornTracer(history, value).Trace();
}

}  // namespace thfuzz::report_internal
