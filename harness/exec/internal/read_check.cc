// Classifies values read back from a map against the schedule's writes.

#include "harness/exec/internal/read_check.h"

#include "harness/key_space.h"

namespace thfuzz::exec_internal {
namespace {

bool WrittenBySchedule(const Schedule& schedule, uint64_t key,
                       const Stamp& value) {
  uint32_t thread = value.writer - 1;
  uint32_t index = value.sequence - 1;
  if (thread >= schedule.threads.size()) return false;
  const auto& ops = schedule.threads[thread];
  if (index >= ops.size()) return false;
  const Operation& op = ops[index];
  return IsWrite(op.kind) && KeyFor(op.key) == key;
}

Violation Make(ViolationKind kind, uint64_t key, std::string summary) {
  Violation violation;
  violation.kind = kind;
  violation.key = key;
  violation.summary = std::move(summary);
  return violation;
}

}  // namespace

std::optional<Violation> CheckRead(const Schedule& schedule, uint64_t key,
                                   const Stamp& value,
                                   const std::string& what) {
  std::string k = "k" + std::to_string(key);
  switch (CheckStamp(value, key)) {
    case StampCheck::kTorn:
      return Make(ViolationKind::kTornValue, key,
                  what +
                      " returned a torn value (parts of different writes): " +
                      StampLabel(value, key));
    case StampCheck::kForeign:
      return Make(ViolationKind::kForeignValue, key,
                  what + " returned a value written for another key: " +
                      StampLabel(value, key));
    case StampCheck::kZero:
      return Make(ViolationKind::kPhantomValue, key,
                  what + " returned ok=true with a value nobody wrote (zeros)");
    case StampCheck::kValid:
      break;
  }
  if (!WrittenBySchedule(schedule, key, value)) {
    return Make(ViolationKind::kPhantomValue, key,
                what + " returned " + StampLabel(value, key) + ", which no " +
                    "operation of the schedule wrote for " + k);
  }
  return std::nullopt;
}

}  // namespace thfuzz::exec_internal
