// ControlledAtomic<T>: the atomic type the controlled executor gives the map.
//
// The map reaches every shared word through `Policy::Atomic<T>` (see
// tophash/policy.h). Under the controlled executor that is ControlledAtomic,
// which holds a real std::atomic<T> and, before each access, asks the
// AccessObserver installed on this OS thread what to do:
//
//   * no observer (coarse granularity, or no controlled execution running):
//     the access is a plain std::atomic access, so coarse runs behave, and
//     consume decisions, exactly as before this type existed;
//   * fine granularity: the access is a scheduling point, then a plain access
//     (every access sequentially consistent);
//   * weak granularity: a scheduling point, then the memory model
//     (memory_model.h) decides which store a load returns, and records every
//     store, read-modify-write and fence.
//
// Real memory always holds the newest store, so code that reads the map
// outside any fiber (the final snapshot) sees its quiescent contents. Each
// member takes a defaulted SourceSite, so the observer learns the
// map's call site without the map saying anything. Only what the map uses is
// provided: load, store, exchange, compare_exchange_weak/strong (never fails
// spuriously) and, for integers, fetch_add/sub/or/and.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_CONTROLLED_ATOMIC_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_CONTROLLED_ATOMIC_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "harness/exec/internal/access.h"

namespace thfuzz::exec_internal {

class AccessObserver {
 public:
  // The observer of the controlled execution running on this OS thread, or
  // nullptr when accesses should be plain.
  static AccessObserver* Current() { return current_; }

  virtual ~AccessObserver() = default;

  // Called before every access; a scheduling point (it may switch fibers and
  // may throw ExecutionAborted).
  virtual void Before(const Access& access) = 0;
  // A load: `latest` is the newest store; returns the value the load reads.
  virtual uint64_t Loaded(const Access& access, uint64_t latest) = 0;
  virtual void Stored(const Access& access, uint64_t previous,
                      uint64_t value) = 0;
  // A read-modify-write read `previous` (the newest store) and wrote `value`.
  virtual void Modified(const Access& access, uint64_t previous,
                        uint64_t value) = 0;
  virtual void Fenced(const Access& access) = 0;
  // The epoch slot of the running logical thread.
  virtual size_t ThreadSlot() = 0;

 protected:
  // Installs `observer` for this OS thread; returns the previous one.
  static AccessObserver* Install(AccessObserver* observer) {
    AccessObserver* previous = current_;
    current_ = observer;
    return previous;
  }

 private:
  static inline thread_local AccessObserver* current_ = nullptr;
};

template <class T>
class ControlledAtomic {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8,
                "map atomics are trivially copyable words");

 public:
  using Where = SourceSite;

  ControlledAtomic() noexcept = default;
  constexpr ControlledAtomic(T value) noexcept : real_(value) {}  // NOLINT
  ControlledAtomic(const ControlledAtomic&) = delete;
  ControlledAtomic& operator=(const ControlledAtomic&) = delete;

  T load(std::memory_order order = std::memory_order_seq_cst,
         Where where = Where::Current()) const {
    AccessObserver* observer = AccessObserver::Current();
    if (observer == nullptr) return real_.load(order);
    Access access = Describe(AccessKind::kLoad, order, where);
    observer->Before(access);
    return FromBits(observer->Loaded(access, ToBits(Real())));
  }

  void store(T value, std::memory_order order = std::memory_order_seq_cst,
             Where where = Where::Current()) {
    AccessObserver* observer = AccessObserver::Current();
    if (observer == nullptr) return real_.store(value, order);
    Access access = Describe(AccessKind::kStore, order, where);
    observer->Before(access);
    T previous = Real();
    real_.store(value, std::memory_order_relaxed);
    observer->Stored(access, ToBits(previous), ToBits(value));
  }

