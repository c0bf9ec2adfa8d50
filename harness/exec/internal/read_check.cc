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

// A value no write of the schedule stored, in words.
std::string WhatWasRead(const Stamp& value, uint64_t key) {
  switch (CheckStamp(value, key)) {
    case StampCheck::kTorn:
      return "a torn value (parts of different writes): " +
             StampLabel(value, key);
    case StampCheck::kForeign:
      return "a value written for another key: " + StampLabel(value, key);
    case StampCheck::kZero:
      return "ok=true with a value nobody wrote (zeros)";
    case StampCheck::kValid:
      break;
  }
  return StampLabel(value, key) +
         ", which no operation of the schedule wrote for k" +
         std::to_string(key);
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
  if (CheckStamp(value, key) == StampCheck::kValid &&
      WrittenBySchedule(schedule, key, value)) {
    return std::nullopt;
  }
  return Make(UnwrittenValueKind(value, key), key,
              what + " returned " + WhatWasRead(value, key));
}

}  // namespace thfuzz::exec_internal
