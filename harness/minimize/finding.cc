// The finding workflow's five steps (see finding.h).

#include "harness/minimize/finding.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "harness/minimize/controlled_conversion.h"
#include "harness/minimize/failure_predicate.h"

namespace thfuzz {
namespace {

void Log(const FindingOptions& options, const std::string& line) {
  if (options.log) options.log(line);
}

// Step 2: on success `schedule` and `pipeline` become the controlled case.
// Either way a note says what happened.
void ConvertToControlled(Schedule& schedule, PipelineOptions& pipeline,
                         ViolationKind kind, const FindingOptions& options,
                         FindingResult& result,
                         std::vector<std::string>& notes) {
  PipelineOptions controlled = pipeline;
  controlled.run.executor = ExecutorKind::kControlled;
  ConversionOptions conversion;
  conversion.max_wall_time = options.conversion_time;
  conversion.interrupt = options.minimize.interrupt;
  ConversionResult found = FindControlledReproduction(
      schedule, ShowsViolation(kind, controlled, nullptr), conversion);
  result.conversion_attempts = found.attempts;
  std::string tries = std::to_string(found.attempts) + " tries";
  if (!found.controlled) {
    Log(options, "no controlled schedule reproduces it (" + tries +
                     "); minimizing with the stress executor");
    notes.push_back(
        "Found with the stress executor; no controlled schedule "
        "reproduced it in " +
        tries + ".");
    return;
  }
  Log(options, "converted to a controlled schedule after " + tries);
  notes.push_back(
      "Found with the stress executor, converted to this "
      "controlled schedule after " +
      tries + ".");
  schedule = *found.controlled;
  pipeline = controlled;
}

// Step 3, counting every pipeline run into result.runs.
void MinimizeCase(const Schedule& schedule, const PipelineOptions& pipeline,
                  const FindingOptions& options, FindingResult& result) {
  auto counter = std::make_shared<ExecutionCounter>();
  MinimizeOptions minimize = options.minimize;
  minimize.reseed_tries =
      IsDeterministic(pipeline.run.executor) ? options.reseed_tries : 0;
  result.minimized = Minimize(
      schedule,
      ReproducesViolation(result.kind, pipeline, options.trials, counter),
      minimize);
  result.runs = counter->runs;
}

// The regression file's first note: how the case was minimized.
std::string MinimizedNote(const FindingResult& result,
                          const FindingOptions& options) {
  std::string note = "Minimized by tophash-fuzz minimize: " +
                     std::string(MinimizeStopName(result.minimized.stop)) +
                     " after " + std::to_string(result.minimized.executions) +
                     " candidates (" + std::to_string(result.runs) + " runs)";
  if (result.run.executor == ExecutorKind::kStress) {
    note += ", a candidate failing if any of " +
            std::to_string(options.trials) + " runs failed";
  }
  return note + ".";
}

// Step 4: the report shows a run of the minimized case when one fails
// (traced when controlled, so it shows where the threads switched).
void Reverify(PipelineOptions pipeline, const FindingOptions& options,
              FindingResult& result) {
  pipeline.run.trace = pipeline.run.executor == ExecutorKind::kControlled;
  Outcome outcome = RunUntilViolation(result.regression.schedule, pipeline,
                                      options.trials * 10);
  result.reverified = outcome.verdict == Verdict::kViolation;
  result.regression.outcome =
      result.reverified ? std::move(outcome) : result.confirmed;
}

}  // namespace

FindingResult ProcessFinding(const Schedule& input,
                             const FindingOptions& options) {
  Outcome first = RunUntilViolation(input, options.pipeline, options.trials);
  if (first.verdict != Verdict::kViolation) {
    FindingResult result;
    result.confirmed = std::move(first);
    result.run = options.pipeline.run;
    return result;
  }
  Log(options, options.input_name + " fails with " +
                   std::string(ViolationKindName(first.violation.kind)) + ": " +
                   first.violation.summary);
  return ProcessFinding(input, first, options);
}

FindingResult ProcessFinding(const Schedule& failing, const Outcome& seen,
                             const FindingOptions& options) {
  FindingResult result;
  result.confirmed = seen;
  result.kind = seen.violation.kind;
  Schedule schedule = failing;
  PipelineOptions pipeline = options.pipeline;
  std::vector<std::string> notes;
  if (options.convert_stress &&
      pipeline.run.executor == ExecutorKind::kStress) {
    ConvertToControlled(schedule, pipeline, result.kind, options, result,
                        notes);
  }
  result.run = pipeline.run;
  MinimizeCase(schedule, pipeline, options, result);
  notes.insert(notes.begin(), MinimizedNote(result, options));
  result.regression = {result.minimized.schedule, pipeline.run, {}, notes};
  Reverify(pipeline, options, result);
  if (!options.out_dir.empty()) {
    result.saved = SaveRegression(options.out_dir, result.regression);
  }
  return result;
}

}  // namespace thfuzz
