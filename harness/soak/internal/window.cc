// Soak windows as histories and schedules (see window.h).

#include "harness/soak/internal/window.h"

#include <algorithm>
#include <map>
#include <set>

#include "harness/key_space.h"

namespace thfuzz::soak_internal {
namespace {

Event EventOf(const Record& record, const Window& window) {
  Event event;
  event.thread = record.thread;
  // Stamps carry the full operation number; the event's index is 16 bits.
  event.index = static_cast<uint16_t>(record.sequence);
  event.kind = record.kind;
  event.invoke = record.invoke;
  event.completed = record.completed;
  if (record.completed) event.response = record.response;
  if (record.kind == OpKind::kReserve) {
    event.amount = record.argument;
    return event;
  }
  event.key = KeyFor(static_cast<uint8_t>(record.key));
  if (IsWrite(record.kind)) {
    event.value = MakeStamp(event.key, record.thread, record.sequence);
  }
  if (!record.completed) return event;
  event.ok = record.ok;
  if (record.kind == OpKind::kFind && record.ok) {
    event.out = record.odd
                    ? window.odd_reads[record.argument]
                    : MakeStamp(event.key, record.read_thread, record.argument);
  }
  return event;
}

// The final snapshot restricted to `keys`.
Contents Restrict(const Contents& contents, const std::set<uint64_t>& keys) {
  Contents kept;
  for (const auto& entry : contents) {
    if (keys.count(entry.first)) kept.push_back(entry);
  }
  return kept;
}

}  // namespace

History WindowHistory(const Window& window) {
  History history;
  history.events.reserve(window.start.size() + window.records.size());
  for (size_t i = 0; i < window.start.size(); ++i) {
    Event setup;
    setup.thread = window.setup_thread;
    setup.index = static_cast<uint16_t>(i);
    setup.kind = OpKind::kInsert;
    setup.key = window.start[i].first;
    setup.value = window.start[i].second;
    setup.invoke = window.setup_time;
    setup.response = window.setup_time + 1;
    setup.ok = true;
    history.events.push_back(setup);
  }
  for (const Record& record : window.records) {
    history.events.push_back(EventOf(record, window));
  }
  std::stable_sort(
      history.events.begin(), history.events.end(),
      [](const Event& a, const Event& b) { return a.invoke < b.invoke; });
  history.has_final_state = true;
  history.final_state = window.end;
  history.invariant_report = window.invariant_report;
  return history;
}

std::vector<size_t> Neighbourhood(const History& history,
                                  std::optional<size_t> anchor,
                                  uint8_t setup_thread) {
  uint64_t until = ~uint64_t{0};
  if (anchor && history.events[*anchor].completed) {
    until = history.events[*anchor].response;
  }
  // Threads in order of preference: the anchor's, then the busiest ones
  // among the latest kMaxTotalOps candidates.
  std::vector<size_t> candidates;
  for (size_t i = history.events.size(); i-- > 0;) {
    const Event& event = history.events[i];
    if (event.thread == setup_thread || event.invoke > until) continue;
    candidates.push_back(i);
    if (candidates.size() == Schedule::kMaxTotalOps) break;
  }
  std::map<uint8_t, size_t> per_thread;
  for (size_t i : candidates) ++per_thread[history.events[i].thread];
  std::vector<std::pair<size_t, uint8_t>> by_count;
  for (auto [thread, count] : per_thread) {
    bool first = anchor && history.events[*anchor].thread == thread;
    by_count.emplace_back(first ? ~size_t{0} : count, thread);
  }
  std::sort(by_count.rbegin(), by_count.rend());
  std::set<uint8_t> threads;
  for (size_t i = 0; i < by_count.size() && i < Schedule::kMaxThreads; ++i) {
    threads.insert(by_count[i].second);
  }
  std::map<uint8_t, size_t> taken;
  std::vector<size_t> chosen;
  for (size_t i : candidates) {  // latest first
    uint8_t thread = history.events[i].thread;
    if (!threads.count(thread) || taken[thread] == Schedule::kMaxOpsPerThread) {
      continue;
    }
    ++taken[thread];
    chosen.push_back(i);
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

Schedule CutSchedule(const History& history, const std::vector<size_t>& events,
                     const Schedule& setup) {
  Schedule schedule = setup;
  schedule.threads.clear();
  schedule.decisions.clear();
  std::map<uint8_t, size_t> lane;  // soak thread -> schedule thread
  for (size_t i : events) {
    const Event& event = history.events[i];
    auto [it, fresh] = lane.try_emplace(event.thread, lane.size());
    if (fresh) schedule.threads.emplace_back();
    Operation op;
    op.kind = event.kind;
    op.key = static_cast<uint8_t>(event.key);
    op.amount = std::min(event.amount, Schedule::kMaxReserve);
    schedule.threads[it->second].push_back(op);
  }
  if (schedule.threads.empty()) schedule.threads.emplace_back();
  return schedule;
}

Schedule SerialCutSchedule(const History& history, std::optional<size_t> anchor,
                           uint8_t setup_thread, const Schedule& setup) {
  size_t end = anchor ? *anchor + 1 : history.events.size();
  std::set<uint64_t> present;  // keys present before `first`
  std::vector<size_t> workers;
  for (size_t i = 0; i < end; ++i) {
    const Event& event = history.events[i];
    if (event.thread == setup_thread) {
      present.insert(event.key);
    } else {
      workers.push_back(i);
    }
  }
  // Every key may need a prefix insert; the rest of the caps is the window.
  size_t room = Schedule::kMaxTotalOps - setup.key_count;
  size_t first = workers.size() > room ? workers.size() - room : 0;
  for (size_t w = 0; w < first; ++w) {
    const Event& event = history.events[workers[w]];
    if (!event.completed) continue;  // its effect is unknown
    // A write leaves the key present (insert false: it already was); a
    // read shows whether it is; an erase leaves it absent.
    bool present_after =
        IsWrite(event.kind) || (event.kind == OpKind::kFind && event.ok);
    bool absent_after = event.kind == OpKind::kErase ||
                        (event.kind == OpKind::kFind && !event.ok);
    if (present_after) present.insert(event.key);
    if (absent_after) present.erase(event.key);
  }
  std::vector<Operation> ops;
  for (uint64_t key : present) {
    Operation op;
    op.kind = OpKind::kInsert;
    op.key = static_cast<uint8_t>(key);
    ops.push_back(op);
  }
  for (size_t w = first; w < workers.size(); ++w) {
    const Event& event = history.events[workers[w]];
    Operation op;
    op.kind = event.kind;
    op.key = static_cast<uint8_t>(event.key);
    op.amount = std::min(event.amount, Schedule::kMaxReserve);
    ops.push_back(op);
  }
  Schedule schedule = setup;
  schedule.threads.clear();
  schedule.decisions.clear();
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i % Schedule::kMaxOpsPerThread == 0) schedule.threads.emplace_back();
    schedule.threads.back().push_back(ops[i]);
  }
  if (schedule.threads.empty()) schedule.threads.emplace_back();
  // The serial executor picks among the lanes with operations left, in
  // lane order: 0 is always the earliest lane, until one lane is left.
  schedule.decisions.assign(ops.size() - schedule.threads.back().size(), 0);
  return schedule;
}

History CutHistory(const History& window, const Violation& violation,
                   const std::vector<size_t>& neighbourhood) {
  bool explained = violation.kind != ViolationKind::kInvariantFailure &&
                   violation.kind != ViolationKind::kLiveness;
  History cut;
  std::set<uint64_t> keys;
  if (violation.key) keys.insert(*violation.key);
  for (size_t i : explained ? violation.events : neighbourhood) {
    cut.events.push_back(window.events[i]);
    if (IsSingleKey(window.events[i].kind)) keys.insert(window.events[i].key);
  }
  if (!explained) {
    cut.invariant_report = window.invariant_report;
    return cut;
  }
  // With the snapshot of those keys, if it still fails the same way; the
  // explained sub-history may or may not include the snapshot.
  History with_final = cut;
  with_final.has_final_state = true;
  with_final.final_state = Restrict(window.final_state, keys);
  for (const History* candidate : {&with_final, &cut}) {
    CheckResult result = CheckHistory(*candidate);
    if (result.verdict == Verdict::kViolation &&
        result.violation.kind == violation.kind) {
      return *candidate;
    }
  }
  return window;
}

}  // namespace thfuzz::soak_internal
