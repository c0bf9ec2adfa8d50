// checker_fuzzer: the linearizability checker against the brute-force
// reference checker.
//
// The input drives the small-history generator (history_gen.h: 2-3 threads,
// at most 8 operations, incomplete operations and wrong results mixed in),
// so every input is a history the reference can decide. The checker must
// agree with it both with its per-key split and with the whole-map search;
// with the default budget such a history can never be "unknown", so unknown
// counts as a disagreement too. A disagreement prints the history and aborts.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>

#include "harness/check/checker.h"
#include "harness/check/testing/history_gen.h"
#include "harness/check/testing/reference_checker.h"
#include "harness/history.h"

namespace {

void ExpectAgreement(const thfuzz::History& history, bool linearizable,
                     bool split_by_key) {
  thfuzz::CheckOptions options;
  options.split_by_key = split_by_key;
  const thfuzz::CheckResult result = thfuzz::CheckHistory(history, options);
  const thfuzz::Verdict expected = linearizable ? thfuzz::Verdict::kLinearizable
                                                : thfuzz::Verdict::kViolation;
  if (result.verdict == expected) return;
  std::fprintf(stderr,
               "==thfuzz== checker_fuzzer: checker (split_by_key=%d) says %s, "
               "reference says %s%s%s\n--- history:\n%s\n",
               split_by_key, thfuzz::VerdictName(result.verdict).data(),
               thfuzz::VerdictName(expected).data(),
               result.unknown_reason.empty() ? "" : "; unknown because: ",
               result.unknown_reason.c_str(),
               thfuzz::PrintHistory(history).c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const thfuzz::History history =
      thfuzz::GenerateSmallHistory(std::span(data, size));
  // The generator promises histories the reference can decide; one it
  // cannot is not the checker's fault.
  const std::optional<bool> linearizable =
      thfuzz::ReferenceIsLinearizable(history);
  if (!linearizable) return 0;
  ExpectAgreement(history, *linearizable, /*split_by_key=*/true);
  ExpectAgreement(history, *linearizable, /*split_by_key=*/false);
  return 0;
}
