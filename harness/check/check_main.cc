// thfuzz-check: checks history files for linearizability.
//
//   thfuzz-check FILE...
//
// For each file it prints "FILE: <verdict>" and, for a violation, the full
// report (report.h); for unknown, which budget ran out. Exit status: 0 if
// every file is linearizable, 1 if any shows a violation (or is unknown),
// 2 on usage errors or unreadable / malformed files.

#include <algorithm>
#include <cstdio>
#include <string>

#include "harness/check/checker.h"
#include "harness/check/history_file.h"
#include "harness/check/report.h"

namespace {

constexpr int kAllLinearizable = 0;
constexpr int kFoundViolation = 1;
constexpr int kBadInput = 2;

int CheckFile(const char* path) {
  thfuzz::HistoryParseResult parsed = thfuzz::ReadHistoryFile(path);
  if (!parsed.history) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    return kBadInput;
  }
  thfuzz::CheckResult result = thfuzz::CheckHistory(*parsed.history);
  std::printf("%s: %s\n", path,
              std::string(thfuzz::VerdictName(result.verdict)).c_str());
  switch (result.verdict) {
    case thfuzz::Verdict::kLinearizable:
      return kAllLinearizable;
    case thfuzz::Verdict::kUnknown:
      std::printf("  the %s ran out before the search could decide\n",
                  result.unknown_reason.c_str());
      return kFoundViolation;
    case thfuzz::Verdict::kViolation: {
      thfuzz::ReportContext context;
      context.replay_command = std::string("thfuzz-check ") + path;
      std::printf(
          "%s", thfuzz::RenderReport(*parsed.history, result.violation, context)
                    .c_str());
      return kFoundViolation;
    }
  }
  return kBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE...\n", argv[0]);
    return kBadInput;
  }
  int status = kAllLinearizable;
  for (int i = 1; i < argc; ++i) {
    int file_status = CheckFile(argv[i]);
    status = std::max(status, file_status);
  }
  return status;
}
