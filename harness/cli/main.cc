// tophash-fuzz: the command-line tool.
//
//   tophash-fuzz run       a time-boxed fuzz campaign with built-in generation
//   tophash-fuzz replay    re-run saved inputs (.sched or fuzzer bytes)
//   tophash-fuzz explain   re-run one input and show its whole history
//   tophash-fuzz replay-command  print how to replay a saved finding
//   tophash-fuzz check     judge history files (HISTORY.md) for linearizability
//   tophash-fuzz minimize  shrink a failing input into a regression case
//   tophash-fuzz mutants   the fault kill table
//   tophash-fuzz soak      real threads for minutes, checked while they run
//   tophash-fuzz plot-campaign  draw libFuzzer runs' progress from their logs
//
// `tophash-fuzz help COMMAND` or `tophash-fuzz COMMAND --help` shows a
// command's flags and examples.

#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/cli/commands.h"

namespace thfuzz::cli {
namespace {

constexpr Command kCommands[] = {
    {"run", "a time-boxed fuzz campaign against a map", RunMain},
    {"replay", "re-run saved inputs and report violations", ReplayMain},
    {"explain", "re-run one input and print its history and report",
     ExplainMain},
    {"replay-command", "print the commands that replay a saved finding",
     ReplayCommandMain},
    {"check", "check history files for linearizability", CheckMain},
    {"minimize", "shrink a failing input into a regression case", MinimizeMain},
    {"mutants", "the fault kill table: which executor catches which fault",
     MutantsMain},
    {"soak", "real threads against one map for minutes, checked as they run",
     SoakMain},
    {"plot-campaign", "draw libFuzzer runs' progress (HTML) from their logs",
     PlotCampaignMain},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "usage: tophash-fuzz COMMAND [FLAGS] [ARGS]\n\n"
               "Fuzzing and differential testing of concurrent hash maps.\n\n"
               "commands:\n");
  for (const Command& command : kCommands) {
    std::fprintf(out, "  %-15s %s\n", std::string(command.name).c_str(),
                 std::string(command.summary).c_str());
  }
  std::fprintf(out,
               "\n`tophash-fuzz COMMAND --help` shows a command's flags.\n"
               "exit status: 0 nothing found, 1 violation (or a check that "
               "ran out of budget: unknown), 2 bad usage or input\n");
}

const Command* FindCommand(std::string_view name) {
  for (const Command& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

}  // namespace
}  // namespace thfuzz::cli

int main(int argc, char** argv) {
  using thfuzz::cli::FindCommand;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    thfuzz::cli::PrintUsage(stderr);
    return thfuzz::cli::kExitUsage;
  }
  std::string name = args[0];
  if (name == "--help" || name == "-h" || name == "help") {
    if (args.size() > 1 && FindCommand(args[1]) != nullptr) {
      std::vector<std::string> help = {"--help"};
      return FindCommand(args[1])->run(help);
    }
    thfuzz::cli::PrintUsage(stdout);
    return thfuzz::cli::kExitOk;
  }
  const thfuzz::cli::Command* command = FindCommand(name);
  if (command == nullptr) {
    std::fprintf(stderr, "tophash-fuzz: unknown command '%s'\n\n",
                 name.c_str());
    thfuzz::cli::PrintUsage(stderr);
    return thfuzz::cli::kExitUsage;
  }
  return command->run(std::span<const std::string>(args).subspan(1));
}
