// Text reports of violations (see report.h).

#include "harness/report/report.h"

#include <algorithm>
#include <string_view>

#include "harness/report/internal/focus.h"
#include "harness/report/internal/timeline.h"

namespace thfuzz {
namespace {

// Greedy word wrap; every output line starts with `indent`.
std::string Wrap(std::string_view text, std::string_view indent) {
  std::string out;
  size_t limit = kReportWidth - indent.size();
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view paragraph = text.substr(start, end - start);
    start = end + 1;
    // Preformatted lines (the operation listing) keep their own shape.
    bool preformatted = paragraph.starts_with("  ");
    std::string line;
    size_t word_start = 0;
    while (word_start < paragraph.size()) {
      size_t word_end =
          preformatted ? paragraph.size() : paragraph.find(' ', word_start);
      if (word_end == std::string_view::npos) word_end = paragraph.size();
      std::string_view word =
          paragraph.substr(word_start, word_end - word_start);
      word_start = word_end + 1;
      if (!line.empty() && line.size() + 1 + word.size() > limit) {
        out += std::string(indent) + line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + std::string(word);
    }
    if (!line.empty())
      out += std::string(indent) + line.substr(0, limit) + "\n";
  }
  return out;
}

std::string Field(std::string_view name, std::string_view value) {
  if (value.empty()) return "";
  std::string padded(name);
  padded.resize(10, ' ');
  return Wrap(value, std::string(10, ' ')).replace(0, 10, padded);
}

// The drawn operations in history-file form, the offending one marked.
std::string OperationList(const History& history,
                          const report_internal::Focus& focus) {
  std::string text = "\nOperations";
  text += focus.offending ? " (* marks the one that went wrong):\n" : ":\n";
  for (size_t e : focus.drawn) {
    text += e == focus.offending ? "* " : "  ";
    text += PrintEvent(history.events[e]) + "\n";
  }
  if (focus.final_snapshot && history.has_final_state) {
    History snapshot;  // PrintHistory's final line alone
    snapshot.has_final_state = true;
    snapshot.final_state = history.final_state;
    text += (focus.offending ? "  " : "* ") + PrintHistory(snapshot);
  }
  return text;
}

// The trace up to the last response among `events` (what happened after the
// violation is noise), at most kReportTraceLines of it, the latest kept.
std::string TraceSection(const History& history,
                         const std::vector<size_t>& events,
                         const std::vector<ReportTraceLine>& trace) {
  if (trace.empty()) return "";
  uint64_t until = 0;
  for (size_t index : events) {
    const Event& event = history.events[index];
    until = std::max(until, event.completed ? event.response : event.invoke);
  }
  if (events.empty()) until = UINT64_MAX;
  size_t end = 0;
  while (end < trace.size() && trace[end].time <= until) ++end;
  size_t begin = end > kReportTraceLines ? end - kReportTraceLines : 0;
  std::string text =
      "\nScheduler trace (t = the timeline's time just before the step):\n";
  if (begin > 0) {
    text += "  (" + std::to_string(begin) + " earlier steps not shown)\n";
  }
  for (size_t i = begin; i < end; ++i) {
    text +=
        Wrap("t=" + std::to_string(trace[i].time) + "  " + trace[i].text, "  ");
  }
  return text;
}

}  // namespace

std::string RenderReport(const History& history, const Violation& violation,
                         const ReportContext& context) {
  std::string kind(ViolationKindName(violation.kind));
  std::string text = "== tophash-fuzz violation: " + kind + " ";
  text.resize(kReportWidth, '=');
  text += "\n";
  if (violation.key) {
    text += Field("key", "k" + std::to_string(*violation.key));
  }
  text += Field("fault", context.fault.empty() ? "none" : context.fault);
  if (!context.executor.empty()) {
    text += Field("executor", context.granularity.empty()
                                  ? context.executor
                                  : context.executor + ", " +
                                        context.granularity + " granularity");
  }
  // Never wrapped: the command must survive a copy and paste.
  if (!context.replay_command.empty()) {
    text += "replay    " + context.replay_command + "\n";
  }
  text += Field("what", violation.summary);
  report_internal::Focus focus = report_internal::FocusOf(history, violation);
  text += Field("value", focus.value_origin);
  if (focus.final_snapshot && !focus.offending) {
    text += Field("where",
                  "the final snapshot, taken after every thread "
                  "finished (what the map held at rest)");
  }

  report_internal::Timeline timeline = report_internal::DrawTimeline(
      history, focus.drawn, focus.offending, kReportWidth);
  text +=
      "\nTimeline (logical time runs left to right; an operation is "
      "|--its interval--|";
  text += focus.offending ? ",\nthe one that went wrong |==its interval==|):\n"
                          : "):\n";
  text += timeline.text;
  if (!timeline.full_labels || focus.final_snapshot) {
    text += OperationList(history, focus);
  }
  if (!violation.explanation.empty()) {
    text += "\nWhy:\n" + Wrap(violation.explanation, "  ");
  }
  text += TraceSection(history, focus.drawn, context.trace);
  return text;
}

}  // namespace thfuzz
