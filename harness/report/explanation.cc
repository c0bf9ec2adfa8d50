// Plain-words explanations of counterexamples (see explanation.h).

#include "harness/report/explanation.h"

#include <algorithm>
#include <string>

namespace thfuzz {
namespace {

class Writer {
 public:
  Writer(const History& history, const Counterexample& counterexample)
      : history_(history), example_(counterexample) {}

  Violation Build() const;

 private:
  const Event& EventOf(size_t op) const { return history_.events[op]; }
  std::string Name(size_t op) const;
  std::string ResultText(const Event& event) const;
  std::string ResultText(size_t op) const;
  std::string StateText(const std::vector<std::optional<Stamp>>& values) const;
  std::optional<std::string> WriteNotStartedReason(size_t read) const;
  std::string BlockedSentence(size_t op) const;
  std::string PrefixSentence(size_t blocked) const;
  std::string FinalLine() const;
  std::string SubHistoryListing() const;
  std::optional<uint64_t> KeyOf(size_t op) const;

  const History& history_;
  const Counterexample& example_;
};

// "T1#0 find(k3)", "T0#2 size()", or "the final snapshot".
std::string Writer::Name(size_t op) const {
  if (op == kFinalSnapshot) return "the final snapshot";
  return EventName(EventOf(op));
}

// What a completed event returned (or, for Counterexample::answer, would
// have returned).
std::string Writer::ResultText(const Event& event) const {
  switch (event.kind) {
    case OpKind::kFind:
      return event.ok ? "ok=true " + StampLabel(event.out, event.key)
                      : "ok=false";
    case OpKind::kInsert:
    case OpKind::kErase:
      return event.ok ? "true" : "false";
    case OpKind::kSize:
      return std::to_string(event.size);
    default:
      return "nothing";
  }
}

std::string Writer::ResultText(size_t op) const {
  if (op == kFinalSnapshot) return StateText(example_.final_values);
  return ResultText(EventOf(op));
}

// "k3 absent" or "k3=T0#2" for one key; "{k1=T0#0, k4=T2#1}" for several.
std::string Writer::StateText(
    const std::vector<std::optional<Stamp>>& values) const {
  const std::vector<uint64_t>& keys = example_.keys;
  if (values.size() == 1) {
    std::string key = "k" + std::to_string(keys[0]);
    return values[0] ? key + "=" + StampLabel(*values[0], keys[0])
                     : key + " absent";
  }
  std::string text = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    if (text.size() > 1) text += ", ";
    text +=
        "k" + std::to_string(keys[i]) + "=" + StampLabel(*values[i], keys[i]);
  }
  return text + "}";
}

// The clearest ghost read: every write of the value began after the read
// had already returned.
std::optional<std::string> Writer::WriteNotStartedReason(size_t read) const {
  const Event& find = EventOf(read);
  const Event* first_write = nullptr;
  for (size_t op : example_.ops) {
    if (op == kFinalSnapshot) continue;
    const Event& event = EventOf(op);
    bool writes_it =
        IsWrite(event.kind) && event.key == find.key && event.value == find.out;
    if (!writes_it) continue;
    if (event.invoke <= find.response) return std::nullopt;
    if (!first_write) first_write = &event;
  }
  if (!first_write) return std::nullopt;
  const Event& write = *first_write;
  std::string value = StampLabel(find.out, find.key);
  std::string writer = "T" + std::to_string(write.thread);
  std::string write_name = writer + "#" + std::to_string(write.index);
  // Executors' writes store their own stamp; name the write only if not.
  std::string by = value == write_name ? "" : ", " + write_name;
  std::string reader = Name(read);
  return value + " (" + writer + "'s " + std::string(OpKindName(write.kind)) +
         " of k" + std::to_string(write.key) + by + ") had not started when " +
         reader.substr(0, reader.find(' ')) + " returned";
}

std::string Writer::BlockedSentence(size_t op) const {
  if (op == kFinalSnapshot) {
    return "The final snapshot shows " + ResultText(op) +
           ", but no order of the operations ends in that state";
  }
  std::string sentence = Name(op) + " returned " + ResultText(op) + ", but ";
  const Event& event = EventOf(op);
  if (event.kind == OpKind::kFind && event.ok) {
    if (auto reason = WriteNotStartedReason(op)) return sentence + *reason;
  }
  return sentence + "no order of the operations consistent with real time " +
         "gives that result";
}

std::string Writer::PrefixSentence(size_t blocked) const {
  // A long prefix (an explanation the budget did not let shrink) shows its
  // last kShownPrefix operations; the state after it is exact regardless.
  constexpr size_t kShownPrefix = 32;
  const std::vector<size_t>& prefix = example_.prefix;
  size_t first_shown =
      prefix.size() > kShownPrefix ? prefix.size() - kShownPrefix : 0;
  std::string text = "Longest linearizable prefix: ";
  if (prefix.empty()) text += "(none)";
  if (first_shown > 0) {
    text += "(" + std::to_string(first_shown) + " operations, then) ";
  }
  for (size_t i = first_shown; i < prefix.size(); ++i) {
    size_t op = prefix[i];
    text += (i > first_shown ? ", " : "") + Name(op);
    bool has_result =
        op == kFinalSnapshot ||
        (EventOf(op).completed && EventOf(op).kind != OpKind::kInsertOrAssign &&
         EventOf(op).kind != OpKind::kClear);
    if (has_result) text += " -> " + ResultText(op);
  }
  text += ".\nAfter it the map holds " + StateText(example_.state_after_prefix);
  if (blocked == kFinalSnapshot) {
    return text + ", and no remaining operation can be placed to change that.";
  }
  return text + ", so " + Name(blocked) + " would have returned " +
         ResultText(example_.answer) +
         ", and no other remaining operation can be placed before it.";
}

// The snapshot in history-file form ("final {k3=T0#0}"), so that the
// listing parses as a history (HISTORY.md) that fails the same way.
std::string Writer::FinalLine() const {
  std::string text = "final {";
  for (size_t i = 0; i < example_.final_values.size(); ++i) {
    const std::optional<Stamp>& value = example_.final_values[i];
    if (!value) continue;
    if (text.back() != '{') text += ", ";
    uint64_t key = example_.keys[i];
    text += "k" + std::to_string(key) + "=" + StampLabel(*value, key);
  }
  return text + "}";
}

std::string Writer::SubHistoryListing() const {
  size_t events = 0;
  std::string lines;
  bool observes = false;
  for (size_t op : example_.ops) {
    if (op == kFinalSnapshot) {
      observes = true;
      continue;
    }
    lines += "  " + PrintEvent(EventOf(op)) + "\n";
    ++events;
  }
  if (observes) lines += "  " + FinalLine() + "\n";
  std::string scope = example_.keys.size() == 1
                          ? "on k" + std::to_string(example_.keys[0])
                          : "in the history";
  return "Minimal non-linearizable sub-history (" + std::to_string(events) +
         " of " + std::to_string(example_.original_op_count) + " operations " +
         scope + "):\n" + lines;
}

// A key-level operation's own key; otherwise the one key of a per-key
// counterexample.
std::optional<uint64_t> Writer::KeyOf(size_t op) const {
  if (op != kFinalSnapshot && IsSingleKey(EventOf(op).kind)) {
    return EventOf(op).key;
  }
  if (example_.keys.size() == 1) return example_.keys[0];
  return std::nullopt;
}

Violation Writer::Build() const {
  Violation violation;
  violation.kind = example_.kind;
  for (size_t op : example_.ops) {
    if (op != kFinalSnapshot) violation.events.push_back(op);
  }
  std::sort(violation.events.begin(), violation.events.end());
  if (!example_.blocked) {
    violation.summary = "no linearization exists";
    violation.explanation = SubHistoryListing();
    return violation;
  }
  size_t blocked = *example_.blocked;
  violation.key = KeyOf(blocked);
  if (blocked != kFinalSnapshot) violation.offending = blocked;
  violation.summary = BlockedSentence(blocked);
  violation.explanation = violation.summary + ".\n" + PrefixSentence(blocked) +
                          "\n" + SubHistoryListing();
  return violation;
}

}  // namespace

Violation ExplainCounterexample(const History& history,
                                const Counterexample& counterexample) {
  return Writer(history, counterexample).Build();
}

}  // namespace thfuzz
