// The two forms of replay commands (see replay_command.h).

#include "harness/pipeline/replay_command.h"

#include <string>

namespace thfuzz {
namespace {

bool IsShellSafe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') ||
         std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

}  // namespace

std::string ShellQuote(std::string_view word) {
  bool safe = !word.empty();
  for (char c : word) safe = safe && IsShellSafe(c);
  if (safe) return std::string(word);
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string ReplayCommand(std::string_view file, const RunOptions& options) {
  std::string command =
      "tophash-fuzz replay " + ShellQuote(file) + " --executor " +
      std::string(ExecutorName(options.executor)) + " --fault " +
      std::string(tophash::FaultName(options.fault));
  if (options.map != MapKind::kTophash) {
    command += " --map " + std::string(MapKindName(options.map));
  }
  if (options.granularity) {
    command +=
        " --granularity " + std::string(GranularityName(*options.granularity));
  }
  if (options.executor == ExecutorKind::kStress) {
    command += " --trials " + std::to_string(kStressReplayTrials);
  }
  return command;
}

std::string FuzzerReplayCommand(std::string_view fuzzer, std::string_view file,
                                const RunOptions& options) {
  std::string command;
  if (options.fault != tophash::Fault::kNone) {
    command += kFaultEnvironment + std::string("=") +
               std::string(tophash::FaultName(options.fault)) + " ";
  }
  if (options.map != MapKind::kTophash) {
    command += kMapEnvironment + std::string("=") +
               std::string(MapKindName(options.map)) + " ";
  }
  if (options.granularity) {
    command += kGranularityEnvironment + std::string("=") +
               std::string(GranularityName(*options.granularity)) + " ";
  }
  return command + ShellQuote(fuzzer) + " " + ShellQuote(file);
}

}  // namespace thfuzz
