// fast_path_fuzzer: the checker's traceable fast path against the
// Wing-Gong/Lowe search, and both against the brute-force reference checker
// where it can decide.
//
// The input drives the mutated-history generator (history_gen.h:
// GenerateMutatedHistory: 2-4 threads, 1-2 keys, up to 48 operations with
// unique values mostly, pending and whole-map operations now and then, and
// up to three mutations of results, reads, intervals and the snapshot).
// The checker runs with the fast path and without it; both must give the
// same verdict, neither may be "unknown" (such a history is far inside the
// default budget), the fast path must have decided every per-key problem
// itself (a hand-over to the search would mean the sweep doubted its own
// witness), and for histories of at most kMaxReferenceEvents events the
// reference must agree. A disagreement prints the history and aborts.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include "harness/check/checker.h"
#include "harness/check/testing/history_gen.h"
#include "harness/check/testing/reference_checker.h"
#include "harness/history.h"

namespace {

[[noreturn]] void Disagree(const thfuzz::History& history,
                           const std::string& what) {
  std::fprintf(stderr, "==thfuzz== fast_path_fuzzer: %s\n--- history:\n%s\n",
               what.c_str(), thfuzz::PrintHistory(history).c_str());
  std::fflush(stderr);
  std::abort();
}

std::string Name(thfuzz::Verdict verdict) {
  return std::string(thfuzz::VerdictName(verdict));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const thfuzz::History history =
      thfuzz::GenerateMutatedHistory(std::span(data, size));
  const thfuzz::CheckResult fast = thfuzz::CheckHistory(history);
  thfuzz::CheckOptions search_only;
  search_only.fast_path = false;
  const thfuzz::CheckResult search = thfuzz::CheckHistory(history, search_only);
  if (fast.verdict == thfuzz::Verdict::kUnknown ||
      search.verdict == thfuzz::Verdict::kUnknown) {
    Disagree(history, "unknown (" + fast.unknown_reason +
                          search.unknown_reason + ") on a small history");
  }
  if (fast.verdict != search.verdict) {
    Disagree(history, "fast path says " + Name(fast.verdict) +
                          ", search says " + Name(search.verdict) + " (" +
                          fast.details + ")");
  }
  if (fast.details.find("; search:") != std::string::npos) {
    Disagree(history, "the fast path handed a key over: " + fast.details);
  }
  const std::optional<bool> linearizable =
      thfuzz::ReferenceIsLinearizable(history);
  if (linearizable &&
      *linearizable != (fast.verdict == thfuzz::Verdict::kLinearizable)) {
    Disagree(history, "checker says " + Name(fast.verdict) +
                          ", reference says " +
                          (*linearizable ? "linearizable" : "violation"));
  }
  return 0;
}
