// Tests of the HTML report: self-contained, escaped, and marking the
// operations the violation names.

#include "harness/check/html_report.h"

#include <gtest/gtest.h>

#include <string>

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
  History history;
  Event insert;
  insert.kind = OpKind::kInsert;
  insert.key = 3;
  insert.value = MakeStamp(3, 0, 0);
  insert.invoke = 1;
  insert.response = 4;
  insert.ok = true;
  Event find;
  find.thread = 1;
  find.key = 3;
  find.invoke = 2;
  find.response = 3;
  find.ok = true;
  find.out = MakeStamp(3, 1, 7);
  Event hung;
  hung.thread = 1;
  hung.index = 1;
  hung.kind = OpKind::kErase;
  hung.key = 3;
  hung.invoke = 5;
  hung.completed = false;
  history.events = {insert, find, hung};
  return history;
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
