// The subcommands of tophash-fuzz. Each takes the arguments after its name
// and returns the process exit status:
//   0  nothing wrong found
//   1  a violation was found, a regression no longer bites, or the checker
//      ran out of budget ("unknown": neither a pass nor a proof)
//   2  bad usage or bad input (a file that cannot be read or parsed)

#ifndef THFUZZ_HARNESS_CLI_COMMANDS_H_
#define THFUZZ_HARNESS_CLI_COMMANDS_H_

#include <span>
#include <string>
#include <string_view>

#include "harness/exec/executor.h"

namespace thfuzz::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for the command list
  int (*run)(std::span<const std::string> args);
};

// Command `NAME` is NameMain() in NAME_command.cc (`-` in a name is `_`).
int RunMain(std::span<const std::string> args);
int ReplayMain(std::span<const std::string> args);
// What replay and explain do when the watchdog finds the map hung while
// replaying `path`: print the liveness violation the way a replay prints
// any violation (report, replay command) and end the process with the
// violation status, since the trapped thread cannot be unwound.
[[noreturn]] void EndReplayOnHang(const std::string& path,
                                  const HangReport& report);
int ExplainMain(std::span<const std::string> args);  // in replay_command.cc
int ReplayCommandMain(std::span<const std::string> args);
int CheckMain(std::span<const std::string> args);
int MinimizeMain(std::span<const std::string> args);
int MutantsMain(std::span<const std::string> args);
int SoakMain(std::span<const std::string> args);
int PlotCampaignMain(std::span<const std::string> args);

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_COMMANDS_H_
