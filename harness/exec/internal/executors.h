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

// The map an execution runs against: options.make_map's when set, else the
// tophash map `make_tophash` builds (with the executor's policy) or the
// uninstrumented map options.map names.
template <class MakeTophash>
std::unique_ptr<MapAdapter> MakeMap(const RunOptions& options,
                                    MakeTophash make_tophash) {
  if (options.make_map) return options.make_map();
  if (options.map == MapKind::kTophash) return make_tophash();
  return MakeUninstrumentedMap(options.map);
}

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_EXECUTORS_H_
