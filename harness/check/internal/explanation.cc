// Plain-words explanations of violations (see explanation.h).

#include "harness/check/internal/explanation.h"

#include <algorithm>
#include <optional>

#include "harness/check/internal/map_model.h"

namespace thfuzz::check_internal {
namespace {

class Writer {
 public:
  Writer(const History& history, const ValueTable& values,
         const Diagnosis& diagnosis)
      : history_(history),
        values_(values),
        diagnosis_(diagnosis),
        problem_(diagnosis.problem) {}

  Violation Build();

 private:
  uint64_t KeyOf(const SearchOp& op) const {
    return op.slot >= 0 ? problem_.slot_keys[op.slot] : 0;
  }
  std::string ValueName(int32_t slot, int32_t value) const;
  std::string ResultText(const SearchOp& op) const;
  std::string StateText(const std::vector<int32_t>& slots) const;
  std::string FinalLine() const;
  std::string Name(const SearchOp& op) const {
    return OpName(history_, problem_, op);
  }
  std::optional<std::string> WriteNotStartedReason(const SearchOp& read) const;
  std::string BlockedSentence(const SearchOp& op) const;
  std::string PrefixSentence(const SearchOp& blocked) const;
  std::string SubHistoryListing() const;

  const History& history_;
  const ValueTable& values_;
  const Diagnosis& diagnosis_;
  const SearchProblem& problem_;
};

std::string Writer::ValueName(int32_t slot, int32_t value) const {
  return StampLabel(values_.stamp(value), problem_.slot_keys[slot]);
}

std::string Writer::ResultText(const SearchOp& op) const {
  switch (op.kind) {
    case ModelOpKind::kFind:
      return op.ok ? "ok=true " + ValueName(op.slot, op.value) : "ok=false";
    case ModelOpKind::kInsert:
    case ModelOpKind::kErase:
      return op.ok ? "true" : "false";
    case ModelOpKind::kSize:
      return std::to_string(op.size);
    case ModelOpKind::kObserve:
      return StateText(problem_.final_values);
    default:
      return "nothing";
  }
}

// The snapshot in history-file form ("final {k3=T0#0}"), so that the
// listing below parses as a history.
std::string Writer::FinalLine() const {
  std::string text = "final {";
  for (int32_t slot = 0; slot < problem_.slot_count(); ++slot) {
    int32_t value = problem_.final_values[slot];
    if (value == kAbsent) continue;
    if (text.back() != '{') text += ", ";
    text += "k" + std::to_string(problem_.slot_keys[slot]) + "=" +
            ValueName(slot, value);
  }
  return text + "}";
}

std::string Writer::StateText(const std::vector<int32_t>& slots) const {
  if (slots.size() == 1) {
    std::string key = "k" + std::to_string(problem_.slot_keys[0]);
    return slots[0] == kAbsent ? key + " absent"
                               : key + "=" + ValueName(0, slots[0]);
  }
  std::string text = "{";
  for (int32_t slot = 0; slot < int32_t(slots.size()); ++slot) {
    if (slots[slot] == kAbsent) continue;
    if (text.size() > 1) text += ", ";
    text += "k" + std::to_string(problem_.slot_keys[slot]) + "=" +
            ValueName(slot, slots[slot]);
  }
  return text + "}";
}

// The clearest ghost read: every write of the value began after the read
// had already returned.
std::optional<std::string> Writer::WriteNotStartedReason(
    const SearchOp& read) const {
  const SearchOp* first_write = nullptr;
  for (const SearchOp& op : problem_.ops) {
    bool writes_it =
        (op.kind == ModelOpKind::kInsert || op.kind == ModelOpKind::kAssign) &&
        op.slot == read.slot && op.value == read.value;
    if (!writes_it) continue;
    if (op.invoke <= read.response) return std::nullopt;
    if (!first_write) first_write = &op;
  }
  if (!first_write) return std::nullopt;
  const Event& write = history_.events[first_write->event];
  std::string value = ValueName(read.slot, read.value);
  std::string writer = "T" + std::to_string(write.thread);
  std::string write_name = writer + "#" + std::to_string(write.index);
  // Executors' writes store their own stamp; name the write only if not.
  std::string by = value == write_name ? "" : ", " + write_name;
  std::string reader = Name(read);
  return value + " (" + writer + "'s " + std::string(OpKindName(write.kind)) +
         " of k" + std::to_string(write.key) + by + ") had not started when " +
         reader.substr(0, reader.find(' ')) + " returned";
}

std::string Writer::BlockedSentence(const SearchOp& op) const {
  if (op.kind == ModelOpKind::kObserve) {
    return "The final snapshot shows " + ResultText(op) +
           ", but no order of the operations ends in that state";
  }
  std::string sentence = Name(op) + " returned " + ResultText(op) + ", but ";
  if (op.kind == ModelOpKind::kFind && op.ok) {
    if (auto reason = WriteNotStartedReason(op)) return sentence + *reason;
  }
  return sentence + "no order of the operations consistent with real time " +
         "gives that result";
}

std::string Writer::PrefixSentence(const SearchOp& blocked) const {
  // A long prefix (an explanation the budget did not let shrink) shows its
  // last kShownPrefix operations; the state after it is exact regardless.
  constexpr size_t kShownPrefix = 32;
  const std::vector<uint32_t>& prefix = diagnosis_.prefix;
  size_t first_shown =
      prefix.size() > kShownPrefix ? prefix.size() - kShownPrefix : 0;
  MapModel model(problem_);
  std::string text = "Longest linearizable prefix: ";
  if (prefix.empty()) text += "(none)";
  if (first_shown > 0) {
    text += "(" + std::to_string(first_shown) + " operations, then) ";
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    const SearchOp& op = problem_.ops[prefix[i]];
    model.Apply(op);
    if (i < first_shown) continue;
    text += (i > first_shown ? ", " : "") + Name(op);
    if (op.completed && op.kind != ModelOpKind::kAssign &&
        op.kind != ModelOpKind::kClear) {
      text += " -> " + ResultText(op);
    }
  }
  text += ".\nAfter it the map holds " + StateText(model.slots());
  if (blocked.kind == ModelOpKind::kObserve) {
    return text + ", and no remaining operation can be placed to change that.";
  }
  return text + ", so " + Name(blocked) + " would have returned " +
         ResultText(model.Answer(blocked)) +
         ", and no other remaining operation can be placed before it.";
}

std::string Writer::SubHistoryListing() const {
  size_t events = 0;
  std::string lines;
  bool observes = false;
  for (const SearchOp& op : problem_.ops) {
    if (op.kind == ModelOpKind::kObserve) {
      observes = true;
      continue;
    }
    lines += "  " + PrintEvent(history_.events[op.event]) + "\n";
    ++events;
  }
  if (observes) lines += "  " + FinalLine() + "\n";
  std::string scope = problem_.slot_count() == 1
                          ? "on k" + std::to_string(problem_.slot_keys[0])
                          : "in the history";
  return "Minimal non-linearizable sub-history (" + std::to_string(events) +
         " of " + std::to_string(diagnosis_.original_op_count) +
         " operations " + scope + "):\n" + lines;
}

Violation Writer::Build() {
  Violation violation;
  violation.kind = diagnosis_.kind;
  for (const SearchOp& op : problem_.ops) {
    if (op.event != kNoEvent) violation.events.push_back(op.event);
  }
  std::sort(violation.events.begin(), violation.events.end());
  if (!diagnosis_.blocked) {
    violation.summary = "no linearization exists";
    violation.explanation = SubHistoryListing();
    return violation;
  }
  const SearchOp& blocked = problem_.ops[*diagnosis_.blocked];
  if (blocked.slot >= 0) {
    violation.key = KeyOf(blocked);
  } else if (problem_.slot_count() == 1) {
    violation.key = problem_.slot_keys[0];
  }
  violation.summary = BlockedSentence(blocked);
  violation.explanation = violation.summary + ".\n" + PrefixSentence(blocked) +
                          "\n" + SubHistoryListing();
  return violation;
}

}  // namespace

std::string OpName(const History& history, const SearchProblem& problem,
                   const SearchOp& op) {
  if (op.kind == ModelOpKind::kObserve) return "the final snapshot";
  const Event& event = history.events[op.event];
  std::string name = "T" + std::to_string(event.thread) + "#" +
                     std::to_string(event.index) + " " +
                     std::string(OpKindName(event.kind)) + "(";
  if (IsSingleKey(event.kind)) name += "k" + std::to_string(event.key);
  return name + ")";
}

Violation Explain(const History& history, const ValueTable& values,
                  const Diagnosis& diagnosis) {
  return Writer(history, values, diagnosis).Build();
}

}  // namespace thfuzz::check_internal
