// Translation of a Diagnosis into a Counterexample (see counterexample.h).

#include "harness/check/internal/counterexample.h"

#include "harness/check/internal/map_model.h"

namespace thfuzz::check_internal {
namespace {

// An op of the problem as the counterexample names it.
size_t OpOf(const SearchOp& op) {
  return op.kind == ModelOpKind::kObserve ? kFinalSnapshot : op.event;
}

std::vector<std::optional<Stamp>> StampsOf(const std::vector<int32_t>& slots,
                                           const ValueTable& values) {
  std::vector<std::optional<Stamp>> stamps;
  for (int32_t value : slots) {
    stamps.push_back(value == kAbsent ? std::nullopt
                                      : std::optional(values.stamp(value)));
  }
  return stamps;
}

// The model's answer to `blocked` after the prefix, as an event.
Event AnswerEvent(const History& history, const ValueTable& values,
                  const SearchOp& answer) {
  Event event = history.events[answer.event];
  event.ok = answer.ok;
  event.out = answer.value == kAbsent ? Stamp{} : values.stamp(answer.value);
  event.size = answer.size;
  return event;
}

}  // namespace

Counterexample CounterexampleOf(const History& history,
                                const ValueTable& values,
                                const Diagnosis& diagnosis) {
  const SearchProblem& problem = diagnosis.problem;
  Counterexample example;
  example.kind = diagnosis.kind;
  example.keys = problem.slot_keys;
  for (const SearchOp& op : problem.ops) example.ops.push_back(OpOf(op));
  example.final_values = StampsOf(problem.final_values, values);
  example.original_op_count = diagnosis.original_op_count;
  MapModel model(problem);
  for (uint32_t op : diagnosis.prefix) {
    example.prefix.push_back(OpOf(problem.ops[op]));
    model.Apply(problem.ops[op]);
  }
  example.state_after_prefix = StampsOf(model.slots(), values);
  if (!diagnosis.blocked) return example;
  const SearchOp& blocked = problem.ops[*diagnosis.blocked];
  example.blocked = OpOf(blocked);
  if (blocked.kind != ModelOpKind::kObserve) {
    example.answer = AnswerEvent(history, values, model.Answer(blocked));
  }
  return example;
}

}  // namespace thfuzz::check_internal
