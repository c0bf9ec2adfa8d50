// The `.sched` text form of a schedule: what people read, write and review.
//
// A `.sched` file is line oriented: leading `#` lines are free notes, then a
// header of `name: value` fields (what the case is expected to show, the
// fault and executor it was found with, and the schedule's map settings),
// then one `thread N:` block per logical thread with one operation per line,
// then an optional `decisions:` section of numbers. FORMAT.md ("Text form")
// has the grammar and a complete example.
//
// PrintSchedule() writes the canonical text; ParseSchedule() reads it back
// exactly (parse(print(s, m)) gives s and m) and also accepts looser text
// (any indentation, comments anywhere, header fields in any order). Parse
// errors read "file:line:col: expected ..., got ..." and point at the
// offending word.

#ifndef THFUZZ_HARNESS_CODEC_SCHED_TEXT_H_
#define THFUZZ_HARNESS_CODEC_SCHED_TEXT_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/run_options.h"
#include "harness/schedule.h"
#include "harness/violation.h"
#include "tophash/policy.h"

namespace thfuzz {

// What a `.sched` file says about its schedule. nullopt means "not stated"
// (and is not printed).
struct SchedMeta {
  // `expect:`, the verdict the case shows (with its fault, if any):
  // ViolationKind::kNone is written `pass`, any other kind by its name.
  std::optional<ViolationKind> expect;
  std::optional<tophash::Fault> fault;   // `fault:`, `none` included
  std::optional<ExecutorKind> executor;  // `executor:`
  std::vector<std::string> notes;        // free comment lines, one line each

  friend bool operator==(const SchedMeta&, const SchedMeta&) = default;
};

struct ParseResult {
  std::optional<Schedule> schedule;  // set exactly when error is ""
  SchedMeta meta;
  std::string error;  // "file:line:col: expected ..., got ..."

  bool ok() const { return schedule.has_value(); }
};

// The canonical text of `schedule`, which must be valid. A note containing
// newlines is printed as several notes.
std::string PrintSchedule(const Schedule& schedule, const SchedMeta& meta = {});

// `filename` only labels error messages.
ParseResult ParseSchedule(std::string_view text, std::string_view filename);

// Reads and parses a file. An unreadable file is an error result too:
// "path: cannot read file: <reason>".
ParseResult ReadSchedFile(const std::filesystem::path& path);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CODEC_SCHED_TEXT_H_
