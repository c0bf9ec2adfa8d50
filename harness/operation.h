// Operation: one call a logical thread of a schedule makes on the map.
//
// Keys are small indices into the schedule's key universe (key_space.h turns
// them into 64-bit keys); values are not stored in the schedule at all,
// because every write's value is the stamp of who wrote it (stamp.h).

#ifndef THFUZZ_HARNESS_OPERATION_H_
#define THFUZZ_HARNESS_OPERATION_H_

#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

#include "harness/name_table.h"

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
// Kept by hand: the binary form (FORMAT.md, version 1) decodes a kind as
// byte % 7, so a new kind needs a new format version (see codec.cc).
inline constexpr int kOpKindCount = 7;

inline constexpr NameRow<OpKind> kOpKinds[] = {
    {OpKind::kFind, "find", "look a key up: ok and the value read"},
    {OpKind::kInsert, "insert", "store a key if it is absent: inserted or not"},
    {OpKind::kInsertOrAssign, "insert_or_assign", "store a key in any case"},
    {OpKind::kErase, "erase", "remove a key: erased or not"},
    {OpKind::kSize, "size", "count the keys"},
    {OpKind::kClear, "clear", "remove every key"},
    {OpKind::kReserve, "reserve", "make room for an amount of keys"},
};
static_assert(std::size(kOpKinds) == kOpKindCount, "one row per kind");
static_assert(InEnumOrder(kOpKinds));

// "find", "insert", "insert_or_assign", "erase", "size", "clear", "reserve".
inline std::string_view OpKindName(OpKind kind) {
  return NameIn(kOpKinds, kind);
}
inline std::optional<OpKind> ParseOpKind(std::string_view name) {
  return ParseIn(kOpKinds, name);
}

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

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_OPERATION_H_
