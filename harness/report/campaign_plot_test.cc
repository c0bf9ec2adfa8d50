// Tests of the campaign page: well-formed inline SVG (every tag closed, in
// order), at most kMaxPlotPoints points per line whatever the input, every
// outside text escaped, nothing fetched, and the bounded series helpers.
// A real browser loads the page in browser_test.py (ci/browser.sh).

#include "harness/report/campaign_plot.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/report/testing/count_occurrences.h"

namespace thfuzz {
namespace {

using report_testing::CountOccurrences;

// "" when each <svg>...</svg> of the page closes every element it opens, in
// order; else the first problem.
std::string SvgNesting(const std::string& html) {
  if (html.find("<svg") == std::string::npos) return "no svg";
  for (size_t begin = html.find("<svg"); begin != std::string::npos;
       begin = html.find("<svg", begin + 1)) {
    size_t end = html.find("</svg>", begin);
    if (end == std::string::npos) return "<svg> is never closed";
    std::vector<std::string> open;
    for (size_t at = begin; at <= end; at = html.find('<', at + 1)) {
      size_t close = html.find('>', at);
      std::string tag = html.substr(at + 1, close - at - 1);
      if (tag.find('<') != std::string::npos) return "'<' inside " + tag;
      if (tag.back() == '/') continue;  // <line .../>
      std::string name = tag.substr(0, tag.find(' '));
      if (name[0] != '/') {
        open.push_back(name);
      } else if (open.empty() || open.back() != name.substr(1)) {
        return "</" + name.substr(1) + "> closes " +
               (open.empty() ? "nothing" : "<" + open.back() + ">");
      } else {
        open.pop_back();
      }
    }
    if (!open.empty()) return "<" + open.back() + "> is never closed";
  }
  return "";
}

std::vector<PlotPoint> Ramp(size_t count, double step = 1) {
  std::vector<PlotPoint> points;
  for (size_t i = 0; i < count; ++i) {
    points.push_back({static_cast<double>(i) * step, static_cast<double>(i)});
  }
  return points;
}

CampaignPlot SamplePlot() {
  CampaignPlot plot;
  plot.title = "tophash-fuzz run";
  plot.source = "seed 1";
  plot.facts = {{"executor", "controlled"}};
  plot.series = {
      {PlotPanel::kExecutions, "executions", Ramp(100)},
      {PlotPanel::kCoverage, "concurrency features", Ramp(50, 2)},
      {PlotPanel::kFindings, "violations", {{0, 0}, {40, 1}, {99, 3}}},
  };
  plot.summary = "campaign summary\n  executions 99\n";
  return plot;
}

TEST(CampaignPlotTest, IsWellFormedSelfContainedSvg) {
  std::string html = RenderCampaignPlot(SamplePlot());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(SvgNesting(html), "");
  EXPECT_EQ(CountOccurrences(html, "<svg"),
            3u);  // one chart per panel with data
  EXPECT_EQ(CountOccurrences(html, "<polyline"), 3u);
  EXPECT_EQ(CountOccurrences(html, "xmlns=\"http://www.w3.org/2000/svg\""), 3u);
  for (const char* fetches : {"<script", "src=", "<link", "https://", "@import",
                              "url(", "@font-face"}) {
    EXPECT_EQ(CountOccurrences(html, fetches), 0u) << fetches;
  }
  EXPECT_NE(html.find("concurrency features: 49"), std::string::npos);
  EXPECT_NE(html.find("<pre id=\"summary\">campaign summary\n"),
            std::string::npos);
}

TEST(CampaignPlotTest, PanelsWithoutDataAreLeftOut) {
  CampaignPlot plot = SamplePlot();
  plot.series.erase(plot.series.begin() + 1);
  plot.series.push_back({PlotPanel::kCoverage, "empty", {}});
  std::string html = RenderCampaignPlot(plot);
  EXPECT_EQ(CountOccurrences(html, "<svg"), 2u);
  EXPECT_EQ(html.find("id=\"plot-coverage\""), std::string::npos);
  EXPECT_EQ(SvgNesting(html), "");

  std::string empty = RenderCampaignPlot(CampaignPlot{});
  EXPECT_EQ(CountOccurrences(empty, "<svg"), 0u);
  EXPECT_NE(empty.find("nothing to draw"), std::string::npos);
}

TEST(CampaignPlotTest, DrawsAtMostMaxPointsPerLine) {
  CampaignPlot plot;
  plot.series = {{PlotPanel::kExecutions, "long", Ramp(100'000, 0.01)}};
  std::string html = RenderCampaignPlot(plot);
  size_t at = html.find("<polyline");
  ASSERT_NE(at, std::string::npos);
  std::string polyline = html.substr(at, html.find("/>", at) - at);
  size_t points = CountOccurrences(polyline, ",");
  EXPECT_LE(points, kMaxPlotPoints);
  EXPECT_GE(points, kMaxPlotPoints - 1);
  EXPECT_NE(polyline.find("data-points=\"" + std::to_string(points) + "\""),
            std::string::npos);
  EXPECT_LT(html.size(), 64u * 1024);
}

TEST(CampaignPlotTest, LinesPastThePaletteAreDashed) {
  CampaignPlot plot;
  for (int i = 0; i < 10; ++i) {
    plot.series.push_back(
        {PlotPanel::kCoverage, "s" + std::to_string(i), Ramp(3)});
  }
  std::string html = RenderCampaignPlot(plot);
  EXPECT_EQ(CountOccurrences(html, "<polyline"), 10u);
  EXPECT_EQ(CountOccurrences(html, "stroke-dasharray=\"7 4\""), 2u);
  EXPECT_EQ(CountOccurrences(html, "border-top:3px dashed"), 2u);
}

TEST(CampaignPlotTest, EscapesEveryOutsideText) {
  CampaignPlot plot = SamplePlot();
  plot.title = "<b>t</b>";
  plot.source = "a&b";
  plot.facts = {{"<k>", "\"v\""}};
  plot.series[0].name = "<script>alert(1)</script>";
  plot.notes = {"it's <fine>"};
  plot.summary = "</pre><img src=x>";
  std::string html = RenderCampaignPlot(plot);
  EXPECT_EQ(CountOccurrences(html, "<script"), 0u);
  EXPECT_EQ(CountOccurrences(html, "<img"), 0u);
  EXPECT_EQ(CountOccurrences(html, "<b>"), 0u);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;k&gt;</th><td>&quot;v&quot;"), std::string::npos);
  EXPECT_NE(html.find("it&#39;s &lt;fine&gt;"), std::string::npos);
  EXPECT_NE(html.find("a&amp;b"), std::string::npos);
  EXPECT_EQ(SvgNesting(html), "");
}

TEST(CampaignPlotTest, DownsampleKeepsTheEndsAndTheBound) {
  std::vector<PlotPoint> points = Ramp(1000);
  std::vector<PlotPoint> kept = Downsample(points, 10);
  ASSERT_LE(kept.size(), 10u);
  EXPECT_EQ(kept.front().value, 0);
  EXPECT_EQ(kept.back().value, 999);
  for (size_t i = 1; i < kept.size(); ++i) {
    EXPECT_LT(kept[i - 1].seconds, kept[i].seconds);
  }
  EXPECT_EQ(Downsample(Ramp(5), 10).size(), 5u);
  // All points at one instant: the first and the last.
  std::vector<PlotPoint> instant(50, PlotPoint{3, 1});
  instant.back().value = 7;
  kept = Downsample(instant, 10);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.back().value, 7);
}

TEST(CampaignPlotTest, AppendBoundedThinsEvenlyAndKeepsTheNewest) {
  std::vector<PlotPoint> points;
  for (int i = 0; i < 10'000; ++i) {
    AppendBounded(points, {static_cast<double>(i), static_cast<double>(i)}, 64);
    ASSERT_LE(points.size(), 64u);
  }
  EXPECT_EQ(points.front().value, 0);
  EXPECT_EQ(points.back().value, 9999);
  EXPECT_GE(points.size(), 32u);
}

TEST(CampaignPlotTest, WriteReportsAnUnwritablePath) {
  std::string error =
      WriteCampaignPlot(SamplePlot(), "/nonexistent/dir/campaign.html");
  EXPECT_NE(error.find("/nonexistent/dir/campaign.html: cannot write"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace thfuzz
