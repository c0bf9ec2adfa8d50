// The campaign page: one inline SVG chart per panel, drawn from bounded
// series (see campaign_plot.h).

#include "harness/report/campaign_plot.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "harness/report/internal/html_assets.h"
#include "harness/report/internal/html_escape.h"

namespace thfuzz {
namespace {

using report_internal::HtmlEscape;

// The chart's geometry, in SVG user units (the page scales it to fit).
constexpr double kWidth = 860, kHeight = 210;
constexpr double kLeft = 64, kRight = 16, kTop = 10, kBottom = 30;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;

// Distinct on white and for the common colour blindnesses (Okabe-Ito).
constexpr const char* kColors[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                   "#e69f00", "#56b4e9", "#000000", "#f0e442"};
constexpr size_t kColorCount = sizeof(kColors) / sizeof(kColors[0]);

// The page's own style, after the report's (same header and fonts).
constexpr char kPlotCss[] = R"css(
main.campaign { display: block; padding: 6px 16px; }
section.panel { max-width: 900px; }
svg.plot { width: 100%; max-width: 860px; height: auto; border: 1px solid #ddd; border-radius: 4px; background: #fcfcfc; }
svg.plot .grid line { stroke: #e4e4e4; }
svg.plot .frame { fill: none; stroke: #bbb; }
svg.plot polyline { fill: none; stroke-width: 2; }
ul.legend { list-style: none; padding: 0; margin: 4px 0 10px; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
ul.legend .swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 5px; }
ul.notes { font-size: 13px; color: #555; }
)css";

struct PanelInfo {
  PlotPanel panel;
  const char* id;
  const char* title;
};

constexpr PanelInfo kPanels[] = {
    {PlotPanel::kExecutions, "executions", "Executions"},
    {PlotPanel::kCoverage, "coverage", "Coverage"},
    {PlotPanel::kFindings, "findings", "Findings"},
};

std::string Number(double value, const char* format = "%.1f") {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

// 1234 -> "1234", 12345 -> "12.3k", 1.5e6 -> "1.5M": axis labels stay short.
std::string ShortCount(double value) {
  double magnitude = std::fabs(value);
  if (magnitude < 10'000) {
    return Number(value, value == std::floor(value) ? "%.0f" : "%.1f");
  }
  if (magnitude < 1e6) return Number(value / 1e3, "%.1fk");
  if (magnitude < 1e9) return Number(value / 1e6, "%.1fM");
  return Number(value / 1e9, "%.1fG");
}

// A step of 1, 2 or 5 times a power of ten that cuts `range` into at most
// about `count` intervals.
double NiceStep(double range, int count) {
  if (!(range > 0)) return 1;
  double raw = range / count;
  double power = std::pow(10, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * power >= raw) return factor * power;
  }
  return 10 * power;
}

struct Scale {
  double seconds = 1;  // the right edge of the time axis
  double value = 1;    // the top of the value axis
  double X(double s) const { return kLeft + s / seconds * kPlotWidth; }
  double Y(double v) const {
    return kTop + kPlotHeight - v / value * kPlotHeight;
  }
};

Scale ScaleOf(const std::vector<const PlotSeries*>& series) {
  Scale scale{0, 0};
  for (const PlotSeries* one : series) {
    for (const PlotPoint& point : one->points) {
      scale.seconds = std::max(scale.seconds, point.seconds);
      scale.value = std::max(scale.value, point.value);
    }
  }
  // Round the top up to a tick, so the highest line does not touch the
  // frame; an all-zero series still gets an axis.
  double value_step = NiceStep(scale.value, 4);
  scale.value =
      std::max(value_step, std::ceil(scale.value / value_step) * value_step);
  if (!(scale.seconds > 0)) scale.seconds = 1;
  return scale;
}

std::string Grid(const Scale& scale) {
  std::string svg = "<g class=\"grid axis\">";
  double value_step = NiceStep(scale.value, 4);
  for (double v = 0; v <= scale.value * (1 + 1e-9); v += value_step) {
    std::string y = Number(scale.Y(v));
    svg += "<line x1=\"" + Number(kLeft) + "\" x2=\"" +
           Number(kLeft + kPlotWidth) + "\" y1=\"" + y + "\" y2=\"" + y +
           "\"/><text x=\"" + Number(kLeft - 6) + "\" y=\"" + y +
           "\" dy=\"3\" text-anchor=\"end\">" + ShortCount(v) + "</text>";
  }
  double time_step = NiceStep(scale.seconds, 8);
  for (double s = 0; s <= scale.seconds * (1 + 1e-9); s += time_step) {
    std::string x = Number(scale.X(s));
    svg += "<line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + Number(kTop) +
           "\" y2=\"" + Number(kTop + kPlotHeight) + "\"/><text x=\"" + x +
           "\" y=\"" + Number(kTop + kPlotHeight + 14) +
           "\" text-anchor=\"middle\">" + ShortCount(s) + "s</text>";
  }
  svg += "</g><rect class=\"frame\" x=\"" + Number(kLeft) + "\" y=\"" +
         Number(kTop) + "\" width=\"" + Number(kPlotWidth) + "\" height=\"" +
         Number(kPlotHeight) + "\"/>";
  return svg;
}

// The i-th line of a page: a colour, and once the colours are used up, the
// same colours dashed, then dotted.
struct Stroke {
  const char* color;
  const char* dashes;  // SVG stroke-dasharray, "" for solid
  const char* css;     // the legend swatch's border style
};

Stroke StrokeOf(size_t index) {
  static constexpr const char* kDashes[] = {"", "7 4", "2 3"};
  static constexpr const char* kCss[] = {"solid", "dashed", "dotted"};
  size_t round = (index / kColorCount) % 3;
  return {kColors[index % kColorCount], kDashes[round], kCss[round]};
}

std::string DashAttribute(const Stroke& stroke) {
  if (*stroke.dashes == '\0') return "";
  return " stroke-dasharray=\"" + std::string(stroke.dashes) + "\"";
}

std::string Line(const PlotSeries& series, const std::vector<PlotPoint>& points,
                 const Stroke& stroke, const Scale& scale) {
  std::string coordinates;
  for (const PlotPoint& point : points) {
    if (!coordinates.empty()) coordinates += ' ';
    coordinates +=
        Number(scale.X(point.seconds)) + "," + Number(scale.Y(point.value));
  }
  const PlotPoint& last = points.back();
  std::string title = HtmlEscape(series.name) + ": " + ShortCount(last.value) +
                      " at " + Number(last.seconds) + " s";
  return "<g class=\"series\"><title>" + title +
         "</title><polyline data-points=\"" + std::to_string(points.size()) +
         "\" stroke=\"" + stroke.color + "\"" + DashAttribute(stroke) +
         " points=\"" + coordinates + "\"/><circle r=\"3\" fill=\"" +
         stroke.color + "\" cx=\"" + Number(scale.X(last.seconds)) +
         "\" cy=\"" + Number(scale.Y(last.value)) + "\"/></g>";
}

std::string Panel(const PanelInfo& info,
                  const std::vector<const PlotSeries*>& series, size_t& color) {
  Scale scale = ScaleOf(series);
  std::string svg =
      "<svg class=\"plot\" id=\"plot-" + std::string(info.id) +
      "\" viewBox=\"0 0 " + Number(kWidth, "%.0f") + " " +
      Number(kHeight, "%.0f") + "\" role=\"img\" aria-label=\"" + info.title +
      " over time\" xmlns=\"http://www.w3.org/2000/svg\">" + Grid(scale);
  std::string legend = "<ul class=\"legend\">";
  for (const PlotSeries* one : series) {
    Stroke stroke = StrokeOf(color++);
    svg += Line(*one, Downsample(one->points), stroke, scale);
    legend += "<li><span class=\"swatch\" style=\"border-top:3px " +
              std::string(stroke.css) + " " + stroke.color + "\"></span>" +
              HtmlEscape(one->name) + ": " +
              ShortCount(one->points.back().value) + "</li>";
  }
  return "<section class=\"panel\"><h2>" + std::string(info.title) + "</h2>\n" +
         svg + "</svg>\n" + legend + "</ul></section>\n";
}

std::string Header(const CampaignPlot& plot) {
  std::string html = "<header>\n<h1>" + HtmlEscape(plot.title);
  if (!plot.source.empty()) {
    html += " <span class=\"source\">" + HtmlEscape(plot.source) + "</span>";
  }
  html += "</h1>\n<table class=\"facts\">\n";
  for (const auto& [name, value] : plot.facts) {
    html += "<tr><th>" + HtmlEscape(name) + "</th><td>" + HtmlEscape(value) +
            "</td></tr>\n";
  }
  return html + "</table>\n</header>\n";
}

std::string Charts(const CampaignPlot& plot) {
  std::string html;
  size_t color = 0;
  for (const PanelInfo& info : kPanels) {
    std::vector<const PlotSeries*> series;
    for (const PlotSeries& one : plot.series) {
      if (one.panel == info.panel && !one.points.empty()) {
        series.push_back(&one);
      }
    }
    if (!series.empty()) html += Panel(info, series, color);
  }
  if (html.empty()) {
    html =
        "<p class=\"empty\">No progress was recorded: nothing to draw.</p>\n";
  }
  return html;
}

}  // namespace

std::vector<PlotPoint> Downsample(const std::vector<PlotPoint>& points,
                                  size_t max_points) {
  if (points.size() <= max_points || max_points < 2) {
    return max_points < 2 && !points.empty()
               ? std::vector<PlotPoint>{points.back()}
               : points;
  }
  double start = points.front().seconds;
  double span = points.back().seconds - start;
  size_t slices = max_points - 1;
  std::vector<PlotPoint> kept = {points.front()};
  size_t last_slice = SIZE_MAX;
  for (size_t i = 1; i < points.size(); ++i) {
    double at = span > 0 ? (points[i].seconds - start) / span : 1;
    size_t slice = std::min(slices - 1, static_cast<size_t>(at * slices));
    // Points of one slice overwrite each other: the slice keeps its last.
    if (slice == last_slice) {
      kept.back() = points[i];
    } else {
      kept.push_back(points[i]);
      last_slice = slice;
    }
  }
  return kept;
}

void AppendBounded(std::vector<PlotPoint>& points, PlotPoint point,
                   size_t capacity) {
  capacity = std::max<size_t>(capacity, 4);
  if (points.size() >= capacity) {
    size_t kept = 0;
    for (size_t i = 0; i < points.size(); i += 2) points[kept++] = points[i];
    points.resize(kept);
  }
  points.push_back(point);
}

std::string RenderCampaignPlot(const CampaignPlot& plot) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width\">\n"
      "<title>" +
      HtmlEscape(plot.title) + ": campaign</title>\n<style>" +
      std::string(report_internal::kReportCss) + kPlotCss +
      "</style>\n</head><body>\n";
  html += Header(plot);
  html += "<main class=\"campaign\">\n" + Charts(plot) + "</main>\n";
  if (!plot.notes.empty()) {
    html += "<section><ul class=\"notes\">\n";
    for (const std::string& note : plot.notes) {
      html += "<li>" + HtmlEscape(note) + "</li>\n";
    }
    html += "</ul></section>\n";
  }
  if (!plot.summary.empty()) {
    html += "<section><h2>Summary</h2><pre id=\"summary\">" +
            HtmlEscape(plot.summary) + "</pre></section>\n";
  }
  return html + "</body></html>\n";
}

std::string WriteCampaignPlot(const CampaignPlot& plot,
                              const std::string& path) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << RenderCampaignPlot(plot);
  out.flush();
  if (!out) {
    return path + ": cannot write the campaign plot" +
           (errno ? std::string(": ") + std::strerror(errno) : "");
  }
  return "";
}

}  // namespace thfuzz
