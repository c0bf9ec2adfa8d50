// LiveMap: a map for callers that drive it with their own threads for as
// long as they like (`tophash-fuzz soak`), where the executors run one
// bounded schedule each.
//
// Any MapKind works. The tophash map gets a policy that behaves like the
// production one except that the injected fault is on, and that every
// scheduling point checks one flag: once `*abort` is true, a thread inside
// the map (or entering it) throws LiveMapAborted, so the caller can stop an
// operation that hangs. Bucket memory comes from the ordinary allocator and
// nothing is quarantined, so memory stays flat over long runs (a use after
// free shows only under AddressSanitizer). The other maps have no
// scheduling points: nothing can stop a thread stuck inside them.

#ifndef THFUZZ_HARNESS_EXEC_LIVE_MAP_H_
#define THFUZZ_HARNESS_EXEC_LIVE_MAP_H_

#include <atomic>
#include <memory>

#include "harness/exec/adapter.h"
#include "harness/run_options.h"
#include "harness/schedule.h"
#include "tophash/policy.h"

namespace thfuzz {

// Thrown out of a tophash operation once the caller's abort flag is set.
struct LiveMapAborted {};

// `setup` gives the map's settings as a schedule would (key shape, shards,
// initial capacity; its operations are ignored), so that a finding can be
// replayed as a schedule with the same map. `abort` must outlive the map.
std::unique_ptr<MapAdapter> MakeLiveMap(MapKind kind, tophash::Fault fault,
                                        const Schedule& setup,
                                        const std::atomic<bool>* abort);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_LIVE_MAP_H_
