// DefaultHash: the map's default hasher.
//
// The map takes its bucket index from the low bits of a 64-bit hash, its shard
// from the bits just below the top byte, and its tophash from the top byte, so
// every bit must be well mixed. std::hash<integer> is the identity on common
// standard libraries and would put every small key's top byte at zero; this
// hasher runs integers through MulMix64 (one 64x64->128-bit multiply by an
// odd constant, high and low halves folded together, as wyhash and absl's
// hash do: four instructions where Mix64 takes twelve) and other trivially
// copyable keys through FNV-1a and Mix64. Mix64 (MurmurHash3's finalizer)
// stays for callers that want a bijection.

#ifndef TOPHASH_HASH_H_
#define TOPHASH_HASH_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tophash {

constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Every output bit depends on every input bit through the product's high
// half; the low half adds the low input bits once more.
constexpr uint64_t MulMix64(uint64_t x) {
#if defined(__SIZEOF_INT128__)
  __extension__ using U128 = unsigned __int128;
  U128 product =
      static_cast<U128>(x ^ 0x2d358dccaa6c78a5ULL) * 0x8bb84b93962eacc9ULL;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
#else
  return Mix64(x);
#endif
}

template <class K>
struct DefaultHash {
  uint64_t operator()(const K& key) const {
    if constexpr (std::is_integral_v<K> || std::is_enum_v<K>) {
      return MulMix64(static_cast<uint64_t>(key));
    } else {
      unsigned char bytes[sizeof(K)];
      std::memcpy(bytes, &key, sizeof(K));
      uint64_t h = 0xcbf29ce484222325ULL;
      for (unsigned char b : bytes) h = (h ^ b) * 0x100000001b3ULL;
      return Mix64(h);
    }
  }
};

}  // namespace tophash

#endif  // TOPHASH_HASH_H_
