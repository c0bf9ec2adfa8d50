// The HTML form of a report: a header, a data island and the inline
// script and style that draw it (see html_report.h).

#include "harness/report/html_report.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/report/internal/focus.h"
#include "harness/report/internal/html_assets.h"
#include "harness/report/internal/html_escape.h"
#include "harness/report/internal/json.h"

namespace thfuzz {
namespace {

using report_internal::Focus;
using report_internal::HtmlEscape;
using report_internal::JsonWriter;

// The operation's line in the history, without its thread and times.
std::string BoxLabel(const Event& event) {
  std::string line = PrintEvent(event);
  size_t after_times = line.find("] ");
  return after_times == std::string::npos ? line : line.substr(after_times + 2);
}

// What the operation returned, as the history file writes it; "" for
// operations without a result.
std::string ResultText(const Event& event) {
  std::string line = PrintEvent(event);
  size_t arrow = line.find(" -> ");
  return arrow == std::string::npos ? "" : line.substr(arrow + 4);
}

// Every key the history mentions, ascending; keys are 64-bit, so the page
// gets them as strings and events refer to them by position.
std::vector<uint64_t> KeysOf(const History& history) {
  std::vector<uint64_t> keys;
  for (const Event& event : history.events) {
    if (IsSingleKey(event.kind)) keys.push_back(event.key);
  }
  for (const auto& [key, value] : history.final_state) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// Logical times fit a double exactly below 2^53; larger clocks are drawn
// relative to the earliest instant (the labels say so).
struct Clock {
  uint64_t base = 0;
  int64_t At(uint64_t time) const { return static_cast<int64_t>(time - base); }
};

Clock ClockOf(const History& history) {
  uint64_t lowest = UINT64_MAX, highest = 0;
  for (const Event& event : history.events) {
    lowest = std::min(lowest, event.invoke);
    highest = std::max(highest, event.completed ? event.response : 0);
  }
  constexpr uint64_t kExact = uint64_t{1} << 53;
  if (history.events.empty() || highest < kExact) return {};
  return {lowest};
}

void WriteEvents(const History& history, const std::vector<uint64_t>& keys,
                 const Clock& clock, JsonWriter& json) {
  auto key_index = [&](uint64_t key) {
    return std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
  };
  json.Key("events").BeginArray();
  for (const Event& event : history.events) {
    json.BeginObject()
        .Key("thread")
        .Int(event.thread)
        .Key("index")
        .Int(event.index)
        .Key("op")
        .String(OpKindName(event.kind))
        .Key("key")
        .Int(IsSingleKey(event.kind) ? key_index(event.key) : -1)
        .Key("invoke")
        .Int(clock.At(event.invoke))
        .Key("response");
    if (event.completed) {
      json.Int(clock.At(event.response));
    } else {
      json.Null();
    }
    json.Key("name").String(EventName(event));
    json.Key("line").String(PrintEvent(event));
    json.Key("label").String(BoxLabel(event));
    json.Key("result").String(ResultText(event));
    json.Key("ok").Bool(event.ok);
    json.Key("size").Int(static_cast<int64_t>(event.size));
    json.Key("value");
    if (IsWrite(event.kind)) {
      json.String(StampLabel(event.value, event.key));
    } else {
      json.Null();
    }
    json.Key("out");
    if (event.kind == OpKind::kFind && event.completed && event.ok) {
      json.String(StampLabel(event.out, event.key));
    } else {
      json.Null();
    }
    json.EndObject();
  }
  json.EndArray();
}

void WriteIndices(std::string_view name, const std::vector<size_t>& indices,
                  JsonWriter& json) {
  json.Key(name).BeginArray();
  for (size_t i : indices) json.Int(static_cast<int64_t>(i));
  json.EndArray();
}

std::string DataIsland(const History& history, const Violation& violation,
                       const ReportContext& context, const Focus& focus) {
  std::vector<uint64_t> keys = KeysOf(history);
  Clock clock = ClockOf(history);
  JsonWriter json;
  json.BeginObject();
  json.Key("kind").String(violation.kind == ViolationKind::kNone
                              ? "linearizable"
                              : ViolationKindName(violation.kind));
  json.Key("summary").String(violation.summary);
  json.Key("why").String(violation.explanation);
  json.Key("valueOrigin").String(focus.value_origin);
  json.Key("timeBase").String(clock.base ? std::to_string(clock.base) : "");
  json.Key("keys").BeginArray();
  for (uint64_t key : keys) json.String(std::to_string(key));
  json.EndArray();
  WriteEvents(history, keys, clock, json);
  json.Key("offending");
  if (focus.offending) {
    json.Int(static_cast<int64_t>(*focus.offending));
  } else {
    json.Null();
  }
  WriteIndices("named", focus.named, json);
  WriteIndices("writers", focus.value_writers, json);
  WriteIndices("order", context.order, json);
  json.Key("orderIsPrefix").Bool(context.order_is_prefix);
  json.Key("finalAtFault").Bool(focus.final_snapshot);
  json.Key("final");
  if (history.has_final_state) {
    json.BeginArray();
    for (const auto& [key, value] : history.final_state) {
      json.BeginArray()
          .Int(std::lower_bound(keys.begin(), keys.end(), key) - keys.begin())
          .String(StampLabel(value, key))
          .EndArray();
    }
    json.EndArray();
  } else {
    json.Null();
  }
  json.Key("invariants").String(history.invariant_report);
  json.Key("marks").BeginArray();
  for (const ReportTraceLine& mark : context.trace) {
    json.BeginObject()
        .Key("kind")
        .String(mark.kind == ReportTraceLine::Kind::kSwitch ? "switch"
                                                            : "stale")
        .Key("time")
        .Int(clock.At(mark.time))
        .Key("thread")
        .Int(mark.thread)
        .Key("text")
        .String(mark.text)
        .EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.text();
}

std::string Fact(std::string_view name, std::string_view value,
                 std::string_view css_class = "") {
  if (value.empty()) return "";
  std::string td = css_class.empty()
                       ? "<td>"
                       : "<td class=\"" + std::string(css_class) + "\">";
  return "<tr><th>" + std::string(name) + "</th>" + td + HtmlEscape(value) +
         "</td></tr>\n";
}

std::string Header(const History& history, const Violation& violation,
                   const ReportContext& context, const Focus& focus) {
  bool clean = violation.kind == ViolationKind::kNone;
  std::string kind(clean ? "linearizable" : ViolationKindName(violation.kind));
  std::string html = "<header>\n<h1>tophash-fuzz: <span class=\"kind " +
                     std::string(clean ? "clean" : "bad") + "\">" +
                     HtmlEscape(kind) + "</span>";
  if (!context.source.empty()) {
    html += " <span class=\"source\">" + HtmlEscape(context.source) + "</span>";
  }
  html += "</h1>\n<table class=\"facts\">\n";
  if (violation.key) html += Fact("key", "k" + std::to_string(*violation.key));
  html += Fact("fault", context.fault);
  html += Fact("executor", context.granularity.empty()
                               ? context.executor
                               : context.executor + ", " + context.granularity +
                                     " granularity");
  html += Fact("replay", context.replay_command, "command");
  html += Fact("what", violation.summary, "linkify");
  html += Fact("value", focus.value_origin, "linkify");
  if (clean) {
    html += Fact("verdict",
                 std::to_string(history.events.size()) +
                     " operations; the checker found an order that explains "
                     "every result" +
                     (context.order.empty() ? "" : ": click one to see it"));
  }
  return html + "</table>\n</header>\n";
}

}  // namespace

std::string RenderHtmlReport(const History& history, const Violation& violation,
                             const ReportContext& context) {
  Focus focus = report_internal::FocusOf(history, violation);
  std::string kind(violation.kind == ViolationKind::kNone
                       ? "linearizable"
                       : ViolationKindName(violation.kind));
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width\">\n"
      "<title>tophash-fuzz: " +
      HtmlEscape(kind) + "</title>\n<style>" +
      std::string(report_internal::kReportCss) + "</style>\n</head><body>\n";
  html += Header(history, violation, context, focus);
  html +=
      "<main>\n<section id=\"chartbox\" aria-label=\"timeline\">"
      "<div id=\"toolbar\"></div><div id=\"chart\"></div>"
      "<div id=\"legend\"></div></section>\n"
      "<aside id=\"panel\"><p class=\"hint\">Hover or click an operation to "
      "see the checker's order up to it and the map after it.</p></aside>\n"
      "</main>\n<noscript><p>The timeline needs JavaScript; the history and "
      "the text report below are complete without it.</p></noscript>\n";
  if (!violation.explanation.empty()) {
    html += "<section><h2>Why</h2><div id=\"why\" class=\"linkify why\">" +
            HtmlEscape(violation.explanation) + "</div></section>\n";
  }
  html += "<section><h2>History</h2><pre id=\"history\">" +
          HtmlEscape(PrintHistory(history)) + "</pre></section>\n";
  if (violation.kind != ViolationKind::kNone) {
    html += "<section><details><summary>Text report</summary><pre>" +
            HtmlEscape(RenderReport(history, violation, context)) +
            "</pre></details></section>\n";
  }
  html += "<script type=\"application/json\" id=\"data\">" +
          DataIsland(history, violation, context, focus) + "</script>\n";
  html += "<script>" + std::string(report_internal::kReportScript) +
          "</script>\n</body></html>\n";
  return html;
}

}  // namespace thfuzz
