// Shared handling of --help and flag errors for the subcommands.

#ifndef THFUZZ_HARNESS_CLI_USAGE_H_
#define THFUZZ_HARNESS_CLI_USAGE_H_

#include <span>
#include <string>
#include <vector>

#include "harness/cli/flags.h"

namespace thfuzz::cli {

struct Usage {
  std::string synopsis;  // "tophash-fuzz replay FILE... [flags]"
  std::string about;     // a paragraph
  std::string examples;  // lines of example commands
};

// Parses `args`. Returns -1 when the command should go on; otherwise the
// exit status to return at once (0 after --help, 2 after an error, with the
// message and the usage printed).
int ParseOrExplain(const Usage& usage, Flags& flags,
                   std::span<const std::string> args,
                   std::vector<std::string>* positional);

// The same for a command that takes no positional arguments: one is an
// error.
int ParseOrExplainNoArguments(const Usage& usage, Flags& flags,
                              std::span<const std::string> args);

// Prints "tophash-fuzz: MESSAGE" and the synopsis to stderr; returns 2.
int UsageError(const Usage& usage, const std::string& message);

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_USAGE_H_
