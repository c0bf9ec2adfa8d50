// Names of violation kinds, as they appear in reports, file names and flags.

#include "harness/violation.h"

namespace thfuzz {
namespace {

constexpr std::string_view kNames[kViolationKindCount] = {
    "none",
    "torn_value",
    "foreign_value",
    "phantom_value",
    "ghost_read",
    "lost_key",
    "wrong_result",
    "wrong_size",
    "bad_final_state",
    "invariant_failure",
    "liveness",
    "use_after_free",
};

}  // namespace

std::string_view ViolationKindName(ViolationKind kind) {
  auto index = static_cast<size_t>(kind);
  return index < kViolationKindCount ? kNames[index] : "unknown";
}

std::optional<ViolationKind> ParseViolationKind(std::string_view name) {
  for (int i = 0; i < kViolationKindCount; ++i) {
    if (kNames[i] == name) return static_cast<ViolationKind>(i);
  }
  return std::nullopt;
}

}  // namespace thfuzz
