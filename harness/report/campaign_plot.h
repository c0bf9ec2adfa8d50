// RenderCampaignPlot(): a fuzz campaign's progress over time as one small,
// self-contained HTML page of SVG charts, next to its text summary.
//
// A campaign (tophash-fuzz run, or the libFuzzer processes of ci/fuzz.sh)
// is described as named series of (seconds, value) points, each drawn in
// one of three panels: executions, coverage, findings. A new measure is one
// more series in the panel it belongs to (concurrency features, when the
// engines record them, go into the coverage panel next to libFuzzer's cov
// and ft), so the page's producers and this writer never need a new field.
//
// Bounded: each series is cut to kMaxPlotPoints points before it is drawn
// (the last point of each of kMaxPlotPoints equal time slices, and the
// first point), so a page stays a few hundred kilobytes whatever the
// campaign's length; producers that collect points for hours keep them
// bounded with AppendBounded().
//
// No script, no network: the charts are inline SVG, the style inline CSS,
// and every text from outside (series names, facts, notes, the summary)
// is HTML-escaped (internal/html_escape.h).

#ifndef THFUZZ_HARNESS_REPORT_CAMPAIGN_PLOT_H_
#define THFUZZ_HARNESS_REPORT_CAMPAIGN_PLOT_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace thfuzz {

inline constexpr size_t kMaxPlotPoints = 400;

struct PlotPoint {
  double seconds = 0;  // since the campaign started
  double value = 0;
};

enum class PlotPanel { kExecutions, kCoverage, kFindings };

struct PlotSeries {
  PlotPanel panel = PlotPanel::kExecutions;
  std::string name;               // the legend's label
  std::vector<PlotPoint> points;  // ascending in time
};

struct CampaignPlot {
  std::string title;   // "tophash-fuzz run", "ci/fuzz.sh"
  std::string source;  // where the data came from, shown next to the title
  std::vector<std::pair<std::string, std::string>> facts;  // name, value
  std::vector<PlotSeries> series;
  std::vector<std::string> notes;  // shown under the charts
  std::string summary;             // the text summary, shown verbatim
};

// At most `max_points` points of `points` (ascending in time): the first
// point, then the last point of each of max_points - 1 equal slices of the
// time range. A series of cumulative counts keeps its final value and its
// shape.
std::vector<PlotPoint> Downsample(const std::vector<PlotPoint>& points,
                                  size_t max_points = kMaxPlotPoints);

// Appends `point` to `points`, which never holds more than `capacity`
// points: when full, every other point is dropped (the first and the newest
// are kept), so a series sampled once a second for days keeps an evenly
// thinned shape in bounded memory. `capacity` must be at least 4.
void AppendBounded(std::vector<PlotPoint>& points, PlotPoint point,
                   size_t capacity = 4 * kMaxPlotPoints);

// The whole page.
std::string RenderCampaignPlot(const CampaignPlot& plot);

// Writes the page to `path`; returns "" or why it could not.
std::string WriteCampaignPlot(const CampaignPlot& plot,
                              const std::string& path);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_REPORT_CAMPAIGN_PLOT_H_
