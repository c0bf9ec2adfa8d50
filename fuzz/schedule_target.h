// Shared body of the fuzz targets that run schedules (serial_fuzzer,
// controlled_fuzzer, stress_fuzzer).
//
// Each target is two lines: LLVMFuzzerInitialize() calls
// InitScheduleTarget() with its executor, LLVMFuzzerTestOneInput() calls
// RunScheduleInput(). What map and fault run is chosen once at start-up:
//
//   THFUZZ_FAULT=<fault>   or  -fault=<fault>   (default: none)
//   THFUZZ_MAP=<map>       or  -map=<map>       (default: tophash)
//   THFUZZ_GRANULARITY=<g> or  -granularity=<g> (coarse, fine, weak, or all:
//                                                each input's own; default)
//   THFUZZ_CONCURRENCY_FEEDBACK=<m> or -concurrency_feedback=<m>
//                               (off: code coverage only, the default;
//                                on: also concurrency events;
//                                stats: on, and print the counters hit at
//                                exit; reads_from: only the reads-from
//                                counters, an experiment; see
//                                concurrency_counters.h)
//
// The flags are removed from argv before libFuzzer parses it, and copied into
// the environment so that -fork/-jobs children (which get libFuzzer's own
// argv) and AFL++ (whose driver passes no flags) see the same choice.
//
// By default the controlled target explores every granularity: an input's
// binary version and granularity byte choose it, and the seed corpus has
// inputs of each. A violation prints the full report (for the controlled
// executor with the scheduler's trace) and how to replay the input, then
// aborts so the engine saves the input as a crash (the report says after how
// many inputs and seconds of this process); so does a thread trapped
// without a scheduling point (the watchdog). A checker that runs out
// of budget ("unknown") is not a crash; it is counted and reported rarely.

#ifndef THFUZZ_FUZZ_SCHEDULE_TARGET_H_
#define THFUZZ_FUZZ_SCHEDULE_TARGET_H_

#include <cstddef>
#include <cstdint>

#include "harness/exec/executor.h"

namespace thfuzz::fuzz {

// Exits with status 2 and the list of valid names on a bad fault or map.
void InitScheduleTarget(int* argc, char*** argv, ExecutorKind executor,
                        const char* target_name);

// Always returns 0 (libFuzzer's "keep going"); aborts on a violation.
int RunScheduleInput(const uint8_t* data, size_t size);

}  // namespace thfuzz::fuzz

#endif  // THFUZZ_FUZZ_SCHEDULE_TARGET_H_
