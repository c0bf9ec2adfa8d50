// HistoryBuilder: hand-written histories for tests, one event per call.
//
// Each call appends an event of `thread` over [invoke, response]; operation
// indices count up per thread in call order, and a write stores its writer's
// own stamp (W(key, thread, index)), as executors do. Pending() turns the
// latest event into one that never returned.

#ifndef THFUZZ_HARNESS_CHECK_TESTING_HISTORY_BUILDER_H_
#define THFUZZ_HARNESS_CHECK_TESTING_HISTORY_BUILDER_H_

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "harness/history.h"

namespace thfuzz::testing {

inline Stamp W(uint64_t key, uint32_t thread, uint32_t index) {
  return MakeStamp(key, thread, index);
}

class HistoryBuilder {
 public:
  HistoryBuilder& Insert(int thread, uint64_t key, uint64_t invoke,
                         uint64_t response, bool inserted) {
    Event& event = Add(thread, OpKind::kInsert, key, invoke, response);
    event.value = W(key, thread, event.index);
    event.ok = inserted;
    return *this;
  }
  HistoryBuilder& Assign(int thread, uint64_t key, uint64_t invoke,
                         uint64_t response) {
    Event& event = Add(thread, OpKind::kInsertOrAssign, key, invoke, response);
    event.value = W(key, thread, event.index);
    return *this;
  }
  HistoryBuilder& Erase(int thread, uint64_t key, uint64_t invoke,
                        uint64_t response, bool erased) {
    Add(thread, OpKind::kErase, key, invoke, response).ok = erased;
    return *this;
  }
  HistoryBuilder& Found(int thread, uint64_t key, uint64_t invoke,
                        uint64_t response, const Stamp& value) {
    Event& event = Add(thread, OpKind::kFind, key, invoke, response);
    event.ok = true;
    event.out = value;
    return *this;
  }
  HistoryBuilder& Absent(int thread, uint64_t key, uint64_t invoke,
                         uint64_t response) {
    Add(thread, OpKind::kFind, key, invoke, response);
    return *this;
  }
  HistoryBuilder& Size(int thread, uint64_t invoke, uint64_t response,
                       uint64_t size) {
    Add(thread, OpKind::kSize, 0, invoke, response).size = size;
    return *this;
  }
  HistoryBuilder& Clear(int thread, uint64_t invoke, uint64_t response) {
    Add(thread, OpKind::kClear, 0, invoke, response);
    return *this;
  }
  // The latest event never returned: no response, no result.
  HistoryBuilder& Pending() {
    Event& event = history_.events.back();
    event.completed = false;
    event.response = 0;
    event.ok = false;
    event.out = Stamp{};
    event.size = 0;
    return *this;
  }
  HistoryBuilder& Final(std::vector<std::pair<uint64_t, Stamp>> state) {
    std::sort(state.begin(), state.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    history_.has_final_state = true;
    history_.final_state = std::move(state);
    return *this;
  }
  History Build() const {
    History history = history_;
    // By invoke time, as executors record them; ties by thread.
    std::sort(history.events.begin(), history.events.end(),
              [](const Event& a, const Event& b) {
                return std::tie(a.invoke, a.thread, a.index) <
                       std::tie(b.invoke, b.thread, b.index);
              });
    return history;
  }

 private:
  Event& Add(int thread, OpKind kind, uint64_t key, uint64_t invoke,
             uint64_t response) {
    Event event;
    event.thread = static_cast<uint8_t>(thread);
    event.index = static_cast<uint16_t>(next_index_[thread]++);
    event.kind = kind;
    event.key = key;
    event.invoke = invoke;
    event.response = response;
    history_.events.push_back(event);
    return history_.events.back();
  }

  History history_;
  std::map<int, int> next_index_;
};

}  // namespace thfuzz::testing

#endif  // THFUZZ_HARNESS_CHECK_TESTING_HISTORY_BUILDER_H_
