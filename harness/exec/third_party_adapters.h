// Adapters for maps nobody here wrote: tbb::concurrent_hash_map and
// libcuckoo::cuckoohash_map. They show that the harness tests any map that
// fits MapAdapter, and they are the comparison points of the benchmarks.
// Both are meant for the serial and stress executors (they have no
// scheduling points, so the controlled executor can only interleave their
// operations whole).

#ifndef THFUZZ_HARNESS_EXEC_THIRD_PARTY_ADAPTERS_H_
#define THFUZZ_HARNESS_EXEC_THIRD_PARTY_ADAPTERS_H_

#include <memory>

#include "harness/exec/adapter.h"

namespace thfuzz {

// TBB documents size(), clear(), rehash() and iteration as unsafe while other
// calls run; the adapter runs those exclusively and everything else shared
// under one reader-writer lock, so what it tests is TBB's concurrent
// find/insert/erase.
std::unique_ptr<MapAdapter> MakeTbbAdapter();
std::unique_ptr<MapAdapter> MakeCuckooAdapter();

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_THIRD_PARTY_ADAPTERS_H_
