// Injected faults as the harness uses them.
//
// The tophash map owns its faults: the Fault enum and its name table
// (tophash::kFaults in tophash/policy.h, one row {value, name, help} per
// fault), because the map cannot depend on the harness. The harness reads
// that table with its own helpers (name_table.h) for fault lists and help
// texts, and adds the notions only it needs: the faults that are real
// injected bugs (every row but `none`), the faults one thread can trigger,
// which the serial executor alone must catch, and the faults only fine or
// weak granularity can show.

#ifndef THFUZZ_HARNESS_FAULTS_H_
#define THFUZZ_HARNESS_FAULTS_H_

#include <span>

#include "tophash/policy.h"

namespace thfuzz {

static_assert(tophash::kFaults[0].value == tophash::Fault::kNone,
              "kInjectedFaults drops the first row");

// Every fault but none, in table order.
inline constexpr auto kInjectedFaults =
    std::span(tophash::kFaults).subspan<1>();

// Faults that a single thread triggers, so the serial executor (one whole
// operation at a time) catches them; the others need an interleaving.
constexpr bool IsSequentialFault(tophash::Fault fault) {
  using tophash::Fault;
  switch (fault) {
    case Fault::kIgnoreOldBucketsWhileGrowing:
    case Fault::kEvacuateDropsOverflow:
    case Fault::kTophashMatchIsKeyMatch:
    case Fault::kEraseMarksEmptyRestEarly:
    case Fault::kSizeMiscountsReplace:
    case Fault::kEraseMissLeavesWriteOpen:
      return true;
    default:
      return false;
  }
}

// Faults whose window the map's named scheduling points cannot open: between
// two accesses of one reader, or in the ordering of memory accesses. Only the
// controlled executor's fine or weak granularity shows them.
constexpr bool IsWindowFault(tophash::Fault fault) {
  using tophash::Fault;
  switch (fault) {
    case Fault::kValidateBeforeValueCopy:
    case Fault::kEraseWithoutWriteSection:
    case Fault::kRelaxedTophashPublish:
    case Fault::kWriteSectionWithoutFence:
    case Fault::kReaderSkipsAcquireFence:
    case Fault::kFillWithoutReleaseFence:
      return true;
    default:
      return false;
  }
}

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_FAULTS_H_
