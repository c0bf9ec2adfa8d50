// Shared pieces of the tophash map's own tests: hashers that force the hard
// cases (tophash collisions, long overflow chains), a 32-byte value type, a
// policy that injects one fault and records growth, and a differential driver
// that runs the map and absl::flat_hash_map side by side.

#ifndef TOPHASH_TEST_TEST_SUPPORT_H_
#define TOPHASH_TEST_TEST_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "tophash/hash.h"
#include "tophash/internal/bucket.h"
#include "tophash/map.h"
#include "tophash/policy.h"

namespace tophash::testing {

// ----- Hashers ---------------------------------------------------------------

// Every key gets the same top byte, so every occupied slot of a chain passes
// the tophash filter and only the full key comparison tells keys apart.
struct SameTopHash {
  uint64_t operator()(uint64_t key) const {
    return (Mix64(key) & 0x00ff'ffff'ffff'ffffULL) | (0x9aULL << 56);
  }
};

// Every key lands in bucket 0 of its shard (the low 20 bits are zero), so
// chains grow long, doubling never splits them and same-size growth is
// triggered over and over. Only four distinct top bytes, so slots in a chain
// also collide on tophash.
struct SameBucketHash {
  uint64_t operator()(uint64_t key) const {
    return (Mix64(key) & 0x03ff'ffff'fff0'0000ULL) | (0x80ULL << 56);
  }
};

// ----- Values ----------------------------------------------------------------

// A 32-byte trivially copyable value that names the key it was written for,
// so a value handed back for the wrong key is recognisable.
struct Value32 {
  uint64_t key = 0;
  uint64_t sequence = 0;
  uint64_t salt = 0;
  uint64_t checksum = 0;
  friend bool operator==(const Value32&, const Value32&) = default;
};
static_assert(sizeof(Value32) == 32);

template <class V>
V MakeValue(uint64_t key, uint64_t sequence);

template <>
inline uint64_t MakeValue<uint64_t>(uint64_t key, uint64_t sequence) {
  return (key << 32) | (sequence & 0xffff'ffffULL);
}

template <>
inline Value32 MakeValue<Value32>(uint64_t key, uint64_t sequence) {
  uint64_t salt = Mix64(key * 31 + sequence);
  return {key, sequence, salt, Mix64(key ^ Mix64(sequence) ^ salt)};
}

// The key a value was made for.
inline uint64_t KeyOfValue(uint64_t value) { return value >> 32; }
inline uint64_t KeyOfValue(const Value32& value) { return value.key; }

// ----- Policies --------------------------------------------------------------

// A policy that switches on one fault and records every growth: the log2
// bucket count of each new array, in order, so a test can tell doubling from
// same-size growth. V is the map's value type, needed to read the new table.
template <class V>
struct FaultPolicyFor : tophash::StdAtomics {
  using Mutex = std::mutex;

  Fault fault = Fault::kNone;
  std::vector<unsigned> grown_to;  // log2 buckets of each new array

  void point(Site site, const void* object = nullptr) {
    if (site != Site::kGrowStart) return;
    // The object at kGrowStart is the new table.
    grown_to.push_back(
        static_cast<const internal::Table<uint64_t, V, FaultPolicyFor>*>(object)
            ->log2_buckets);
  }
  bool enabled(Fault f) const { return f == fault; }
  void* allocate(size_t bytes) {
    return ::operator new (bytes, std::align_val_t{64});
  }
  void deallocate(void* block, size_t) noexcept {
    ::operator delete (block, std::align_val_t{64});
  }
};
using FaultPolicy = FaultPolicyFor<uint64_t>;

// ----- Differential driver ---------------------------------------------------

// How the map's answer differed from absl's, if it did.
enum class Mismatch {
  kNone,
  kLostKey,          // absl has the key, the map says absent
  kGhostKey,         // the map says present, absl says absent
  kForeignValue,     // the map returned a value written for another key
  kStaleValue,       // the key's own value, but not its latest
  kWrongInsert,      // insert() returned the wrong bool
  kWrongErase,       // erase() returned the wrong bool
  kWrongSize,        // size() disagrees
  kWrongForEach,     // for_each() missed, repeated or invented an entry
  kBrokenInvariant,  // check_invariants() reported a problem
};

inline const char* MismatchName(Mismatch m) {
  switch (m) {
    case Mismatch::kNone:
      return "none";
    case Mismatch::kLostKey:
      return "lost_key";
    case Mismatch::kGhostKey:
      return "ghost_key";
    case Mismatch::kForeignValue:
      return "foreign_value";
    case Mismatch::kStaleValue:
      return "stale_value";
    case Mismatch::kWrongInsert:
      return "wrong_insert";
    case Mismatch::kWrongErase:
      return "wrong_erase";
    case Mismatch::kWrongSize:
      return "wrong_size";
    case Mismatch::kWrongForEach:
      return "wrong_for_each";
    case Mismatch::kBrokenInvariant:
      return "broken_invariant";
  }
  return "unknown";
}

// Applies each operation to a tophash::Map and to absl::flat_hash_map and
// classifies the first disagreement. With `check_invariants`, the map's
// structure is checked after every operation too.
template <class V, class Hash, class Policy = FaultPolicyFor<V>>
class Differential {
 public:
  using MapType = Map<uint64_t, V, Hash, Policy>;

  Differential(MapOptions options, Policy policy, bool check_invariants)
      : map_(options, Hash(), std::move(policy)),
        check_invariants_(check_invariants) {}

  MapType& map() { return map_; }
  const absl::flat_hash_map<uint64_t, V>& oracle() const { return oracle_; }
  // What went wrong, readable, once a step returned a mismatch.
  const std::string& detail() const { return detail_; }

  Mismatch Find(uint64_t key) {
    V got{};
    bool found = map_.find(key, &got);
    auto it = oracle_.find(key);
    bool expected = it != oracle_.end();
    if (found && KeyOfValue(got) != key) {
      return Fail(Mismatch::kForeignValue, "find", key);
    }
    if (found != expected) {
      return Fail(found ? Mismatch::kGhostKey : Mismatch::kLostKey, "find",
                  key);
    }
    if (found && !(got == it->second)) {
      return Fail(Mismatch::kStaleValue, "find", key);
    }
    return Checked("find", key);
  }

  Mismatch Insert(uint64_t key) {
    V value = NextValue(key);
    bool inserted = map_.insert(key, value);
    bool expected = oracle_.try_emplace(key, value).second;
    if (inserted != expected)
      return Fail(Mismatch::kWrongInsert, "insert", key);
    return Checked("insert", key);
  }

  Mismatch InsertOrAssign(uint64_t key) {
    V value = NextValue(key);
    map_.insert_or_assign(key, value);
    oracle_.insert_or_assign(key, value);
    return Checked("insert_or_assign", key);
  }

  Mismatch Erase(uint64_t key) {
    bool erased = map_.erase(key);
    bool expected = oracle_.erase(key) == 1;
    if (erased != expected) return Fail(Mismatch::kWrongErase, "erase", key);
    return Checked("erase", key);
  }

  Mismatch Size() {
    size_t size = map_.size();
    if (size != oracle_.size()) {
      return Fail(Mismatch::kWrongSize, "size", size);
    }
    return Checked("size", size);
  }

  Mismatch Clear() {
    map_.clear();
    oracle_.clear();
    return Checked("clear", 0);
  }

  Mismatch Reserve(size_t count) {
    map_.reserve(count);
    return Checked("reserve", count);
  }

  // for_each must visit exactly the oracle's entries, each once.
  Mismatch ForEach() {
    absl::flat_hash_set<uint64_t> seen;
    bool wrong = false;
    map_.for_each([&](uint64_t key, const V& value) {
      auto it = oracle_.find(key);
      if (!seen.insert(key).second || it == oracle_.end() ||
          !(it->second == value)) {
        wrong = true;
      }
    });
    if (wrong || seen.size() != oracle_.size()) {
      return Fail(Mismatch::kWrongForEach, "for_each", seen.size());
    }
    return Checked("for_each", 0);
  }

 private:
  V NextValue(uint64_t key) { return MakeValue<V>(key, ++sequence_); }

  Mismatch Checked(const char* operation, uint64_t argument) {
    if (!check_invariants_) return Mismatch::kNone;
    std::string problems = map_.check_invariants();
    if (problems.empty()) return Mismatch::kNone;
    detail_ = std::string("after ") + operation + "(" +
              std::to_string(argument) + "): " + problems;
    return Mismatch::kBrokenInvariant;
  }

  Mismatch Fail(Mismatch kind, const char* operation, uint64_t argument) {
    detail_ = std::string(MismatchName(kind)) + " at " + operation + "(" +
              std::to_string(argument) + ")";
    return kind;
  }

  MapType map_;
  absl::flat_hash_map<uint64_t, V> oracle_;
  bool check_invariants_;
  uint64_t sequence_ = 0;
  std::string detail_;
};

}  // namespace tophash::testing

#endif  // TOPHASH_TEST_TEST_SUPPORT_H_
