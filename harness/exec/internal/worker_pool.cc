// The stress executor's persistent worker threads.

#include "harness/exec/internal/worker_pool.h"

namespace thfuzz::exec_internal {

WorkerPool& WorkerPool::Get() {
  static WorkerPool pool;
  return pool;
}

WorkerPool::~WorkerPool() {
  stopping_.store(true);
  for (auto& worker : workers_) {
    worker->ticket.fetch_add(1, std::memory_order_release);
    worker->ticket.notify_one();
  }
  for (auto& worker : workers_) worker->thread.join();
}

void WorkerPool::Run(size_t count, const std::function<void(size_t)>& job) {
  while (workers_.size() < count) {
    auto worker = std::make_unique<Worker>();
    Worker& w = *worker;
    size_t index = workers_.size();
    workers_.push_back(std::move(worker));
    w.thread = std::thread([this, &w, index] { Work(w, index); });
  }
  job_ = &job;
  ready_.store(0);
  go_.store(false);
  remaining_.store(count);
  for (size_t i = 0; i < count; ++i) {
    workers_[i]->ticket.fetch_add(1, std::memory_order_release);
    workers_[i]->ticket.notify_one();
  }
  // Release everyone at once when all participants are spinning.
  while (ready_.load(std::memory_order_acquire) < count) {
    std::this_thread::yield();
  }
  go_.store(true, std::memory_order_release);
  for (size_t left; (left = remaining_.load(std::memory_order_acquire)) != 0;) {
    remaining_.wait(left, std::memory_order_acquire);
  }
}

void WorkerPool::Work(Worker& worker, size_t index) {
  uint64_t seen = 0;
  for (;;) {
    worker.ticket.wait(seen, std::memory_order_acquire);
    seen = worker.ticket.load(std::memory_order_acquire);
    if (stopping_.load()) return;
    ready_.fetch_add(1, std::memory_order_acq_rel);
    while (!go_.load(std::memory_order_acquire)) {
      std::this_thread::yield();
    }
    (*job_)(index);
    if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      remaining_.notify_one();
    }
  }
}

void RunOnNewThreads(size_t count, const std::function<void(size_t)>& job) {
  std::vector<std::thread> threads;
  std::atomic<size_t> ready{0};
  for (size_t i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < count) std::this_thread::yield();
      job(i);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

}  // namespace thfuzz::exec_internal