  T exchange(T value, std::memory_order order = std::memory_order_seq_cst,
             Where where = Where::Current()) {
    if (AccessObserver::Current() == nullptr) {
      return real_.exchange(value, order);
    }
    return Modify([&](T) { return value; }, order, where);
  }

  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order success,
                               std::memory_order failure,
                               Where where = Where::Current()) {
    AccessObserver* observer = AccessObserver::Current();
    if (observer == nullptr) {
      return real_.compare_exchange_strong(expected, desired, success, failure);
    }
    Access access = Describe(AccessKind::kReadModifyWrite, success, where);
    observer->Before(access);
    T current = Real();
    if (std::memcmp(&current, &expected, sizeof(T)) != 0) {
      // A failed exchange only loads (the newest store: it is atomic).
      access.kind = AccessKind::kFailedCompareExchange;
      access.order = failure;
      observer->Loaded(access, ToBits(current));
      expected = current;
      return false;
    }
    real_.store(desired, std::memory_order_relaxed);
    observer->Modified(access, ToBits(current), ToBits(desired));
    return true;
  }
  bool compare_exchange_strong(
      T& expected, T desired,
      std::memory_order order = std::memory_order_seq_cst,
      Where where = Where::Current()) {
    return compare_exchange_strong(expected, desired, order,
                                   FailureOrder(order), where);
  }
  // Never fails spuriously: a spurious failure is just a retry to the map.
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure,
                             Where where = Where::Current()) {
    return compare_exchange_strong(expected, desired, success, failure, where);
  }
  bool compare_exchange_weak(
      T& expected, T desired,
      std::memory_order order = std::memory_order_seq_cst,
      Where where = Where::Current()) {
    return compare_exchange_strong(expected, desired, order,
                                   FailureOrder(order), where);
  }

  T fetch_add(T arg, std::memory_order order = std::memory_order_seq_cst,
              Where where = Where::Current()) requires std::is_integral_v<T> {
    if (AccessObserver::Current() == nullptr) {
      return real_.fetch_add(arg, order);
    }
    return Modify([&](T old) { return static_cast<T>(old + arg); }, order,
                  where);
  }
  T fetch_sub(T arg, std::memory_order order = std::memory_order_seq_cst,
              Where where = Where::Current()) requires std::is_integral_v<T> {
    if (AccessObserver::Current() == nullptr) {
      return real_.fetch_sub(arg, order);
    }
    return Modify([&](T old) { return static_cast<T>(old - arg); }, order,
                  where);
  }
  T fetch_or(T arg, std::memory_order order = std::memory_order_seq_cst,
             Where where = Where::Current()) requires std::is_integral_v<T> {
    if (AccessObserver::Current() == nullptr) {
      return real_.fetch_or(arg, order);
    }
    return Modify([&](T old) { return static_cast<T>(old | arg); }, order,
                  where);
  }
  T fetch_and(T arg, std::memory_order order = std::memory_order_seq_cst,
              Where where = Where::Current()) requires std::is_integral_v<T> {
    if (AccessObserver::Current() == nullptr) {
      return real_.fetch_and(arg, order);
    }
    return Modify([&](T old) { return static_cast<T>(old & arg); }, order,
                  where);
  }

 private:
  static uint64_t ToBits(T value) {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    return bits;
  }
  static T FromBits(uint64_t bits) {
    T value;
    std::memcpy(&value, &bits, sizeof(T));
    return value;
  }
  static std::memory_order FailureOrder(std::memory_order order) {
    if (order == std::memory_order_acq_rel) return std::memory_order_acquire;
    if (order == std::memory_order_release) return std::memory_order_relaxed;
    return order;
  }

  T Real() const { return real_.load(std::memory_order_relaxed); }
  Access Describe(AccessKind kind, std::memory_order order,
                  const Where& where) const {
    return Access{kind, order, this, sizeof(T), where};
  }

  // A read-modify-write under an observer (the callers take the plain path
  // when there is none).
  template <class Update>
  T Modify(Update update, std::memory_order order, const Where& where) {
    AccessObserver* observer = AccessObserver::Current();
    Access access = Describe(AccessKind::kReadModifyWrite, order, where);
    observer->Before(access);
    T old = Real();
    T value = update(old);
    real_.store(value, std::memory_order_relaxed);
    observer->Modified(access, ToBits(old), ToBits(value));
    return old;
  }

  std::atomic<T> real_;
};

// A fence, seen by the observer like any other access.
inline void ControlledFence(std::memory_order order,
                            SourceSite where = SourceSite::Current()) {
  AccessObserver* observer = AccessObserver::Current();
  if (observer == nullptr) return std::atomic_thread_fence(order);
  Access access{AccessKind::kFence, order, nullptr, 0, where};
  observer->Before(access);
  observer->Fenced(access);
}

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_CONTROLLED_ATOMIC_H_
