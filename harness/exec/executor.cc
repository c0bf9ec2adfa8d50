// Execute(): dispatch to the executor asked for, and the factory of the maps
// that need no harness policy.

#include "harness/exec/executor.h"

#include <memory>

#include "harness/exec/internal/executors.h"
#include "harness/exec/oracle.h"
#include "harness/exec/third_party_adapters.h"

namespace thfuzz {

Execution Execute(const Schedule& schedule, const RunOptions& options) {
  switch (options.executor) {
    case ExecutorKind::kSerial:
      return exec_internal::RunSerial(schedule, options);
    case ExecutorKind::kControlled:
      return exec_internal::RunControlled(schedule, options);
    case ExecutorKind::kStress:
      return exec_internal::RunStress(schedule, options);
  }
  return {};
}

namespace exec_internal {

std::unique_ptr<MapAdapter> MakeUninstrumentedMap(MapKind kind) {
  switch (kind) {
    case MapKind::kOracle:
      return MakeOracle();
    case MapKind::kTbb:
      return MakeTbbAdapter();
    case MapKind::kCuckoo:
      return MakeCuckooAdapter();
    case MapKind::kTophash:
      break;
  }
  return nullptr;
}

}  // namespace exec_internal
}  // namespace thfuzz
