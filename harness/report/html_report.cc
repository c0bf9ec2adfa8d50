// The HTML/SVG form of a violation report.

#include "harness/report/html_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace thfuzz {
namespace {

constexpr int kMinStep = 12;   // pixels between distinct instants
constexpr int kCharWidth = 8;  // of the 12px monospace labels, rounded up
constexpr int kLaneHeight = 34;
constexpr int kLabelWidth = 48;  // the "T0" column
constexpr int kBoxHeight = 22;

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The operation's line in the history, without its thread and times.
std::string BoxLabel(const Event& event) {
  std::string line = PrintEvent(event);
  size_t after_times = line.find("] ");
  return after_times == std::string::npos ? line : line.substr(after_times + 2);
}

int LabelWidth(const Event& event) {
  return static_cast<int>(BoxLabel(event).size()) * kCharWidth + 10;
}

// The compressed time axis: every distinct invoke/response instant gets an
// x position, in order, each as far left as the boxes that end there allow
// (a box must be wide enough for its label), so boxes overlap on the page
// exactly when the operations overlap in time.
std::map<uint64_t, int> TimeAxis(const History& history) {
  std::map<uint64_t, std::vector<const Event*>> ending;
  std::set<uint64_t> instants;
  for (const Event& event : history.events) {
    instants.insert(event.invoke);
    if (!event.completed) continue;
    instants.insert(event.response);
    ending[event.response].push_back(&event);
  }
  std::map<uint64_t, int> x;
  int next = kLabelWidth;
  for (uint64_t instant : instants) {
    int at = next;
    for (const Event* event : ending[instant]) {
      at = std::max(at, x.at(event->invoke) + LabelWidth(*event));
    }
    x[instant] = at;
    next = at + kMinStep;
  }
  return x;
}

std::string Box(const Event& event, const std::map<uint64_t, int>& x,
                int right_edge, bool named) {
  int x0 = x.at(event.invoke);
  int x1 = event.completed ? x.at(event.response) : right_edge;
  int y = event.thread * kLaneHeight + (kLaneHeight - kBoxHeight) / 2;
  std::string fill = named ? "#f4c7c3" : "#dde6f3";
  std::string stroke = named ? "#c0392b" : "#5a7fb0";
  std::string label = BoxLabel(event);
  std::string svg = "<g><title>" + Escape(PrintEvent(event)) + "</title>";
  svg += "<rect x=\"" + std::to_string(x0) + "\" y=\"" + std::to_string(y) +
         "\" width=\"" + std::to_string(std::max(x1 - x0, 6)) + "\" height=\"" +
         std::to_string(kBoxHeight) + "\" rx=\"4\" fill=\"" + fill +
         "\" stroke=\"" + stroke + "\"" +
         (event.completed ? "" : " stroke-dasharray=\"4 3\"") + "/>";
  svg += "<text x=\"" + std::to_string(x0 + 4) + "\" y=\"" +
         std::to_string(y + 15) + "\">" + Escape(label) + "</text></g>\n";
  return svg;
}

std::string Timeline(const History& history, const Violation& violation) {
  std::map<uint64_t, int> x = TimeAxis(history);
  int right_edge = kLabelWidth;
  for (const auto& [instant, at] : x) right_edge = std::max(right_edge, at);
  for (const Event& event : history.events) {
    if (!event.completed) {
      right_edge = std::max(right_edge, x.at(event.invoke) + LabelWidth(event));
    }
  }
  right_edge += 2 * kMinStep;
  int threads = 0;
  for (const Event& event : history.events) {
    threads = std::max(threads, event.thread + 1);
  }
  std::set<size_t> named(violation.events.begin(), violation.events.end());
  int width = right_edge + kMinStep;
  int height = std::max(threads, 1) * kLaneHeight;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(width) + "\" height=\"" +
                    std::to_string(height) + "\">\n";
  for (int t = 0; t < threads; ++t) {
    int y = t * kLaneHeight;
    svg += "<line x1=\"0\" x2=\"" + std::to_string(width) + "\" y1=\"" +
           std::to_string(y + kLaneHeight) + "\" y2=\"" +
           std::to_string(y + kLaneHeight) + "\" stroke=\"#eee\"/>";
    svg += "<text class=\"lane\" x=\"4\" y=\"" + std::to_string(y + 21) +
           "\">T" + std::to_string(t) + "</text>\n";
  }
  for (size_t i = 0; i < history.events.size(); ++i) {
    svg += Box(history.events[i], x, right_edge, named.count(i) > 0);
  }
  return svg + "</svg>\n";
}

std::string Field(const std::string& name, const std::string& value) {
  return "<tr><th>" + name + "</th><td>" + Escape(value) + "</td></tr>\n";
}

}  // namespace

std::string RenderHtmlReport(const History& history, const Violation& violation,
                             const ReportContext& context) {
  std::string kind(ViolationKindName(violation.kind));
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
      "<title>tophash-fuzz: " +
      Escape(kind) +
      "</title>\n"
      "<style>body{font:14px sans-serif;margin:24px}"
      "th{text-align:left;padding-right:16px;color:#555}"
      "svg text{font:12px monospace}svg text.lane{font-weight:bold}"
      "pre{background:#f7f7f7;padding:12px;overflow-x:auto}"
      ".timeline{overflow-x:auto;border:1px solid #ddd}</style>\n"
      "</head><body>\n<h1>tophash-fuzz violation: " +
      Escape(kind) +
      "</h1>\n"
      "<table>\n";
  if (violation.key) html += Field("key", "k" + std::to_string(*violation.key));
  if (!context.fault.empty()) html += Field("fault", context.fault);
  if (!context.executor.empty()) html += Field("executor", context.executor);
  if (!context.replay_command.empty()) {
    html += Field("replay", context.replay_command);
  }
  html += Field("what", violation.summary);
  html +=
      "</table>\n<h2>Timeline</h2>\n<p>Logical time runs left to right; "
      "the operations in red are the ones that matter; a dashed box "
      "never returned. Hover a box for its full line.</p>\n"
      "<div class=\"timeline\">\n" +
      Timeline(history, violation) + "</div>\n";
  if (!violation.explanation.empty()) {
    html += "<h2>Why</h2>\n<pre>" + Escape(violation.explanation) + "</pre>\n";
  }
  html += "<h2>History</h2>\n<pre>" + Escape(PrintHistory(history)) +
          "</pre>\n</body></html>\n";
  return html;
}

}  // namespace thfuzz
