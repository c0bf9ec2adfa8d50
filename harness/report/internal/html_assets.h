// The HTML report's style sheet and script, from harness/report/html/,
// embedded at build time (CMake writes html_assets.cc from
// internal/html_assets.cc.in), so the page needs no other file.

#ifndef THFUZZ_HARNESS_REPORT_INTERNAL_HTML_ASSETS_H_
#define THFUZZ_HARNESS_REPORT_INTERNAL_HTML_ASSETS_H_

namespace thfuzz::report_internal {

extern const char kReportCss[];     // html/report.css
extern const char kReportScript[];  // html/report.js

}  // namespace thfuzz::report_internal

#endif  // THFUZZ_HARNESS_REPORT_INTERNAL_HTML_ASSETS_H_
