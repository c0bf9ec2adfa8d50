// The three executors behind thfuzz::Execute() (executor.h), and the map
// factory they share.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_EXECUTORS_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_EXECUTORS_H_

#include <memory>

#include "harness/exec/adapter.h"
#include "harness/exec/executor.h"

namespace thfuzz::exec_internal {

Execution RunSerial(const Schedule& schedule, const RunOptions& options);
Execution RunControlled(const Schedule& schedule, const RunOptions& options);
Execution RunStress(const Schedule& schedule, const RunOptions& options);

// The oracle or a third-party map; nullptr for MapKind::kTophash, which each
// executor builds with its own policy.
std::unique_ptr<MapAdapter> MakeUninstrumentedMap(MapKind kind);

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_EXECUTORS_H_
