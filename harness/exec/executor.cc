// Execute(): dispatch to the executor asked for, and the names of executors
// and maps used by flags, file headers and reports.

#include "harness/exec/executor.h"

#include <memory>

#include "harness/exec/internal/executors.h"
#include "harness/exec/oracle.h"
#include "harness/exec/third_party_adapters.h"

namespace thfuzz {

std::string_view ExecutorName(ExecutorKind kind) {
  switch (kind) {
    case ExecutorKind::kSerial:
      return "serial";
    case ExecutorKind::kControlled:
      return "controlled";
    case ExecutorKind::kStress:
      return "stress";
  }
  return "unknown";
}

std::optional<ExecutorKind> ParseExecutor(std::string_view name) {
  for (auto kind : {ExecutorKind::kSerial, ExecutorKind::kControlled,
                    ExecutorKind::kStress}) {
    if (ExecutorName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view MapKindName(MapKind kind) {
  switch (kind) {
    case MapKind::kTophash:
      return "tophash";
    case MapKind::kOracle:
      return "oracle";
    case MapKind::kTbb:
      return "tbb";
    case MapKind::kCuckoo:
      return "cuckoo";
  }
  return "unknown";
}

std::optional<MapKind> ParseMapKind(std::string_view name) {
  for (auto kind :
       {MapKind::kTophash, MapKind::kOracle, MapKind::kTbb, MapKind::kCuckoo}) {
    if (MapKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Execution Execute(const Schedule& schedule, const RunOptions& options) {
  switch (options.executor) {
    case ExecutorKind::kSerial:
      return internal::RunSerial(schedule, options);
    case ExecutorKind::kControlled:
      return internal::RunControlled(schedule, options);
    case ExecutorKind::kStress:
      return internal::RunStress(schedule, options);
  }
  return {};
}

namespace internal {

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

}  // namespace internal
}  // namespace thfuzz
