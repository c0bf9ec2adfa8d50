// Replay commands: how a person reproduces a run from a saved input.
//
// Every place that tells someone how to replay a finding formats the command
// here: reports and regression files (pipeline, minimize/), the CLI's
// campaign, the fuzz targets' crash messages (fuzz/schedule_target.cc) and,
// through `tophash-fuzz replay-command`, ci/fuzz.sh. Two forms exist:
//
//   tophash-fuzz replay FILE --executor E [--map M] [--fault F]
//       [--granularity G]
//   [THFUZZ_FAULT=F ][THFUZZ_MAP=M ][THFUZZ_GRANULARITY=G ]FUZZER FILE
//
// the first for the CLI, which runs a .sched file or fuzzer bytes with any
// executor; the second for the fuzz target binary that found the input,
// which reads its map and fault from the environment. Options at their
// defaults (map tophash, fault none, the input's own granularity) are left
// out.

#ifndef THFUZZ_HARNESS_PIPELINE_REPLAY_COMMAND_H_
#define THFUZZ_HARNESS_PIPELINE_REPLAY_COMMAND_H_

#include <string>
#include <string_view>

#include "harness/run_options.h"

namespace thfuzz {

// The environment variables through which the schedule fuzz targets take
// their fault and map (flags cannot reach AFL++'s driver or libFuzzer's
// -fork children).
inline constexpr char kFaultEnvironment[] = "THFUZZ_FAULT";
inline constexpr char kMapEnvironment[] = "THFUZZ_MAP";
// Forces a granularity on every input (else each input's own is used).
inline constexpr char kGranularityEnvironment[] = "THFUZZ_GRANULARITY";

// "tophash-fuzz replay FILE --executor E [--map M] [--fault F]".
std::string ReplayCommand(std::string_view file, const RunOptions& options);

// "[THFUZZ_FAULT=F ][THFUZZ_MAP=M ]FUZZER FILE", where FUZZER is the path
// of the fuzz target binary. The executor is the target's own.
std::string FuzzerReplayCommand(std::string_view fuzzer, std::string_view file,
                                const RunOptions& options);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_PIPELINE_REPLAY_COMMAND_H_
