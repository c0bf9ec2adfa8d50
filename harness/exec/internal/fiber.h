// Fiber: a stackful coroutine for the controlled executor's logical threads.
//
// Built on Boost.Context's `fiber` (fcontext switches cost tens of
// nanoseconds, far below an OS context switch, and unlike ucontext they make
// no system call). A Fiber runs its body on its own stack; Resume() (called
// from the scheduler's context) runs it until it calls Suspend() or its body
// returns. The body must not let exceptions escape.
//
// AddressSanitizer and ThreadSanitizer must be told about every switch, or
// they misread the stack (ASan) or see races between fibers that in fact run
// one after another on one thread (TSan); Resume() and Suspend() make those
// calls. Stacks come from a per-thread pool, so running thousands of short
// executions allocates stacks only once; each has a guard page, so an
// overflow faults instead of corrupting memory.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_FIBER_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_FIBER_H_

#include <boost/context/fiber.hpp>
#include <cstddef>
#include <functional>

namespace thfuzz::exec_internal {

class Fiber {
 public:
  explicit Fiber(std::function<void()> body);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // From the scheduler's context: run until the fiber suspends or ends.
  void Resume();
  // From inside the fiber: return control to the scheduler's context.
  void Suspend();
  bool done() const { return done_; }

 private:
  void Enter(boost::context::fiber&& caller);

  std::function<void()> body_;
  boost::context::fiber self_;    // valid while suspended
  boost::context::fiber caller_;  // valid while running
  bool done_ = false;
  // Sanitizer bookkeeping (unused without sanitizers).
  [[maybe_unused]] void* stack_bottom_ = nullptr;
  [[maybe_unused]] size_t stack_size_ = 0;
  [[maybe_unused]] const void* caller_stack_bottom_ = nullptr;
  [[maybe_unused]] size_t caller_stack_size_ = 0;
  [[maybe_unused]] void* caller_fake_stack_ = nullptr;
  [[maybe_unused]] void* fiber_fake_stack_ = nullptr;
  [[maybe_unused]] void* tsan_fiber_ = nullptr;
  [[maybe_unused]] void* tsan_caller_ = nullptr;
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_FIBER_H_
