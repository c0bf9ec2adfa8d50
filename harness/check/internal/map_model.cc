// The absl::flat_hash_map specification as an undoable state machine (see
// map_model.h).

#include "harness/check/internal/map_model.h"

#include "harness/random.h"

namespace thfuzz::check_internal {
namespace {

uint64_t SlotHash(int32_t slot, int32_t value) {
  return FrozenMix64((uint64_t(uint32_t(slot)) << 32 | uint32_t(value)) ^
                     0x243f6a8885a308d3ULL);
}

}  // namespace

MapModel::MapModel(const SearchProblem& problem)
    : slots_(problem.slot_count(), kAbsent),
      final_values_(problem.final_values) {}

SearchOp MapModel::Answer(const SearchOp& op) const {
  SearchOp answer = op;
  bool present = op.slot >= 0 && slots_[op.slot] != kAbsent;
  switch (op.kind) {
    case ModelOpKind::kFind:
      answer.ok = present;
      answer.value = present ? slots_[op.slot] : kAbsent;
      break;
    case ModelOpKind::kInsert:
      answer.ok = !present;
      break;
    case ModelOpKind::kErase:
      answer.ok = present;
      break;
    case ModelOpKind::kSize:
      answer.size = size_;
      break;
    default:
      break;
  }
  return answer;
}

bool MapModel::Matches(const SearchOp& op) const {
  if (!op.completed) return true;
  SearchOp answer = Answer(op);
  switch (op.kind) {
    case ModelOpKind::kFind:
      return answer.ok == op.ok && (!op.ok || answer.value == op.value);
    case ModelOpKind::kInsert:
    case ModelOpKind::kErase:
      return answer.ok == op.ok;
    case ModelOpKind::kSize:
      return answer.size == op.size;
    case ModelOpKind::kObserve:
      return slots_ == final_values_;
    default:
      return true;
  }
}

void MapModel::Set(int32_t slot, int32_t value) {
  int32_t old = slots_[slot];
  if (old == value) return;
  if (old != kAbsent) hash_ ^= SlotHash(slot, old), --size_;
  if (value != kAbsent) hash_ ^= SlotHash(slot, value), ++size_;
  slots_[slot] = value;
}

bool MapModel::Apply(const SearchOp& op) {
  if (!Matches(op)) return false;
  switch (op.kind) {
    case ModelOpKind::kInsert:
      previous_values_.push_back(slots_[op.slot]);
      if (slots_[op.slot] == kAbsent) Set(op.slot, op.value);
      break;
    case ModelOpKind::kAssign:
      previous_values_.push_back(slots_[op.slot]);
      Set(op.slot, op.value);
      break;
    case ModelOpKind::kErase:
      previous_values_.push_back(slots_[op.slot]);
      Set(op.slot, kAbsent);
      break;
    case ModelOpKind::kClear:
      previous_states_.push_back(slots_);
      for (int32_t slot = 0; slot < int32_t(slots_.size()); ++slot) {
        Set(slot, kAbsent);
      }
      break;
    default:
      break;
  }
  return true;
}

void MapModel::Revert(const SearchOp& op) {
  switch (op.kind) {
    case ModelOpKind::kInsert:
    case ModelOpKind::kAssign:
    case ModelOpKind::kErase:
      Set(op.slot, previous_values_.back());
      previous_values_.pop_back();
      break;
    case ModelOpKind::kClear:
      for (int32_t slot = 0; slot < int32_t(slots_.size()); ++slot) {
        Set(slot, previous_states_.back()[slot]);
      }
      previous_states_.pop_back();
      break;
    default:
      break;
  }
}

void MapModel::AppendWords(std::vector<uint64_t>& words) const {
  for (size_t i = 0; i < slots_.size(); i += 2) {
    uint64_t high = i + 1 < slots_.size() ? uint32_t(slots_[i + 1]) : 0;
    words.push_back(high << 32 | uint32_t(slots_[i]));
  }
}

}  // namespace thfuzz::check_internal
