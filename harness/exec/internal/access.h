// Access: one shared-memory access of the map under test, as the controlled
// executor sees it when the schedule's granularity is fine or weak.
//
// ControlledAtomic (controlled_atomic.h) describes every load, store,
// read-modify-write and fence of the map this way before performing it, so
// the scheduler can switch threads there and the memory model can decide
// what a load returns. `where` is the map's call site (file, line, function),
// captured by a defaulted SourceSite::Current() argument: it names the access
// in reports and identifies it in concurrency feedback.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_ACCESS_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_ACCESS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace thfuzz::exec_internal {

// A call site, captured like std::source_location::current() by a defaulted
// argument. Our own type because the clang that Debian's AFL++ compiles with
// (clang 14) cannot build libstdc++'s <source_location>; the builtins below
// work in every compiler the presets use.
struct SourceSite {
  const char* file = "";
  const char* function = "";
  unsigned line = 0;

  static constexpr SourceSite Current(
      const char* file = __builtin_FILE(),
      const char* function = __builtin_FUNCTION(),
      unsigned line = __builtin_LINE()) {
    return {file, function, line};
  }
};

enum class AccessKind : uint8_t {
  kLoad,
  kStore,
  kReadModifyWrite,        // exchange, fetch_*, a successful compare_exchange
  kFailedCompareExchange,  // a compare_exchange that only loaded
  kFence,
};

struct Access {
  AccessKind kind = AccessKind::kLoad;
  std::memory_order order = std::memory_order_seq_cst;
  const void* address = nullptr;  // nullptr for fences
  uint8_t size = 0;               // bytes; 0 for fences
  SourceSite where;
};

// "load", "store", "rmw", "failed cas", "fence".
std::string_view AccessKindName(AccessKind kind);
// "relaxed", "acquire", "release", "acq_rel", "seq_cst" ("consume" too).
std::string_view MemoryOrderName(std::memory_order order);
// "map.h:372 (LookupOnce)": a call site of the map.
std::string DescribeSite(const SourceSite& where);
// "acquire load at map.h:372 (LookupOnce)": kind, order and call site; with
// `address_name`, "acquire load of bucket 0 tophash at map.h:372
// (LookupOnce)".
std::string DescribeAccess(const Access& access,
                           std::string_view address_name = "");

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_ACCESS_H_
