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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// "torn_value", "foreign_value", ... ; "none" for kNone.
std::string_view ViolationKindName(ViolationKind kind);
std::optional<ViolationKind> ParseViolationKind(std::string_view name);

struct Violation {
  ViolationKind kind = ViolationKind::kNone;
  std::optional<uint64_t> key;  // the offending key, if one key is at fault
  std::string summary;          // one line
  std::string explanation;      // plain words, may span lines
  std::vector<size_t> events;   // indices into History::events that matter
};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_VIOLATION_H_
