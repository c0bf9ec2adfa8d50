// rapidcheck generators of realistic, valid schedules, for property tests.
//
// Including this header gives rc::Arbitrary<thfuzz::Schedule>, so properties
// can take a `const thfuzz::Schedule&` argument. Generated schedules look like
// the ones that find bugs: mostly 2 to 4 threads of 1 to 12 operations on a
// few keys of either shape, sometimes with scheduling decisions. Every part
// is drawn independently (keys as raw indices reduced modulo the key count
// afterwards), so rapidcheck shrinks each part on its own: threads and
// operations are removed; kinds shrink toward find; keys, key counts and
// sizes toward their smallest values.
//
// Header-only on purpose: it depends on rapidcheck and the core types only.

#ifndef THFUZZ_HARNESS_CODEC_SCHEDULE_GEN_H_
#define THFUZZ_HARNESS_CODEC_SCHEDULE_GEN_H_

#include <rapidcheck.h>

#include <cstdint>
#include <ostream>
#include <tuple>
#include <utility>
#include <vector>

#include "harness/schedule.h"

namespace thfuzz {
namespace schedule_gen {

// Fixes rapidcheck's size parameter for `gen`. Numbers from gen::inRange scale
// with the size, which starts at 0, so without this the early test cases of
// every property would all pick the smallest values and first choices. Only
// the container lengths below keep growing with the size.
template <typename T>
rc::Gen<T> Unscaled(rc::Gen<T> gen) {
  return rc::gen::resize(rc::kNominalSize, std::move(gen));
}

// Like rc::gen::weightedOneOf, but it also shrinks: first toward the first
// choice, then within the chosen generator. (rapidcheck's own weighted
// choices never shrink.) List the simplest choice first.
template <typename T>
rc::Gen<T> WeightedShrinking(std::vector<std::pair<int, rc::Gen<T>>> choices) {
  int total = 0;
  for (const auto& choice : choices) total += choice.first;
  auto picks = Unscaled(rc::gen::inRange(0, total));
  return rc::gen::mapcat(picks, [choices](int pick) {
    for (const auto& [weight, gen] : choices) {
      if (pick < weight) return Unscaled(gen);
      pick -= weight;
    }
    return Unscaled(choices.back().second);
  });
}

// Single-key operations dominate: they are where the interesting races are.
inline rc::Gen<OpKind> OpKinds() {
  auto just = [](OpKind kind) { return rc::gen::just(kind); };
  return WeightedShrinking<OpKind>({
      {6, just(OpKind::kFind)},
      {6, just(OpKind::kInsert)},
      {4, just(OpKind::kErase)},
      {3, just(OpKind::kInsertOrAssign)},
      {1, just(OpKind::kSize)},
      {1, just(OpKind::kClear)},
      {1, just(OpKind::kReserve)},
  });
}

inline rc::Gen<uint32_t> ReserveAmounts() {
  return WeightedShrinking<uint32_t>({
      {4, rc::gen::inRange<uint32_t>(0, 65)},
      {1, rc::gen::inRange<uint32_t>(0, Schedule::kMaxReserve + 1)},
  });
}

// The key is a raw index below kMaxKeys; Normalize() reduces it.
inline rc::Gen<Operation> RawOperations() {
  return Unscaled(rc::gen::build<Operation>(
      rc::gen::set(&Operation::kind, OpKinds()),
      rc::gen::set(&Operation::key,
                   rc::gen::inRange<uint8_t>(0, Schedule::kMaxKeys)),
      rc::gen::set(&Operation::amount, ReserveAmounts())));
}

// 0..12 operations; shrinking removes any of them.
inline rc::Gen<std::vector<Operation>> ThreadOps() {
  return rc::gen::resize(
      12, rc::gen::container<std::vector<Operation>>(RawOperations()));
}

// 1..8 threads, mostly 2..4; shrinking drops trailing threads.
inline rc::Gen<std::vector<std::vector<Operation>>> Threads() {
  auto counts = WeightedShrinking<size_t>({
      {1, rc::gen::just<size_t>(1)},
      {8, rc::gen::inRange<size_t>(2, 5)},
      {1, rc::gen::inRange<size_t>(5, Schedule::kMaxThreads + 1)},
  });
  return rc::gen::mapcat(counts, [](size_t count) {
    return rc::gen::container<std::vector<std::vector<Operation>>>(count,
                                                                   ThreadOps());
  });
}

inline rc::Gen<uint8_t> KeyCounts() {
  return WeightedShrinking<uint8_t>({
      {4, rc::gen::inRange<uint8_t>(1, 5)},
      {4, rc::gen::inRange<uint8_t>(5, 9)},
      {1, rc::gen::inRange<uint8_t>(1, Schedule::kMaxKeys + 1)},
  });
}

inline rc::Gen<uint16_t> InitialCapacities() {
  return WeightedShrinking<uint16_t>({
      {4, rc::gen::just<uint16_t>(0)},
      {2, rc::gen::inRange<uint16_t>(0, 65)},
      {1, rc::gen::inRange<uint16_t>(0, Schedule::kMaxInitialCapacity + 1)},
  });
}

inline rc::Gen<uint64_t> Seeds() {
  return WeightedShrinking<uint64_t>({
      {1, rc::gen::just<uint64_t>(0)},
      {2, rc::gen::arbitrary<uint64_t>()},
  });
}

// Small choices (a scheduler picks among a few runnable threads) and now and
// then arbitrary bytes, as a fuzzer would give.
inline rc::Gen<std::vector<uint8_t>> Decisions() {
  using Bytes = std::vector<uint8_t>;
  return WeightedShrinking<Bytes>({
      {2, rc::gen::just(Bytes{})},
      {3, rc::gen::resize(40, rc::gen::container<Bytes>(
                                  Unscaled(rc::gen::inRange<uint8_t>(0, 8))))},
      {1, rc::gen::resize(
              80, rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()))},
  });
}

// Makes raw operations valid: keys below the key count, key 0 for whole-map
// operations, an amount only on reserve.
inline Schedule Normalize(Schedule schedule) {
  for (auto& ops : schedule.threads) {
    for (Operation& op : ops) {
      op.key = IsSingleKey(op.kind) ? op.key % schedule.key_count : 0;
      if (op.kind != OpKind::kReserve) op.amount = 0;
    }
  }
  return schedule;
}

inline rc::Gen<Schedule> Schedules() {
  return rc::gen::map(
      rc::gen::tuple(
          rc::gen::element(KeyShape::kSpread, KeyShape::kCollide), KeyCounts(),
          Unscaled(rc::gen::inRange<uint8_t>(0, Schedule::kMaxShardsLog2 + 1)),
          InitialCapacities(), Seeds(), Threads(), Decisions(),
          rc::gen::element(Granularity::kCoarse, Granularity::kFine,
                           Granularity::kWeak)),
      [](auto parts) {
        Schedule schedule;
        std::tie(schedule.key_shape, schedule.key_count, schedule.shards_log2,
                 schedule.initial_capacity, schedule.seed, schedule.threads,
                 schedule.decisions, schedule.granularity) = std::move(parts);
        return Normalize(std::move(schedule));
      });
}

}  // namespace schedule_gen

