// WorkerPool: the stress executor's persistent OS threads.
//
// Starting threads costs tens of microseconds each, more than a whole
// stress execution's work, so the pool keeps up to Schedule::kMaxThreads
// workers alive and hands each execution to them. Run() returns only when
// every worker has finished its part, so no work of one execution outlives
// it (a fuzzer sees each input's effects complete). Workers are released
// together from a spinning start barrier, which makes the logical threads
// really overlap instead of starting one after another.
// (harness/bench measures the pool against spawning threads per execution.)

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_WORKER_POOL_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_WORKER_POOL_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace thfuzz::exec_internal {

class WorkerPool {
 public:
  // The process-wide pool (created on first use, joined at exit).
  static WorkerPool& Get();

  WorkerPool() = default;
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs job(i) for i in [0, count) on `count` workers at once; returns when
  // all have returned. Not reentrant: one Run() at a time.
  void Run(size_t count, const std::function<void(size_t)>& job);

 private:
  // One mailbox per worker: a worker runs the job once per ticket, so no
  // worker can confuse two executions.
  struct Worker {
    std::atomic<uint64_t> ticket{0};
    std::thread thread;
  };

  void Work(Worker& worker, size_t index);

  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<size_t> ready_{0};
  std::atomic<bool> go_{false};
  std::atomic<size_t> remaining_{0};
  std::atomic<bool> stopping_{false};
  const std::function<void(size_t)>* job_ = nullptr;  // set before tickets
};

// Runs job(i) for i in [0, count) on freshly started threads (the slower
// alternative the pool is measured against).
void RunOnNewThreads(size_t count, const std::function<void(size_t)>& job);

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_WORKER_POOL_H_
