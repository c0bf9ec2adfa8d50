// ThisThreadIndex(): a small, dense, reusable number for the calling thread.
//
// The epoch domain keeps one reader slot per thread in a fixed array; it
// needs an index that stays small however many threads come and go. Indices
// are handed out lowest-free-first and given back when a thread exits.

#ifndef TOPHASH_INTERNAL_THREAD_INDEX_H_
#define TOPHASH_INTERNAL_THREAD_INDEX_H_

#include <cstddef>
#include <mutex>
#include <vector>

namespace tophash::internal {

class ThreadIndexPool {
 public:
  static ThreadIndexPool& Get() {
    static ThreadIndexPool* pool = new ThreadIndexPool;  // never destroyed
    return *pool;
  }

  size_t Acquire() {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < in_use_.size(); ++i) {
      if (!in_use_[i]) {
        in_use_[i] = true;
        return i;
      }
    }
    in_use_.push_back(true);
    return in_use_.size() - 1;
  }

  void Release(size_t index) {
    std::lock_guard<std::mutex> lock(mu_);
    in_use_[index] = false;
  }

 private:
  std::mutex mu_;
  std::vector<bool> in_use_;
};

inline constexpr size_t kNoThreadIndex = static_cast<size_t>(-1);
// After the thread's holder is gone (other thread_local destructors may
// still use a map): an index no slot array has, so such late readers take
// the epoch domain's shared overflow path instead of a recycled slot.
inline constexpr size_t kExitedThreadIndex = static_cast<size_t>(-2);

inline thread_local size_t this_thread_index = kNoThreadIndex;

class ThreadIndexHolder {
 public:
  ThreadIndexHolder() : index_(ThreadIndexPool::Get().Acquire()) {}
  ~ThreadIndexHolder() {
    this_thread_index = kExitedThreadIndex;
    ThreadIndexPool::Get().Release(index_);
  }
  size_t index() const { return index_; }

 private:
  size_t index_;
};

// The slow path: registers the thread's holder (whose destructor gives the
// index back at thread exit).
[[gnu::noinline]] inline size_t AssignThreadIndex() {
  thread_local ThreadIndexHolder holder;
  return holder.index();
}

// Every lock-free read asks for this, so the fast path reads one trivially
// initialised thread_local: no TLS wrapper call, no guard.
[[gnu::always_inline]] inline size_t ThisThreadIndex() {
  if (this_thread_index == kNoThreadIndex) [[unlikely]] {
    this_thread_index = AssignThreadIndex();
  }
  return this_thread_index;
}

}  // namespace tophash::internal

#endif  // TOPHASH_INTERNAL_THREAD_INDEX_H_
