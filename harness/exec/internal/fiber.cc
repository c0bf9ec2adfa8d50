// Fiber switching with sanitizer annotations, and the stack pool.

#include "harness/exec/internal/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define THFUZZ_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define THFUZZ_TSAN_FIBERS 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define THFUZZ_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define THFUZZ_TSAN_FIBERS 1
#endif

#ifdef THFUZZ_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef THFUZZ_TSAN_FIBERS
#include <sanitizer/tsan_interface.h>
#endif

namespace thfuzz::exec_internal {
namespace {

#if defined(THFUZZ_ASAN) || defined(THFUZZ_TSAN_FIBERS)
constexpr size_t kStackSize = 512 * 1024;  // sanitizers need deep frames
#else
constexpr size_t kStackSize = 128 * 1024;
#endif

// Free stacks of kStackSize bytes, reused by later fibers on this thread.
// Each is mapped with a PROT_NONE guard page below it, so a fiber that
// overflows its stack faults at once instead of corrupting the heap.
class StackPool {
 public:
  ~StackPool() {
    for (void* stack : free_) {
      munmap(static_cast<char*>(stack) - PageSize(), kStackSize + PageSize());
    }
  }
  void* Take() {
    if (!free_.empty()) {
      void* stack = free_.back();
      free_.pop_back();
      return stack;
    }
    size_t page = PageSize();
    void* mapping = mmap(nullptr, kStackSize + page, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) throw std::bad_alloc();
    if (mprotect(mapping, page, PROT_NONE) != 0) {
      munmap(mapping, kStackSize + page);
      throw std::bad_alloc();
    }
    return static_cast<char*>(mapping) + page;
  }
  void Give(void* stack) {
#ifdef THFUZZ_ASAN
    // A fiber may leave poisoned frames behind; the next one starts clean.
    __asan_unpoison_memory_region(stack, kStackSize);
#endif
    free_.push_back(stack);
  }

 private:
  static size_t PageSize() {
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return page;
  }

  std::vector<void*> free_;
};

StackPool& ThreadStackPool() {
  thread_local StackPool pool;
  return pool;
}

// Boost.Context StackAllocator over the pool. It reports the stack's lowest
// address to the fiber, which the sanitizers need at every switch.
class PooledStack {
 public:
  explicit PooledStack(void** base_out) : base_out_(base_out) {}
  boost::context::stack_context allocate() {
    void* base = ThreadStackPool().Take();
    *base_out_ = base;
    boost::context::stack_context context;
    context.size = kStackSize;
    context.sp = static_cast<char*>(base) + kStackSize;  // grows down
    return context;
  }
  void deallocate(boost::context::stack_context& context) {
    ThreadStackPool().Give(static_cast<char*>(context.sp) - context.size);
  }

 private:
  void** base_out_;
};

}  // namespace

Fiber::Fiber(std::function<void()> body) : body_(std::move(body)) {
  self_ = boost::context::fiber(std::allocator_arg, PooledStack(&stack_bottom_),
                                [this](boost::context::fiber&& caller) {
                                  Enter(std::move(caller));
                                  return std::move(caller_);
                                });
  stack_size_ = kStackSize;
#ifdef THFUZZ_TSAN_FIBERS
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

Fiber::~Fiber() {
  // A fiber that never finished is unwound by Boost (forced_unwind) when
  // self_ is destroyed; the executor always runs fibers to the end first.
#ifdef THFUZZ_TSAN_FIBERS
  if (tsan_fiber_ != nullptr) __tsan_destroy_fiber(tsan_fiber_);
#endif
}

void Fiber::Enter(boost::context::fiber&& caller) {
  caller_ = std::move(caller);
#ifdef THFUZZ_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &caller_stack_bottom_,
                                  &caller_stack_size_);
#endif
  body_();
  done_ = true;
#ifdef THFUZZ_ASAN
  // nullptr: this fiber's fake stack dies with it.
  __sanitizer_start_switch_fiber(nullptr, caller_stack_bottom_,
                                 caller_stack_size_);
#endif
#ifdef THFUZZ_TSAN_FIBERS
  __tsan_switch_to_fiber(tsan_caller_, 0);
#endif
}

void Fiber::Resume() {
#ifdef THFUZZ_TSAN_FIBERS
  tsan_caller_ = __tsan_get_current_fiber();
#endif
#ifdef THFUZZ_ASAN
  __sanitizer_start_switch_fiber(&caller_fake_stack_, stack_bottom_,
                                 stack_size_);
#endif
#ifdef THFUZZ_TSAN_FIBERS
  __tsan_switch_to_fiber(tsan_fiber_, 0);
#endif
  self_ = std::move(self_).resume();
#ifdef THFUZZ_ASAN
  __sanitizer_finish_switch_fiber(caller_fake_stack_, nullptr, nullptr);
#endif
}

void Fiber::Suspend() {
#ifdef THFUZZ_ASAN
  __sanitizer_start_switch_fiber(&fiber_fake_stack_, caller_stack_bottom_,
                                 caller_stack_size_);
#endif
#ifdef THFUZZ_TSAN_FIBERS
  __tsan_switch_to_fiber(tsan_caller_, 0);
#endif
  caller_ = std::move(caller_).resume();
#ifdef THFUZZ_ASAN
  __sanitizer_finish_switch_fiber(fiber_fake_stack_, &caller_stack_bottom_,
                                  &caller_stack_size_);
#endif
}

}  // namespace thfuzz::exec_internal
