#include "harness/cli/finding_groups.h"

#include <filesystem>
#include <map>
#include <utility>

#include "harness/printable.h"

namespace thfuzz::cli {
namespace {

std::string RawSignature(const Outcome& outcome) {
  std::string signature(ViolationKindName(outcome.violation.kind));
  const auto& events = outcome.execution.history.events;
  const auto& offending = outcome.violation.offending;
  signature += "/";
  signature += offending && *offending < events.size()
                   ? std::string(OpKindName(events[*offending].kind))
                   : "-";
  return signature;
}

}  // namespace

std::string ShapeOf(const Schedule& schedule) {
  std::string shape;
  for (size_t t = 0; t < schedule.threads.size(); ++t) {
    if (schedule.threads[t].empty()) continue;
    if (!shape.empty()) shape += " | ";
    shape += "T" + std::to_string(t);
    for (const Operation& op : schedule.threads[t]) {
      shape += " ";
      shape += OpKindName(op.kind);
    }
  }
  return shape;
}

std::vector<FindingGroup> GroupFindings(
    const std::vector<CampaignFinding>& findings,
    const PipelineOptions& pipeline, const GroupingOptions& options) {
  // Step 1.
  std::vector<FindingGroup> groups;
  std::map<std::string, size_t> by_signature;
  for (size_t i = 0; i < findings.size(); ++i) {
    std::string signature = RawSignature(findings[i].outcome);
    auto [it, fresh] = by_signature.emplace(signature, groups.size());
    if (fresh) {
      FindingGroup group;
      group.kind = findings[i].outcome.violation.kind;
      group.signature = signature;
      groups.push_back(std::move(group));
    }
    groups[it->second].findings.push_back(i);
  }
  if (!options.minimize) return groups;
  // Step 2.
  for (FindingGroup& group : groups) {
    const CampaignFinding& first = findings[group.findings.front()];
    FindingOptions finding;
    finding.pipeline = pipeline;
    // A campaign writes a forced granularity into each schedule it runs, so
    // the finding's own is the one to start from, and the minimizer may
    // lower it.
    finding.pipeline.run.granularity.reset();
    finding.conversion_time = std::chrono::milliseconds(std::min<int64_t>(
        10'000, std::chrono::milliseconds(options.minimize_time).count() / 3));
    finding.minimize.max_wall_time = options.minimize_time;
    finding.out_dir = std::filesystem::path(options.out_dir) / "minimized";
    finding.input_name = Printable(first.path);
    FindingResult result =
        ProcessFinding(first.schedule, first.outcome, finding);
    if (options.log) {
      std::fprintf(options.log, "minimized %s (%s): %s\n",
                   Printable(first.path).c_str(), group.signature.c_str(),
                   result.fails() && result.saved && result.saved->error.empty()
                       ? Printable(result.saved->path.string()).c_str()
                       : "could not save a minimized case");
    }
    if (!result.fails() || !result.saved || !result.saved->error.empty()) {
      continue;
    }
    group.shape = ShapeOf(result.regression.schedule);
    group.kind = result.kind;
    group.minimized = std::move(result);
  }
  // Step 3.
  std::vector<FindingGroup> merged;
  std::map<std::string, size_t> by_shape;
  for (FindingGroup& group : groups) {
    if (!group.shape.empty()) {
      std::string key =
          std::string(ViolationKindName(group.kind)) + ": " + group.shape;
      auto it = by_shape.find(key);
      if (it != by_shape.end()) {
        FindingGroup& into = merged[it->second];
        into.findings.insert(into.findings.end(), group.findings.begin(),
                             group.findings.end());
        into.signature += ", " + group.signature;
        continue;
      }
      by_shape.emplace(key, merged.size());
    }
    merged.push_back(std::move(group));
  }
  return merged;
}

}  // namespace thfuzz::cli
