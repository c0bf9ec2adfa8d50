// The oracle: absl::flat_hash_map behind one lock.
//
// It is the sequential specification the serial executor compares against,
// and it runs through every executor as a self-check (its histories must
// always be linearizable). Under ThreadSanitizer (THFUZZ_TSAN) it uses
// std::mutex: Debian's prebuilt absl::Mutex is not TSan-instrumented, so TSan
// would not see its happens-before edges and would report false races.

#ifndef THFUZZ_HARNESS_EXEC_ORACLE_H_
#define THFUZZ_HARNESS_EXEC_ORACLE_H_

#include <memory>

#include "harness/exec/adapter.h"

namespace thfuzz {

std::unique_ptr<MapAdapter> MakeOracle();

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_ORACLE_H_
