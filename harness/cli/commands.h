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

namespace thfuzz::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for the command list
  int (*run)(std::span<const std::string> args);
};

int RunCampaignCommand(std::span<const std::string> args);  // run
int RunReplayCommand(std::span<const std::string> args);    // replay
int RunExplainCommand(std::span<const std::string> args);   // explain
int RunCheckCommand(std::span<const std::string> args);     // check
int RunMinimizeCommand(std::span<const std::string> args);  // minimize
int RunMutantsCommand(std::span<const std::string> args);   // mutants

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_COMMANDS_H_
