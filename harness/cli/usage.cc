// --help output and flag errors.

#include "harness/cli/usage.h"

#include <algorithm>
#include <cstdio>

#include "harness/cli/commands.h"

namespace thfuzz::cli {

int UsageError(const Usage& usage, const std::string& message) {
  std::fprintf(stderr, "tophash-fuzz: %s\nusage: %s\n(--help for more)\n",
               message.c_str(), usage.synopsis.c_str());
  return kExitUsage;
}

int ParseOrExplain(const Usage& usage, Flags& flags,
                   std::span<const std::string> args,
                   std::vector<std::string>* positional) {
  bool help = std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a == "--help" || a == "-h";
  });
  if (help) {
    std::printf("usage: %s\n\n%s\n\nflags:\n%s\nexamples:\n%s",
                usage.synopsis.c_str(), usage.about.c_str(),
                flags.Help().c_str(), usage.examples.c_str());
    return kExitOk;
  }
  if (std::string error = flags.Parse(args, positional); !error.empty()) {
    return UsageError(usage, error);
  }
  return -1;
}

int ParseOrExplainNoArguments(const Usage& usage, Flags& flags,
                              std::span<const std::string> args) {
  std::vector<std::string> positional;
  if (int status = ParseOrExplain(usage, flags, args, &positional);
      status >= 0) {
    return status;
  }
  if (!positional.empty()) {
    return UsageError(usage, "unexpected argument '" + positional[0] + "'");
  }
  return -1;
}

}  // namespace thfuzz::cli
