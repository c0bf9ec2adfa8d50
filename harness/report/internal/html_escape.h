// HtmlEscape(): text from a history, a log or a path, made safe to put
// between HTML tags or inside a quoted attribute.
//
// Every page the report library writes (html_report.h, campaign_plot.h)
// puts outside text on the page only through this function (or, for the
// report's data island, through JsonString), so no value can open a tag,
// end an attribute or start an entity.

#ifndef THFUZZ_HARNESS_REPORT_INTERNAL_HTML_ESCAPE_H_
#define THFUZZ_HARNESS_REPORT_INTERNAL_HTML_ESCAPE_H_

#include <string>
#include <string_view>

namespace thfuzz::report_internal {

// '&', '<', '>', '"' and '\'' as character references; the rest unchanged.
std::string HtmlEscape(std::string_view text);

}  // namespace thfuzz::report_internal

#endif  // THFUZZ_HARNESS_REPORT_INTERNAL_HTML_ESCAPE_H_
