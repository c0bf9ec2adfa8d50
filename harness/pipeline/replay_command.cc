// The two forms of replay commands (see replay_command.h).

#include "harness/pipeline/replay_command.h"

#include <string>

namespace thfuzz {

std::string ReplayCommand(std::string_view file, const RunOptions& options) {
  std::string command = "tophash-fuzz replay " + std::string(file) +
                        " --executor " +
                        std::string(ExecutorName(options.executor));
  if (options.map != MapKind::kTophash) {
    command += " --map " + std::string(MapKindName(options.map));
  }
  if (options.fault != tophash::Fault::kNone) {
    command += " --fault " + std::string(tophash::FaultName(options.fault));
  }
  if (options.granularity) {
    command +=
        " --granularity " + std::string(GranularityName(*options.granularity));
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
  return command + std::string(fuzzer) + " " + std::string(file);
}

}  // namespace thfuzz
