// Tests of the HTML report: self-contained, escaped, and marking the
// operations the violation names.

#include "harness/report/html_report.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/check/testing/history_builder.h"

namespace thfuzz {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

History TwoThreadHistory() {
  return testing::HistoryBuilder()
      .Insert(0, 3, 1, 4, /*inserted=*/true)
      .Found(1, 3, 2, 3, testing::W(3, 1, 7))
      .Erase(1, 3, 5, 6, /*erased=*/false)
      .Pending()
      .Build();
}

TEST(HtmlReportTest, IsSelfContainedAndMarksNamedOperations) {
  Violation violation;
  violation.kind = ViolationKind::kPhantomValue;
  violation.key = 3;
  violation.summary = "T1#0 find k3 returned T1#7 <never written> & more";
  violation.events = {1};
  ReportContext context;
  context.fault = "publish_tophash_before_key";
  context.replay_command = "tophash-fuzz replay x.sched";
  std::string html = RenderHtmlReport(TwoThreadHistory(), violation, context);

  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(html, "<svg"), 1u);
  EXPECT_EQ(Count(html, "<script"), 0u);
  EXPECT_EQ(Count(html, "src="), 0u);
  EXPECT_EQ(Count(html, "href="), 0u);
  // One box per event, exactly one of them in the "named" colour, and the
  // one that never returned dashed.
  EXPECT_EQ(Count(html, "<rect"), 3u);
  EXPECT_EQ(Count(html, "#c0392b"), 1u);
  EXPECT_EQ(Count(html, "stroke-dasharray"), 1u);
  // Text is escaped.
  EXPECT_NE(html.find("&lt;never written&gt; &amp; more"), std::string::npos);
  EXPECT_EQ(html.find("<never written>"), std::string::npos);
  EXPECT_NE(html.find("publish_tophash_before_key"), std::string::npos);
  EXPECT_NE(html.find(">T1<"), std::string::npos);
}

}  // namespace
}  // namespace thfuzz
