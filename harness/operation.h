// Operation: one call a logical thread of a schedule makes on the map.
//
// Keys are small indices into the schedule's key universe (key_space.h turns
// them into 64-bit keys); values are not stored in the schedule at all,
// because every write's value is the stamp of who wrote it (stamp.h).

#ifndef THFUZZ_HARNESS_OPERATION_H_
#define THFUZZ_HARNESS_OPERATION_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace thfuzz {

enum class OpKind : uint8_t {
  kFind = 0,
  kInsert = 1,
  kInsertOrAssign = 2,
  kErase = 3,
  kSize = 4,
  kClear = 5,
  kReserve = 6,
};
inline constexpr int kOpKindCount = 7;

// "find", "insert", "insert_or_assign", "erase", "size", "clear", "reserve".
std::string_view OpKindName(OpKind kind);
std::optional<OpKind> ParseOpKind(std::string_view name);

// Operations on one key; the others (size, clear, reserve) see the whole map.
inline bool IsSingleKey(OpKind kind) { return kind <= OpKind::kErase; }
// Operations that store a value (and so carry a stamp).
inline bool IsWrite(OpKind kind) {
  return kind == OpKind::kInsert || kind == OpKind::kInsertOrAssign;
}

struct Operation {
  OpKind kind = OpKind::kFind;
  uint8_t key = 0;      // key index, < Schedule::key_count; 0 for whole-map ops
  uint32_t amount = 0;  // reserve()'s argument; 0 for every other kind

  friend bool operator==(const Operation&, const Operation&) = default;
};

inline std::string_view OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kFind:
      return "find";
    case OpKind::kInsert:
      return "insert";
    case OpKind::kInsertOrAssign:
      return "insert_or_assign";
    case OpKind::kErase:
      return "erase";
    case OpKind::kSize:
      return "size";
    case OpKind::kClear:
      return "clear";
    case OpKind::kReserve:
      return "reserve";
  }
  return "unknown";
}

inline std::optional<OpKind> ParseOpKind(std::string_view name) {
  for (int i = 0; i < kOpKindCount; ++i) {
    auto kind = static_cast<OpKind>(i);
    if (OpKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_OPERATION_H_
