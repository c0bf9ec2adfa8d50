// Replay commands: how a person reproduces a run from a saved input.
//
// Every place that tells someone how to replay a finding formats the command
// here: reports and regression files (pipeline, minimize/), the CLI's
// campaign and replay, the fuzz targets' crash messages
// (fuzz/schedule_target.cc) and, through `tophash-fuzz replay-command`,
// ci/fuzz.sh. Two forms exist:
//
//   tophash-fuzz replay FILE --executor E --fault F [--map M]
//       [--granularity G] [--trials N]
//   [THFUZZ_FAULT=F ][THFUZZ_MAP=M ][THFUZZ_GRANULARITY=G ]FUZZER FILE
//
// the first for the CLI, which runs a .sched file or fuzzer bytes with any
// executor; the second for the fuzz target binary that found the input,
// which reads its map, fault and granularity from the environment.
//
// A printed command must work when pasted into a shell: it is one line,
// every word is shell-quoted (ShellQuote), and it is complete. The executor
// and the fault are always named, even `--fault none`, because `replay`
// takes both from a .sched file's header when no flag says otherwise; the
// map, which no header names, is left out at its default (tophash), and the
// granularity is named only when the run forced one (RunOptions::
// granularity) instead of the input's own. A stress run is not
// deterministic, so its command carries `--trials` (kStressReplayTrials):
// replay stops at the first trial that fails.

#ifndef THFUZZ_HARNESS_PIPELINE_REPLAY_COMMAND_H_
#define THFUZZ_HARNESS_PIPELINE_REPLAY_COMMAND_H_

#include <cstdint>
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

// Trials a printed stress replay asks for: a finding the corpus test
// reproduces within 500 runs reproduces with this many too.
inline constexpr uint64_t kStressReplayTrials = 1000;

// `word` as one shell word: unchanged when it holds only characters no shell
// treats specially (letters, digits and _@%+=:,./-), else in single quotes
// (a quote inside becomes '\''). The empty word is ''.
std::string ShellQuote(std::string_view word);

// "tophash-fuzz replay FILE --executor E --fault F [--map M]
// [--granularity G] [--trials N]"; G is options.granularity, when set; N is
// kStressReplayTrials for the stress executor.
std::string ReplayCommand(std::string_view file, const RunOptions& options);

// "[THFUZZ_FAULT=F ][THFUZZ_MAP=M ][THFUZZ_GRANULARITY=G ]FUZZER FILE",
// where FUZZER is the path of the fuzz target binary. The executor is the
// target's own.
std::string FuzzerReplayCommand(std::string_view fuzzer, std::string_view file,
                                const RunOptions& options);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_PIPELINE_REPLAY_COMMAND_H_
