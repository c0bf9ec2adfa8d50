// Tests of the HTML report: one self-contained file (no network, the
// script and style inline), every value escaped in the markup and in the
// JSON island, the offending operation and the checker's order in the data
// the page draws from. The page itself runs in a real browser in
// browser_test.py (ci/test.sh browser).

#include "harness/report/html_report.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/check/checker.h"
#include "harness/check/testing/history_builder.h"
#include "harness/report/internal/json.h"
#include "harness/report/testing/count_occurrences.h"

namespace thfuzz {
namespace {

using report_internal::JsonString;
using report_testing::CountOccurrences;

// The page without its data island and inline script: the markup.
std::string Markup(const std::string& html) {
  return html.substr(0, html.find("<script type=\"application/json\""));
}

History TwoThreadHistory() {
  return testing::HistoryBuilder()
      .Insert(0, 3, 1, 4, /*inserted=*/true)
      .Found(1, 3, 2, 3, testing::W(3, 1, 7))
      .Erase(1, 3, 5, 6, /*erased=*/false)
      .Pending()
      .Build();
}

TEST(HtmlReportTest, IsOneSelfContainedFile) {
  Violation violation;
  violation.kind = ViolationKind::kPhantomValue;
  violation.key = 3;
  violation.events = {1};
  violation.offending = 1;
  std::string html = RenderHtmlReport(TwoThreadHistory(), violation, {});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Two scripts, both inline: the data island and the renderer.
  EXPECT_EQ(CountOccurrences(html, "<script"), 2u);
  EXPECT_EQ(CountOccurrences(html, "</script>"), 2u);
  EXPECT_EQ(CountOccurrences(html, "<style>"), 1u);
  for (const char* fetches :
       {"src=", "<link", "https://", "@import", "url(", "fetch(",
        "XMLHttpRequest", "innerHTML", "document.write", "eval("}) {
    EXPECT_EQ(CountOccurrences(html, fetches), 0u) << fetches;
  }
  // The one URL is the SVG namespace, a name that is never fetched.
  EXPECT_EQ(CountOccurrences(html, "http://"),
            CountOccurrences(html, "'http://www.w3.org/2000/svg'"));
  EXPECT_NE(html.find("\"offending\":1"), std::string::npos);
  EXPECT_NE(html.find("\"named\":[1]"), std::string::npos);
}

TEST(HtmlReportTest, EscapesEveryValueInMarkupAndData) {
  Violation violation;
  violation.kind = ViolationKind::kWrongResult;
  violation.summary =
      "T1#0 said </script><script>alert(1)</script> & <b>\"more\"</b>";
  violation.explanation = "why: <img src=x onerror=alert(2)>\n\x1b[31m";
  ReportContext context;
  context.fault = "<fault>";
  context.replay_command = "tophash-fuzz replay 'a b.sched'";
  context.source = "dir/<x>.sched";
  std::string html = RenderHtmlReport(TwoThreadHistory(), violation, context);
  std::string markup = Markup(html);
  EXPECT_EQ(markup.find("<script>alert"), std::string::npos);
  EXPECT_EQ(markup.find("<img"), std::string::npos);
  EXPECT_EQ(markup.find("<b>"), std::string::npos);
  EXPECT_NE(markup.find("&lt;/script&gt;&lt;script&gt;alert(1)"),
            std::string::npos);
  EXPECT_NE(markup.find("&amp; &lt;b&gt;&quot;more&quot;"), std::string::npos);
  EXPECT_NE(markup.find("tophash-fuzz replay &#39;a b.sched&#39;"),
            std::string::npos);
  EXPECT_NE(markup.find("dir/&lt;x&gt;.sched"), std::string::npos);
  // The data island holds the same text with <, > and & escaped for JSON,
  // so nothing in it can end the script element.
  std::string island = html.substr(html.find("<script type="));
  island = island.substr(0, island.find("</script>"));
  EXPECT_EQ(island.find('<', 1), std::string::npos);
  EXPECT_EQ(island.find("&"), std::string::npos);
  EXPECT_NE(island.find("\\u003c/script\\u003e\\u003cscript\\u003e"),
            std::string::npos);
  EXPECT_NE(island.find("\\u001b[31m"), std::string::npos);
}

TEST(HtmlReportTest, JsonStringsAreValidAndInert) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("a\"b\\c\nd\te"), "\"a\\\"b\\\\c\\nd\\u0009e\"");
  EXPECT_EQ(JsonString("</script>&"), "\"\\u003c/script\\u003e\\u0026\"");
  EXPECT_EQ(JsonString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(JsonString("\xe2\x80\xa8"), "\"\\u2028\"");
  // Bytes that are not UTF-8 (a lone continuation, a truncated sequence,
  // an overlong form) become U+FFFD, so the island always parses.
  EXPECT_EQ(JsonString("\x80x\xe2\x82"), "\"\\ufffdx\\ufffd\\ufffd\"");
  EXPECT_EQ(JsonString("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
}

TEST(HtmlReportTest, LinearizableHistoriesCarryTheCheckersOrder) {
  History history = testing::HistoryBuilder()
                        .Insert(0, 3, 1, 4, true)
                        .Found(1, 3, 2, 5, testing::W(3, 0, 0))
                        .Final({{3, testing::W(3, 0, 0)}})
                        .Build();
  CheckResult checked = CheckHistory(history);
  ASSERT_EQ(checked.verdict, Verdict::kLinearizable);
  ReportContext context;
  context.order = checked.linearization;
  std::string html = RenderHtmlReport(history, Violation{}, context);
  EXPECT_NE(html.find("<title>tophash-fuzz: linearizable</title>"),
            std::string::npos);
  EXPECT_NE(html.find("\"kind\":\"linearizable\""), std::string::npos);
  EXPECT_NE(html.find("\"order\":[0,1]"), std::string::npos);
  EXPECT_NE(html.find("\"orderIsPrefix\":false"), std::string::npos);
  EXPECT_NE(html.find("\"offending\":null"), std::string::npos);
}

TEST(HtmlReportTest, TraceLinesBecomeLaneMarks) {
  ReportContext context;
  context.trace.push_back({ReportTraceLine::Kind::kSwitch, 2, 1,
                           "T1 paused before load of tophash[2]; T0 runs"});
  context.trace.push_back(
      {ReportTraceLine::Kind::kStaleRead, 3, 0, "T0 read an older store"});
  std::string html = RenderHtmlReport(TwoThreadHistory(), Violation{}, context);
  EXPECT_NE(html.find("{\"kind\":\"switch\",\"time\":2,\"thread\":1,\"text\":"
                      "\"T1 paused before load of tophash[2]; T0 runs\"}"),
            std::string::npos);
  EXPECT_NE(html.find("{\"kind\":\"stale\",\"time\":3,\"thread\":0,"),
            std::string::npos);
}

}  // namespace
}  // namespace thfuzz