// Counterexamples print as the schedule's fields, one thread per line.
inline void showValue(const Schedule& schedule, std::ostream& os) {
  os << "{shape=" << KeyShapeName(schedule.key_shape)
     << " keys=" << int{schedule.key_count}
     << " shards_log2=" << int{schedule.shards_log2}
     << " capacity=" << schedule.initial_capacity << " seed=" << schedule.seed
     << " granularity=" << GranularityName(schedule.granularity);
  for (size_t t = 0; t < schedule.threads.size(); ++t) {
    os << "\n  thread " << t << ":";
    for (const Operation& op : schedule.threads[t]) {
      os << " " << OpKindName(op.kind);
      if (IsSingleKey(op.kind)) os << " k" << int{op.key};
      if (op.kind == OpKind::kReserve) os << " " << op.amount;
      os << ";";
    }
  }
  os << "\n  decisions:";
  for (uint8_t decision : schedule.decisions) os << " " << int{decision};
  os << "}";
}

}  // namespace thfuzz

namespace rc {

template <>
struct Arbitrary<thfuzz::Schedule> {
  static Gen<thfuzz::Schedule> arbitrary() {
    return thfuzz::schedule_gen::Schedules();
  }
};

}  // namespace rc

#endif  // THFUZZ_HARNESS_CODEC_SCHEDULE_GEN_H_
