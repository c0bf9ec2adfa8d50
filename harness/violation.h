// Violation: what went wrong in one execution, in terms a user can act on.
//
// Executors report some violations the moment they happen (a stamp that is
// torn, foreign or phantom; a result that differs from the oracle in the
// serial executor; a liveness failure; a read of freed memory); the checker
// reports the rest after searching the history for a linearization.

#ifndef THFUZZ_HARNESS_VIOLATION_H_
#define THFUZZ_HARNESS_VIOLATION_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/name_table.h"

namespace thfuzz {

enum class ViolationKind : uint8_t {
  kNone = 0,
  kTornValue,         // a value made of parts of two writes
  kForeignValue,      // a value written for another key
  kPhantomValue,      // a well-formed value no operation wrote (or zeros)
  kGhostRead,         // find ok=true, but no order explains the value
  kLostKey,           // find ok=false (or insert ok=true) for a present key
  kWrongResult,       // insert/erase answered wrong in a way not above
  kWrongSize,         // size() no order explains
  kBadFinalState,     // quiescent contents no order explains
  kInvariantFailure,  // check_invariants() found a broken structure
  kLiveness,          // an operation never finished within the step budget
  kUseAfterFree,      // the map touched memory it had already freed
};
inline constexpr int kViolationKindCount = 12;

inline constexpr NameRow<ViolationKind> kViolationKinds[] = {
    {ViolationKind::kNone, "none", "nothing wrong"},
    {ViolationKind::kTornValue, "torn_value",
     "a value made of parts of two writes"},
    {ViolationKind::kForeignValue, "foreign_value",
     "a value written for another key"},
    {ViolationKind::kPhantomValue, "phantom_value",
     "a well-formed value no operation wrote, or zeros"},
    {ViolationKind::kGhostRead, "ghost_read",
     "find ok=true, but no order explains the value"},
    {ViolationKind::kLostKey, "lost_key",
     "find ok=false (or insert ok=true) for a present key"},
    {ViolationKind::kWrongResult, "wrong_result",
     "insert or erase answered wrong in another way"},
    {ViolationKind::kWrongSize, "wrong_size", "a size() no order explains"},
    {ViolationKind::kBadFinalState, "bad_final_state",
     "quiescent contents no order explains"},
    {ViolationKind::kInvariantFailure, "invariant_failure",
     "check_invariants() found a broken structure"},
    {ViolationKind::kLiveness, "liveness",
     "an operation never finished within its budget"},
    {ViolationKind::kUseAfterFree, "use_after_free",
     "the map touched memory it had already freed"},
};
static_assert(std::size(kViolationKinds) == kViolationKindCount,
              "one row per kind");
static_assert(InEnumOrder(kViolationKinds));

// "torn_value", "foreign_value", ... ; "none" for kNone.
inline std::string_view ViolationKindName(ViolationKind kind) {
  return NameIn(kViolationKinds, kind);
}
inline std::optional<ViolationKind> ParseViolationKind(std::string_view name) {
  return ParseIn(kViolationKinds, name);
}

struct Violation {
  ViolationKind kind = ViolationKind::kNone;
  std::optional<uint64_t> key;  // the offending key, if one key is at fault
  std::string summary;          // one line
  std::string explanation;      // plain words, may span lines
  std::vector<size_t> events;   // indices into History::events that matter
};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_VIOLATION_H_
