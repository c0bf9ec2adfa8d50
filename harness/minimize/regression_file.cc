// Naming, rendering and saving regression cases.

#include "harness/minimize/regression_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

#include "harness/codec/codec.h"
#include "harness/codec/sched_text.h"
#include "harness/minimize/schedule_cost.h"

namespace thfuzz {
namespace {

uint32_t ShortHash(const RegressionCase& regression) {
  std::vector<uint8_t> bytes = EncodeSchedule(regression.schedule);
  bytes.push_back(static_cast<uint8_t>(regression.run.fault));
  bytes.push_back(static_cast<uint8_t>(regression.run.executor));
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (uint8_t byte : bytes) hash = (hash ^ byte) * 0x100000001b3ULL;
  return static_cast<uint32_t>(hash ^ (hash >> 32));
}

std::string KindName(const RegressionCase& regression) {
  return std::string(ViolationKindName(regression.outcome.violation.kind));
}

std::vector<std::string> Notes(const RegressionCase& regression,
                               const std::string& replay) {
  const RunOptions& run = regression.run;
  std::string fault(tophash::FaultName(run.fault));
  std::string executor(ExecutorName(run.executor));
  RunOptions production = run;
  production.fault = tophash::Fault::kNone;
  std::vector<std::string> notes = {
      KindName(regression) + " on fault " + fault + " (" + executor +
          " executor): " + regression.outcome.violation.summary,
      "Size: " + DescribeSize(SizeOf(regression.schedule)) + ".",
      "Expected verdict on the production map: pass (" +
          ReplayCommand(replay, production) + ").",
      "Replay the failure: " + ReplayCommand(replay, run)};
  notes.insert(notes.end(), regression.notes.begin(), regression.notes.end());
  notes.push_back("");
  notes.push_back(
      ReportFor(regression.outcome, run, ReplayCommand(replay, run)));
  return notes;
}

// The same case: same schedule, fault, executor and violation kind. Notes
// may differ (e.g. how many candidates minimizing it took).
bool SameCase(const std::filesystem::path& path, const std::string& text) {
  ParseResult existing = ReadSchedFile(path);
  ParseResult ours = ParseSchedule(text, path.string());
  return existing.ok() && ours.ok() && *existing.schedule == *ours.schedule &&
         existing.meta.expect == ours.meta.expect &&
         existing.meta.fault == ours.meta.fault &&
         existing.meta.executor == ours.meta.executor;
}

std::string WriteWhole(const std::filesystem::path& path,
                       const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (!out) {
    std::string reason = errno != 0 ? std::strerror(errno) : "write failed";
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return path.string() + ": cannot write file: " + reason;
  }
  return "";
}

}  // namespace

std::string RegressionBaseName(const RegressionCase& regression) {
  char hash[9];
  std::snprintf(hash, sizeof(hash), "%08x", ShortHash(regression));
  return KindName(regression) + "-" + hash;
}

std::string RegressionText(const RegressionCase& regression,
                           const std::filesystem::path& path) {
  SchedMeta meta;
  meta.expect = regression.outcome.violation.kind;
  meta.fault = regression.run.fault;
  meta.executor = regression.run.executor;
  meta.notes = Notes(regression, path.string());
  return PrintSchedule(regression.schedule, meta);
}

SavedRegression SaveRegression(const std::filesystem::path& dir,
                               const RegressionCase& regression) {
  SavedRegression saved;
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    saved.error =
        dir.string() + ": cannot create directory: " + error.message();
    saved.text = RegressionText(
        regression, dir / (RegressionBaseName(regression) + ".sched"));
    return saved;
  }
  std::string base = RegressionBaseName(regression);
  for (int n = 1;; ++n) {
    std::string suffix = n == 1 ? "" : "-" + std::to_string(n);
    saved.path = dir / (base + suffix + ".sched");
    saved.text = RegressionText(regression, saved.path);
    if (!std::filesystem::exists(saved.path)) break;
    if (SameCase(saved.path, saved.text)) {
      saved.already_present = true;
      return saved;
    }
  }
  errno = 0;
  saved.error = WriteWhole(saved.path, saved.text);
  return saved;
}

}  // namespace thfuzz
