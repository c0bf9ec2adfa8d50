// Simulated executions with optional lies (see history_gen.h).

#include "harness/check/testing/history_gen.h"

#include <algorithm>
#include <vector>

#include "absl/container/btree_map.h"
#include "harness/random.h"

namespace thfuzz {
namespace {

class ByteChoices : public ChoiceSource {
 public:
  explicit ByteChoices(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint32_t Next(uint32_t bound) override {
    uint32_t word = 0;
    for (uint32_t range = 1; range < bound && range != 0; range <<= 8) {
      word = word << 8 | (position_ < bytes_.size() ? bytes_[position_] : 0);
      ++position_;
    }
    return word % bound;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
};

class Simulation {
 public:
  Simulation(const HistoryGenOptions& options, ChoiceSource& choices)
      : options_(options), choices_(choices), threads_(options.threads) {}

  History Run();

 private:
  enum class Phase { kIdle, kCalled, kTookEffect, kDone };
  struct ThreadState {
    Phase phase = Phase::kIdle;
    int next_index = 0;
    size_t event = 0;
  };

  void Step(int thread);
  void Call(int thread);
  void TakeEffect(Event& event);
  void Abort(ThreadState& state);
  void Corrupt(Event& event);
  Stamp SharedStamp(uint64_t key) {
    return MakeStamp(key, choices_.Next(2), choices_.Next(2));
  }
  uint64_t RandomKey() { return 1 + choices_.Next(options_.keys); }
  void RecordFinalState();

  const HistoryGenOptions& options_;
  ChoiceSource& choices_;
  std::vector<ThreadState> threads_;
  absl::btree_map<uint64_t, Stamp> map_;
  History history_;
  uint64_t clock_ = 1;
};

History Simulation::Run() {
  while (true) {
    std::vector<int> runnable;
    for (int t = 0; t < int(threads_.size()); ++t) {
      if (threads_[t].phase != Phase::kDone) runnable.push_back(t);
    }
    if (runnable.empty()) break;
    Step(runnable[choices_.Next(runnable.size())]);
  }
  if (options_.final_state) RecordFinalState();
  return std::move(history_);
}

void Simulation::Step(int thread) {
  ThreadState& state = threads_[thread];
  // Ties on the clock happen now and then: intervals are closed, so two
  // events that share an instant overlap.
  clock_ += choices_.Next(4) != 0;
  if (state.phase != Phase::kIdle && choices_.Percent(options_.abort_percent)) {
    return Abort(state);
  }
  switch (state.phase) {
    case Phase::kIdle:
      if (state.next_index == options_.ops_per_thread) {
        state.phase = Phase::kDone;
      } else {
        Call(thread);
      }
      break;
    case Phase::kCalled:
      TakeEffect(history_.events[state.event]);
      state.phase = Phase::kTookEffect;
      break;
    case Phase::kTookEffect: {
      Event& event = history_.events[state.event];
      clock_ = std::max(clock_, event.invoke + 1);
      event.response = clock_;
      if (choices_.Percent(options_.corrupt_percent)) Corrupt(event);
      state.phase = Phase::kIdle;
      break;
    }
    case Phase::kDone:
      break;
  }
}

void Simulation::Call(int thread) {
  ThreadState& state = threads_[thread];
  Event event;
  event.thread = static_cast<uint8_t>(thread);
  event.index = static_cast<uint16_t>(state.next_index++);
  if (choices_.Percent(options_.whole_map_percent)) {
    constexpr OpKind kWholeMap[] = {OpKind::kSize, OpKind::kClear,
                                    OpKind::kSize, OpKind::kReserve};
    event.kind = kWholeMap[choices_.Next(4)];
    if (event.kind == OpKind::kReserve) event.amount = choices_.Next(64);
  } else {
    event.kind = static_cast<OpKind>(choices_.Next(4));
    event.key = RandomKey();
  }
  if (IsWrite(event.kind)) {
    event.value = choices_.Percent(options_.shared_value_percent)
                      ? SharedStamp(event.key)
                      : MakeStamp(event.key, event.thread, event.index);
  }
  event.invoke = clock_;
  state.event = history_.events.size();
  state.phase = Phase::kCalled;
  history_.events.push_back(event);
}

void Simulation::TakeEffect(Event& event) {
  switch (event.kind) {
    case OpKind::kFind:
      if (auto it = map_.find(event.key); it != map_.end()) {
        event.ok = true;
        event.out = it->second;
      }
      break;
    case OpKind::kInsert:
      event.ok = map_.try_emplace(event.key, event.value).second;
      break;
    case OpKind::kInsertOrAssign:
      map_.insert_or_assign(event.key, event.value);
      break;
    case OpKind::kErase:
      event.ok = map_.erase(event.key) == 1;
      break;
    case OpKind::kSize:
      event.size = map_.size();
      break;
    case OpKind::kClear:
      map_.clear();
      break;
    case OpKind::kReserve:
      break;
  }
}

// The thread stops for good mid-operation; the operation took effect or not,
// depending on how far it got, and its results are unknown.
void Simulation::Abort(ThreadState& state) {
  Event& event = history_.events[state.event];
  event.completed = false;
  event.response = 0;
  event.ok = false;
  event.out = Stamp{};
  event.size = 0;
  state.phase = Phase::kDone;
}

void Simulation::Corrupt(Event& event) {
  switch (event.kind) {
    case OpKind::kFind:
      if (event.ok && choices_.Percent(50)) {
        event.out = SharedStamp(event.key);
      } else {
        event.ok = !event.ok;
        event.out = event.ok ? SharedStamp(event.key) : Stamp{};
      }
      break;
    case OpKind::kInsert:
    case OpKind::kErase:
      event.ok = !event.ok;
      break;
    case OpKind::kSize:
      event.size =
          event.size + 1 - 2 * (event.size > 0 && choices_.Percent(50));
      break;
    default:
      break;
  }
}

void Simulation::RecordFinalState() {
  if (choices_.Percent(options_.corrupt_percent)) {
    uint64_t key = RandomKey();
    if (map_.contains(key) && choices_.Percent(50)) {
      map_.erase(key);
    } else {
      map_[key] = SharedStamp(key);
    }
  }
  history_.has_final_state = true;
  for (const auto& [key, stamp] : map_) {
    history_.final_state.emplace_back(key, stamp);
  }
}

History GenerateSmall(ChoiceSource& choices) {
  HistoryGenOptions options;
  options.threads = 2 + choices.Next(2);
  options.ops_per_thread = 1 + choices.Next(options.threads == 2 ? 4 : 2);
  options.keys = 1 + choices.Next(3);
  options.whole_map_percent = 15;
  options.abort_percent = 4;
  options.corrupt_percent = 12;
  options.final_state = choices.Percent(80);
  return GenerateHistory(options, choices);
}

// Values written for `key` in the history.
std::vector<Stamp> WrittenValues(const History& history, uint64_t key) {
  std::vector<Stamp> values;
  for (const Event& event : history.events) {
    if (IsWrite(event.kind) && event.key == key) values.push_back(event.value);
  }
  return values;
}

void MutateEvent(History& history, size_t index, ChoiceSource& choices) {
  Event& event = history.events[index];
  std::vector<Stamp> values = WrittenValues(history, event.key);
  auto any_value = [&] { return values[choices.Next(values.size())]; };
  switch (choices.Next(5)) {
    case 0:  // flip the result
      if (!event.completed) break;
      if (event.kind == OpKind::kSize) {
        event.size = event.size + 1 - 2 * (event.size > 0 && choices.Next(2));
      } else if (event.kind == OpKind::kFind) {
        if (!event.ok && values.empty()) break;
        event.ok = !event.ok;
        event.out = event.ok ? any_value() : Stamp{};
      } else if (event.kind == OpKind::kInsert ||
                 event.kind == OpKind::kErase) {
        event.ok = !event.ok;
      }
      break;
    case 1:  // read another value
      if (event.kind == OpKind::kFind && event.completed && event.ok &&
          !values.empty()) {
        event.out = any_value();
      }
      break;
    case 2:  // never returned
      event.completed = false;
      event.response = 0;
      event.ok = false;
      event.out = Stamp{};
      event.size = 0;
      break;
    case 3:  // a longer interval, either way
      if (choices.Next(2) && event.invoke > 0) {
        event.invoke -= std::min<uint64_t>(event.invoke, 1 + choices.Next(6));
      } else if (event.completed) {
        event.response += 1 + choices.Next(6);
      }
      break;
    case 4:  // gone
      history.events.erase(history.events.begin() + index);
      break;
  }
}

void MutateFinalState(History& history, ChoiceSource& choices) {
  if (!history.has_final_state || history.events.empty()) return;
  uint64_t key = history.events[choices.Next(history.events.size())].key;
  auto& state = history.final_state;
  auto it = std::find_if(state.begin(), state.end(),
                         [&](const auto& entry) { return entry.first == key; });
  std::vector<Stamp> values = WrittenValues(history, key);
  if (it != state.end() && (values.empty() || choices.Next(2))) {
    state.erase(it);
  } else if (!values.empty()) {
    Stamp value = values[choices.Next(values.size())];
    if (it != state.end()) {
      it->second = value;
    } else {
      state.emplace_back(key, value);
      std::sort(state.begin(), state.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    }
  }
}

History GenerateMutated(ChoiceSource& choices) {
  HistoryGenOptions options;
  options.threads = 2 + choices.Next(3);
  options.ops_per_thread = 1 + choices.Next(12);
  options.keys = 1 + choices.Next(2);
  options.whole_map_percent = choices.Next(4) == 0 ? 10 : 0;
  options.abort_percent = choices.Next(3) == 0 ? 3 : 0;
  options.corrupt_percent = 0;
  options.shared_value_percent = choices.Next(8) == 0 ? 20 : 0;
  options.final_state = choices.Next(4) != 0;
  History history = GenerateHistory(options, choices);
  MutateHistory(history, choices, static_cast<int>(choices.Next(4)));
  return history;
}

// `generate` driven by a Source made from `input` (a seed or fuzz bytes).
template <class Source, class Input>
History Drive(History (*generate)(ChoiceSource&), Input input) {
  Source choices(input);
  return generate(choices);
}

}  // namespace

void MutateHistory(History& history, ChoiceSource& choices, int count) {
  for (int i = 0; i < count; ++i) {
    if (history.events.empty() || choices.Next(6) == 0) {
      MutateFinalState(history, choices);
    } else {
      MutateEvent(history, choices.Next(history.events.size()), choices);
    }
  }
}

History GenerateMutatedHistory(uint64_t seed) {
  return Drive<SeededChoices>(GenerateMutated, seed);
}

History GenerateMutatedHistory(std::span<const uint8_t> bytes) {
  return Drive<ByteChoices>(GenerateMutated, bytes);
}

uint32_t SeededChoices::Next(uint32_t bound) {
  // splitmix64
  uint64_t z = (state_ += kGoldenGamma);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<uint32_t>((z ^ (z >> 31)) % bound);
}

History GenerateHistory(const HistoryGenOptions& options,
                        ChoiceSource& choices) {
  return Simulation(options, choices).Run();
}

History GenerateSmallHistory(uint64_t seed) {
  return Drive<SeededChoices>(GenerateSmall, seed);
}

History GenerateSmallHistory(std::span<const uint8_t> bytes) {
  return Drive<ByteChoices>(GenerateSmall, bytes);
}

std::optional<size_t> InjectStaleRead(History& history, size_t near) {
  auto done_before = [](const Event& event, uint64_t time) {
    return event.completed && event.response < time;
  };
  for (size_t i = near; i < history.events.size(); ++i) {
    Event& read = history.events[i];
    if (read.kind != OpKind::kFind || !read.completed || !read.ok) continue;
    // The latest completed overwrite or erase before the read, then the
    // latest completed store before that.
    const Event* remover = nullptr;
    for (size_t j = i; j-- > 0 && !remover;) {
      const Event& event = history.events[j];
      bool removes = event.kind == OpKind::kInsertOrAssign ||
                     (event.kind == OpKind::kErase && event.ok);
      if (event.key == read.key && removes && done_before(event, read.invoke)) {
        remover = &event;
      }
    }
    if (!remover) continue;
    for (size_t j = remover - history.events.data(); j-- > 0;) {
      const Event& event = history.events[j];
      bool stores = event.kind == OpKind::kInsertOrAssign ||
                    (event.kind == OpKind::kInsert && event.ok);
      if (event.key == read.key && stores &&
          done_before(event, remover->invoke)) {
        read.out = event.value;
        return i;
      }
    }
  }
  return std::nullopt;
}

}  // namespace thfuzz
